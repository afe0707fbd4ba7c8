package monitor

// grades are the HTTP Observatory's score bands, best first.
var grades = []struct {
	min   int
	grade string
}{{100, "A+"}, {90, "A"}, {85, "A-"}, {80, "B+"}, {70, "B"}, {65, "B-"}, {60, "C+"}, {50, "C"}, {45, "C-"}, {40, "D+"}, {30, "D"}, {25, "D-"}, {0, "F"}}

// Score starts at 100 and takes the catalogue's penalty for every failing
// check that has one, as the Observatory's modifiers do; then the grade
// of the band. A site without HTTPS loses its HSTS and redirect points,
// which is the Observatory's verdict too.
func Score(results []Result) (int, string) {
	score := 100
	for _, r := range results {
		if r.Status != Fail {
			continue
		}
		if c, ok := Lookup(r.Check); ok {
			score += c.Score
		}
	}
	score = max(score, 0)
	return score, Grade(score)
}

// Grade is the letter of a score.
func Grade(score int) string {
	for _, g := range grades {
		if score >= g.min {
			return g.grade
		}
	}
	return "F"
}
