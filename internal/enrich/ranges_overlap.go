package enrich

import (
	"container/heap"
	"slices"
)

// normalise turns ranges as read into sorted, disjoint ranges. Published
// range files are already sorted and disjoint, so that is checked first and
// costs one pass; unsorted input costs a sort; only overlapping input pays
// for the sweep.
func normalise(rs []rawRange) []rawRange {
	if disjointSorted(rs) {
		return rs
	}
	slices.SortStableFunc(rs, func(a, b rawRange) int { return a.start.cmp(b.start) })
	if disjointSorted(rs) {
		return rs
	}
	return sweep(rs)
}

func disjointSorted(rs []rawRange) bool {
	for i := 1; i < len(rs); i++ {
		if !rs[i-1].end.less(rs[i].start) {
			return false
		}
	}
	return true
}

// sweep resolves overlaps in ranges sorted by start: it walks the points
// where some range begins or ends, keeping the ranges that cover the
// current point in a heap ordered narrowest first (then latest line), and
// emits one segment per stretch between points, owned by the heap's top.
// O(n log n) in the number of ranges.
func sweep(rs []rawRange) []rawRange {
	points := make([]u128, 0, 2*len(rs))
	for _, r := range rs {
		points = append(points, r.start)
		if after, ok := r.end.next(); ok {
			points = append(points, after)
		}
	}
	slices.SortFunc(points, u128.cmp)
	points = slices.Compact(points)

	var out []rawRange
	var active coverHeap
	next := 0 // first range in rs not yet pushed
	for k, p := range points {
		for next < len(rs) && rs[next].start == p {
			heap.Push(&active, rs[next])
			next++
		}
		for active.Len() > 0 && active.rs[0].end.less(p) {
			heap.Pop(&active)
		}
		if active.Len() == 0 {
			continue
		}
		top := active.rs[0]
		end := top.end // no later point: top runs to the end of the space
		if k+1 < len(points) {
			end = points[k+1].sub(u128{lo: 1})
		}
		if n := len(out); n > 0 && out[n-1].info == top.info {
			if after, ok := out[n-1].end.next(); ok && after == p {
				out[n-1].end = end // same answer continues: merge
				continue
			}
		}
		out = append(out, rawRange{start: p, end: end, info: top.info, seq: top.seq})
	}
	return out
}

// coverHeap orders the ranges covering a point: narrowest first, and among
// equally wide ones the later line first.
type coverHeap struct{ rs []rawRange }

func (h *coverHeap) Len() int { return len(h.rs) }
func (h *coverHeap) Less(i, j int) bool {
	a, b := h.rs[i], h.rs[j]
	if c := a.end.sub(a.start).cmp(b.end.sub(b.start)); c != 0 {
		return c < 0
	}
	return a.seq > b.seq
}
func (h *coverHeap) Swap(i, j int) { h.rs[i], h.rs[j] = h.rs[j], h.rs[i] }
func (h *coverHeap) Push(x any)    { h.rs = append(h.rs, x.(rawRange)) }
func (h *coverHeap) Pop() any {
	x := h.rs[len(h.rs)-1]
	h.rs = h.rs[:len(h.rs)-1]
	return x
}

func toRange4(rs []rawRange) []range4 {
	out := make([]range4, len(rs))
	for i, r := range rs {
		out[i] = range4{start: uint32(r.start.lo), end: uint32(r.end.lo), info: r.info}
	}
	return out
}

func toRange6(rs []rawRange) []range6 {
	out := make([]range6, len(rs))
	for i, r := range rs {
		out[i] = range6{start: r.start, end: r.end, info: r.info}
	}
	return out
}
