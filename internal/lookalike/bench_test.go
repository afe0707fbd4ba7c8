package lookalike

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// syntheticBrands makes n pronounceable brand domains under .az, the real
// ones of brands.txt first.
func syntheticBrands(t testing.TB, n int) []Brand {
	out := loadBrands(t)
	r := rand.New(rand.NewPCG(1, 2))
	for len(out) < n {
		d := pronounceable(r, 6+r.IntN(6)) + []string{"bank.az", ".az", ".gov.az", "pay.az"}[r.IntN(4)]
		d = strings.TrimPrefix(strings.ReplaceAll(d, "..", "."), ".")
		out = append(out, Brand{Name: d, Domains: []string{d}})
	}
	return out[:n]
}

func pronounceable(r *rand.Rand, n int) string {
	const c, v = "bcdfgklmnprstvxz", "aeiou"
	var b strings.Builder
	for i := 0; i < n; i++ {
		if i%2 == 0 {
			b.WriteByte(c[r.IntN(len(c))])
		} else {
			b.WriteByte(v[r.IntN(len(v))])
		}
	}
	return b.String()
}

// observedDomains is a stream like a country's newly seen names: mostly
// unrelated, a few per cent twisted brands.
func observedDomains(brands []Brand, n int) []string {
	r := rand.New(rand.NewPCG(3, 4))
	suffixes := []string{"az", "com", "com.az", "net", "ru", "org", "xyz", "online"}
	out := make([]string, n)
	for i := range out {
		if r.IntN(50) == 0 {
			perms, _ := Generate(brands[r.IntN(len(brands))].Domains[0])
			out[i] = perms[r.IntN(len(perms))].Domain
			continue
		}
		name := pronounceable(r, 4+r.IntN(12))
		if r.IntN(4) == 0 {
			name += "-" + pronounceable(r, 3+r.IntN(5))
		}
		if r.IntN(3) == 0 {
			name = "www." + name
		}
		out[i] = name + "." + suffixes[r.IntN(len(suffixes))]
	}
	return out
}

func BenchmarkMatch(b *testing.B) {
	for _, nb := range []int{50, 100} {
		b.Run(fmt.Sprintf("brands=%d", nb), func(b *testing.B) {
			brands := syntheticBrands(b, nb)
			m, err := NewMatcher(brands)
			if err != nil {
				b.Fatal(err)
			}
			domains := observedDomains(brands, 10000)
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				m.Match(Observation{Domain: domains[i%len(domains)]})
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "domains/s")
		})
	}
}

func BenchmarkNewMatcher100(b *testing.B) {
	brands := syntheticBrands(b, 100)
	for b.Loop() {
		if _, err := NewMatcher(brands); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGenerate(b *testing.B) {
	brands := syntheticBrands(b, 100)
	total := 0
	for i := 0; b.Loop(); i++ {
		p, _ := Generate(brands[i%len(brands)].Domains[0])
		total += len(p)
	}
	b.ReportMetric(float64(total)/float64(b.N), "perms/domain")
}
