package main

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/qalxan/qalxan/internal/lookalike"
)

// Scale of `qalxan lookalike scan`: 100 brands against a generated stream
// of observed domains, mostly unrelated names with look-alikes planted
// among them. By default 20,000 domains, so the test suite stays quick;
//
//	QALXAN_SCAN_DOMAINS=1000000 QALXAN_SCAN_KEEP=/tmp/scan go test -run TestLookalikeScanScale -v ./cmd/qalxan/
//
// runs the million and keeps brands.txt and domains.txt in /tmp/scan for
// a measurement of the binary itself:
//
//	/usr/bin/time -v qalxan lookalike scan --brands /tmp/scan/brands.txt --domains /tmp/scan/domains.txt > /dev/null

// scaleBrands are n pronounceable brand domains under Azerbaijani
// suffixes, each with its name as a keyword.
func scaleBrands(r *rand.Rand, n int) []string {
	seen := map[string]bool{}
	var out []string
	for len(out) < n {
		name := pronounceable(r, 6+r.IntN(6))
		d := name + []string{"bank.az", ".az", ".gov.az", "pay.az"}[r.IntN(4)]
		if seen[d] {
			continue
		}
		seen[d] = true
		out = append(out, d)
	}
	return out
}

func pronounceable(r *rand.Rand, n int) string {
	const c, v = "bcdfgklmnprstvxz", "aeiou"
	var b strings.Builder
	for i := range n {
		if i%2 == 0 {
			b.WriteByte(c[r.IntN(len(c))])
		} else {
			b.WriteByte(v[r.IntN(len(v))])
		}
	}
	return b.String()
}

func TestLookalikeScanScale(t *testing.T) {
	n := 20000
	if s := os.Getenv("QALXAN_SCAN_DOMAINS"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v < 100 {
			t.Fatalf("QALXAN_SCAN_DOMAINS=%q: want a number of at least 100", s)
		}
		n = v
	}
	dir := os.Getenv("QALXAN_SCAN_KEEP")
	if dir == "" {
		dir = t.TempDir()
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(11, 12))
	brands := scaleBrands(r, 100)

	// Permutations of 100 brands: how many, how long.
	start := time.Now()
	perms := map[string][]lookalike.Permutation{}
	total := 0
	for _, b := range brands {
		p, err := lookalike.Generate(b)
		if err != nil {
			t.Fatalf("generate %s: %v", b, err)
		}
		if len(p) < 100 {
			t.Errorf("%s: %d permutations, want hundreds", b, len(p))
		}
		perms[b] = p
		total += len(p)
	}
	t.Logf("permutations of 100 brands: %d in %s", total, time.Since(start).Round(time.Millisecond))

	var bf strings.Builder
	for _, b := range brands {
		fmt.Fprintf(&bf, "%s %s\n", b, strings.SplitN(b, ".", 2)[0])
	}
	brandsFile, domainsFile := filepath.Join(dir, "brands.txt"), filepath.Join(dir, "domains.txt")
	if err := os.WriteFile(brandsFile, []byte(bf.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(domainsFile)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	suffixes := []string{"az", "com", "com.az", "net", "ru", "org", "xyz", "online"}
	planted := map[string]bool{}
	for range n {
		if r.IntN(200) == 0 { // one in two hundred: a look-alike
			b := brands[r.IntN(len(brands))]
			p := perms[b][r.IntN(len(perms[b]))]
			planted[p.Domain] = true
			fmt.Fprintln(w, p.Domain)
			continue
		}
		name := pronounceable(r, 4+r.IntN(12))
		if r.IntN(4) == 0 {
			name += "-" + pronounceable(r, 3+r.IntN(5))
		}
		if r.IntN(3) == 0 {
			name = "www." + name
		}
		fmt.Fprintln(w, name+"."+suffixes[r.IntN(len(suffixes))])
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	f.Close()

	start = time.Now()
	code, out, errOut := cli(t, "", "lookalike", "scan", "--brands", brandsFile, "--domains", domainsFile)
	el := time.Since(start)
	if code != 0 {
		t.Fatalf("scan: exit %d, %s", code, errOut)
	}
	found := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		name, _, _ := strings.Cut(line, "\t")
		name, _, _ = strings.Cut(name, " ")
		found[name] = true
	}
	missed := 0
	for d := range planted {
		if !found[d] {
			missed++
			if missed <= 5 {
				t.Errorf("planted look-alike %s not reported", d)
			}
		}
	}
	t.Logf("scan of %d domains against 100 brands: %s (%.0f domains/s), %d reported, %d planted, %d missed; %s",
		n, el.Round(time.Millisecond), float64(n)/el.Seconds(), len(found), len(planted), missed, strings.TrimSpace(errOut))
}
