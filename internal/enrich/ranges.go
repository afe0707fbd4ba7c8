package enrich

import (
	"net/netip"
)

// RangeTable is an IPSource built from IP-range CSV files. Ranges are kept
// as sorted, disjoint intervals searched by binary search, rather than
// converted to prefixes in a bart table: an arbitrary range splits into up
// to 2×bits prefixes, while an interval costs 12 bytes (IPv4) or 36 bytes
// (IPv6) whatever its bounds. For the 500k ranges of ip-location-db that is
// about 6 MB, built by one sort, and a lookup is some 19 probes into one
// contiguous array. IPv4 lookups first narrow the search through an index
// by the address's top 16 bits, so they touch two or three cache lines
// instead of seventeen.
type RangeTable struct {
	v4    []range4
	idx4  []uint32 // idx4[b]: number of v4 ranges starting below b<<16; nil for small tables
	v6    []range6
	infos []IPInfo // shared by ranges; index stored per range
	lines int
	bad   int
	first []LineError // the first maxLineErrors bad lines
}

type range4 struct {
	start, end uint32
	info       uint32
}

type range6 struct {
	start, end u128
	info       uint32
}

// Lookup implements IPSource.
func (t *RangeTable) Lookup(a netip.Addr) (IPInfo, bool) {
	if !a.IsValid() {
		return IPInfo{}, false
	}
	a = a.Unmap()
	if a.Is4() {
		x := uint32(addrNum(a).lo)
		// Find the first range starting after x; the one before it is
		// the only candidate. Ranges outside x's /16 bucket start either
		// below it (so at or before x) or above it (after x), so the
		// search may stay inside the bucket.
		lo, hi := 0, len(t.v4)
		if t.idx4 != nil {
			lo, hi = int(t.idx4[x>>16]), int(t.idx4[x>>16+1])
		}
		for lo < hi {
			m := int(uint(lo+hi) >> 1)
			if t.v4[m].start <= x {
				lo = m + 1
			} else {
				hi = m
			}
		}
		if lo == 0 || t.v4[lo-1].end < x {
			return IPInfo{}, false
		}
		return t.infos[t.v4[lo-1].info], true
	}
	x := addrNum(a)
	lo, hi := 0, len(t.v6)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if t.v6[m].start.cmp(x) <= 0 {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo == 0 || t.v6[lo-1].end.less(x) {
		return IPInfo{}, false
	}
	return t.infos[t.v6[lo-1].info], true
}

// Len is the number of disjoint ranges held, after overlapping input
// ranges were split.
func (t *RangeTable) Len() int { return len(t.v4) + len(t.v6) }

// Lines is the number of lines read.
func (t *RangeTable) Lines() int { return t.lines }

// Skipped is the number of lines that were not usable.
func (t *RangeTable) Skipped() int { return t.bad }

// BadLines returns the first bad lines with their reasons (at most 100;
// Skipped counts them all).
func (t *RangeTable) BadLines() []LineError { return t.first }

// index4Min is the table size from which the IPv4 index (256 KiB) pays.
const index4Min = 4096

// buildIndex4 counts, for each /16 bucket, the ranges starting below it.
func buildIndex4(v []range4) []uint32 {
	if len(v) < index4Min {
		return nil
	}
	idx := make([]uint32, 1<<16+1)
	j := 0
	for b := range idx {
		for j < len(v) && uint64(v[j].start) < uint64(b)<<16 {
			j++
		}
		idx[b] = uint32(j)
	}
	return idx
}
