package enrich

import (
	"encoding/binary"
	"net/netip"
)

// u128 is an address as a number, so ranges of both families share one
// ordering and one overlap resolver. IPv4 addresses use the low 32 bits.
type u128 struct{ hi, lo uint64 }

func addrNum(a netip.Addr) u128 {
	if a.Is4() {
		b := a.As4()
		return u128{lo: uint64(binary.BigEndian.Uint32(b[:]))}
	}
	b := a.As16()
	return u128{hi: binary.BigEndian.Uint64(b[:8]), lo: binary.BigEndian.Uint64(b[8:])}
}

func (x u128) cmp(y u128) int {
	switch {
	case x.hi < y.hi:
		return -1
	case x.hi > y.hi:
		return 1
	case x.lo < y.lo:
		return -1
	case x.lo > y.lo:
		return 1
	}
	return 0
}

func (x u128) less(y u128) bool { return x.cmp(y) < 0 }

// sub returns x-y for y <= x.
func (x u128) sub(y u128) u128 {
	lo := x.lo - y.lo
	hi := x.hi - y.hi
	if x.lo < y.lo {
		hi--
	}
	return u128{hi, lo}
}

// next returns x+1 and false when x is the largest value (no successor).
func (x u128) next() (u128, bool) {
	if x.lo != ^uint64(0) {
		return u128{x.hi, x.lo + 1}, true
	}
	if x.hi != ^uint64(0) {
		return u128{x.hi + 1, 0}, true
	}
	return x, false
}
