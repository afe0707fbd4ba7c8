package lookalike

import "math/bits"

// distance is the optimal-string-alignment edit distance between a and b
// (insertions, deletions, substitutions and swaps of neighbours each count
// one), or max+1 when it is larger than max: the matcher only cares about
// small distances, so it gives up on a row that is already too far.
func distance(a, b string, max int) int {
	if d := len(a) - len(b); d > max || -d > max {
		return max + 1
	}
	if a == b {
		return 0
	}
	// uint8 rows on the stack: names are at most 63 bytes a label, and
	// zeroing wide rows cost more than the computation.
	var buf [3][64]uint8
	if len(b)+1 > len(buf[0]) || len(a) > 250 {
		return max + 1
	}
	prev2, prev, cur := buf[0][:len(b)+1], buf[1][:len(b)+1], buf[2][:len(b)+1]
	for j := range prev {
		prev[j] = uint8(j)
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = uint8(i)
		best := uint8(i)
		for j := 1; j <= len(b); j++ {
			cost := uint8(1)
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			best = min(best, v)
		}
		if int(best) > max {
			return max + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	if int(prev[len(b)]) > max {
		return max + 1
	}
	return int(prev[len(b)])
}

// charMask is the set of bytes in s, folded into 64 bits. Each edit adds
// or removes at most one byte value, so two names whose sets differ by
// more than k bytes either way are more than k edits apart: a cheap test
// before computing the distance (a shared bit only weakens the test).
func charMask(s string) uint64 {
	var m uint64
	for i := 0; i < len(s); i++ {
		m |= 1 << (s[i] & 63)
	}
	return m
}

func maskFar(a, b uint64, k int) bool {
	return bits.OnesCount64(a&^b) > k || bits.OnesCount64(b&^a) > k
}
