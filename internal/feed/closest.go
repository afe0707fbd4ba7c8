package feed

import "sort"

// Closest returns up to n of candidates nearest to s by edit distance,
// nearest first, leaving out any too far to be a plausible typo.
func Closest(s string, candidates []string, n int) []string {
	type scored struct {
		name string
		d    int
	}
	var all []scored
	limit := max(3, len(s)/2)
	if len(s) > 64 {
		return nil // not a typo of a name; and distance is quadratic
	}
	for _, c := range candidates {
		if len(c)-len(s) > limit || len(s)-len(c) > limit {
			continue // the length difference alone is too far
		}
		d := Distance(s, c)
		if d <= limit {
			all = append(all, scored{c, d})
		}
	}
	sort.SliceStable(all, func(i, j int) bool {
		if all[i].d != all[j].d {
			return all[i].d < all[j].d
		}
		return all[i].name < all[j].name
	})
	var out []string
	for i := 0; i < len(all) && i < n; i++ {
		out = append(out, all[i].name)
	}
	return out
}

// Distance is the optimal-string-alignment edit distance between a and b
// (in bytes): insertions, deletions, substitutions and swaps of adjacent
// bytes each cost one, so the typo "scan_rpd" is nearest to "scan_rdp".
func Distance(a, b string) int {
	rows := make([][]int, len(a)+1)
	for i := range rows {
		rows[i] = make([]int, len(b)+1)
		rows[i][0] = i
	}
	for j := range rows[0] {
		rows[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d := min(rows[i-1][j]+1, rows[i][j-1]+1, rows[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d = min(d, rows[i-2][j-2]+1)
			}
			rows[i][j] = d
		}
	}
	return rows[len(a)][len(b)]
}
