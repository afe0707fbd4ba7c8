package enrich

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/maxmind/mmdbwriter/mmdbtype"
)

// benchRanges is the size of the benchmark tables, about a fifth of the
// ip-location-db ASN data set.
const benchRanges = 100_000

// benchData makes benchRanges disjoint ranges (90% IPv4, 10% IPv6) with
// 5,000 distinct AS answers, and lookup addresses of which about half fall
// inside a range.
func benchData() (ranges []rawRange, is4 []bool, addrs []netip.Addr) {
	rng := rand.New(rand.NewPCG(1, 2))
	n4 := benchRanges * 9 / 10
	starts4 := make([]uint32, n4)
	for i := range starts4 {
		starts4[i] = rng.Uint32()
	}
	slices.Sort(starts4)
	starts4 = slices.Compact(starts4)
	for i, s := range starts4 {
		end := s + uint32(rng.IntN(4096))
		if i+1 < len(starts4) && end >= starts4[i+1] {
			end = starts4[i+1] - 1
		}
		ranges = append(ranges, rawRange{start: u128{lo: uint64(s)}, end: u128{lo: uint64(end)}, info: uint32(rng.IntN(5000))})
		is4 = append(is4, true)
	}
	for i := range benchRanges - len(starts4) {
		// /48s spread through 2001:db8::/32-like space, disjoint by construction.
		hi := 0x2a00_0000_0000_0000 | uint64(i)<<16
		ranges = append(ranges, rawRange{start: u128{hi: hi}, end: u128{hi: hi | 0xffff, lo: ^uint64(0)}, info: uint32(rng.IntN(5000))})
		is4 = append(is4, false)
	}
	addrs = make([]netip.Addr, 1<<16)
	for i := range addrs {
		k := rng.IntN(len(ranges))
		r := ranges[k]
		switch {
		case i%2 == 1:
			addrs[i] = netip.AddrFrom4([4]byte{byte(rng.Uint32()), byte(rng.Uint32()), byte(rng.Uint32()), byte(rng.Uint32())})
		case is4[k]:
			addrs[i] = numAddr(r.start, true)
		default:
			addrs[i] = numAddr(u128{hi: r.start.hi | uint64(rng.IntN(0xffff)), lo: rng.Uint64()}, false)
		}
	}
	return ranges, is4, addrs
}

func benchCSV(ranges []rawRange, is4 []bool) string {
	var b strings.Builder
	for i, r := range ranges {
		fmt.Fprintf(&b, "%s,%s,%d,\"AS %d Networks, Inc.\"\n",
			numAddr(r.start, is4[i]), numAddr(r.end, is4[i]), 64512+r.info, r.info)
	}
	return b.String()
}

func BenchmarkRangeLookup(b *testing.B) {
	ranges, is4, addrs := benchData()
	tbl := loadString(b, benchCSV(ranges, is4))
	b.ReportAllocs()
	hits, i := 0, 0
	for b.Loop() {
		if _, ok := tbl.Lookup(addrs[i&(len(addrs)-1)]); ok {
			hits++
		}
		i++
	}
	b.ReportMetric(float64(hits)/float64(i), "hits/op")
}

func BenchmarkLoadRanges(b *testing.B) {
	ranges, is4, _ := benchData()
	csv := benchCSV(ranges, is4)
	b.SetBytes(int64(len(csv)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := LoadRanges(strings.NewReader(csv)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMMDBLookup(b *testing.B) {
	ranges, is4, addrs := benchData()
	for _, layout := range []struct {
		name, dbType string
		record       func(info uint32) mmdbtype.Map
	}{
		{"GeoLite2-ASN", "GeoLite2-ASN", func(n uint32) mmdbtype.Map {
			return maxmindASN(64512+n, fmt.Sprintf("AS %d Networks, Inc.", n))
		}},
		{"GeoLite2-City", "GeoLite2-City", func(n uint32) mmdbtype.Map {
			return maxmindCity(string([]byte{'A' + byte(n%26), 'A' + byte(n/26%26)}))
		}},
	} {
		b.Run(layout.name, func(b *testing.B) {
			nets := make([]mmdbNet, len(ranges))
			for i, r := range ranges {
				nets[i] = mmdbNet{numAddr(r.start, is4[i]).String() + "-" + numAddr(r.end, is4[i]).String(), layout.record(r.info)}
			}
			m := openTestMMDB(b, layout.dbType, 6, nets)
			b.ReportAllocs()
			hits, i := 0, 0
			for b.Loop() {
				if _, ok := m.Lookup(addrs[i&(len(addrs)-1)]); ok {
					hits++
				}
				i++
			}
			b.ReportMetric(float64(hits)/float64(i), "hits/op")
		})
	}
}
