package constituency

import (
	"math/rand/v2"
	"net/netip"
	"runtime"
	"testing"
)

func BenchmarkTmpProbe(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	org := Org{ShortName: "x"}
	var nets []netip.Prefix
	var before, after runtime.MemStats
	for i := range 100_000 {
		p := netip.PrefixFrom(randAddr4(rng), 16+rng.IntN(15)).Masked()
		if i%10 == 9 {
			p = netip.PrefixFrom(randAddr6(rng), 32+rng.IntN(33)).Masked()
		}
		nets = append(nets, p)
		org.Resources = append(org.Resources, Resource{Kind: KindCIDR, Value: p.String()})
	}
	runtime.GC()
	runtime.ReadMemStats(&before)
	m := NewMatcher([]Org{org})
	runtime.GC()
	runtime.ReadMemStats(&after)
	b.Logf("heap for matcher: %.1f MB", float64(after.HeapAlloc-before.HeapAlloc)/1e6)
	for _, n := range []int{16, 1 << 10, 1 << 16} {
		addrs := make([]netip.Addr, n)
		for i := range addrs {
			addrs[i] = randIn(rng, nets[rng.IntN(len(nets))])
		}
		b.Run(string(rune('0'+len(addrs)%10)), func(b *testing.B) {
			i := 0
			for b.Loop() {
				m.MatchIP(addrs[i&(len(addrs)-1)])
				i++
			}
		})
	}
}
