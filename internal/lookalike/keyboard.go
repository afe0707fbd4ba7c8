package lookalike

// keyboards are the layouts people type domain names on here: rows as
// printed on the keys, lower case. A typo hits a key next to the intended
// one, so neighbours come from the grid, not from a hand-made list.
// The Azerbaijani (Latin) layout puts ü where QWERTY has w, ı and ə after
// l, ö and ğ after p, ç and ş after m.
var keyboards = map[string][]string{
	"qwerty": {"1234567890-", "qwertyuiop", "asdfghjkl", "zxcvbnm"},
	"az":     {"1234567890-", "qüertyuiopöğ", "asdfghjklıə", "zxcvbnmçş"},
}

// neighbours maps a key to the keys around it on every layout, in a fixed
// order (layouts by name, then left, right, above, below).
var neighbours = buildNeighbours()

func buildNeighbours() map[rune][]rune {
	out := map[rune][]rune{}
	for _, layout := range []string{"qwerty", "az"} {
		rows := make([][]rune, len(keyboards[layout]))
		for i, r := range keyboards[layout] {
			rows[i] = []rune(r)
		}
		at := func(r, c int) (rune, bool) {
			if r < 0 || r >= len(rows) || c < 0 || c >= len(rows[r]) {
				return 0, false
			}
			return rows[r][c], true
		}
		for r, row := range rows {
			for c, k := range row {
				// Rows are staggered: a key touches two keys above (same
				// column and the next) and two below (the one before and
				// the same column).
				for _, p := range [][2]int{{r, c - 1}, {r, c + 1}, {r - 1, c}, {r - 1, c + 1}, {r + 1, c - 1}, {r + 1, c}} {
					if n, ok := at(p[0], p[1]); ok && n != '-' && !containsRune(out[k], n) {
						out[k] = append(out[k], n)
					}
				}
			}
		}
	}
	return out
}

func containsRune(rs []rune, r rune) bool {
	for _, x := range rs {
		if x == r {
			return true
		}
	}
	return false
}
