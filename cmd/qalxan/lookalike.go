package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/qalxan/qalxan/internal/errs"
	"github.com/qalxan/qalxan/internal/lookalike"
)

func (a *app) lookalikeCommand() *cobra.Command {
	c := &cobra.Command{Use: "lookalike", Short: "Look-alike domains of protected brands: permutations and matching"}
	c.AddCommand(a.lookalikeGenerateCommand(), a.lookalikeScanCommand(), a.lookalikeBrandsCommand(), a.lookalikeCheckCommand())
	return c
}

func (a *app) lookalikeGenerateCommand() *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:   "generate DOMAIN",
		Short: "Print the look-alike permutations of a domain, each with its fuzzer",
		Long: "Print the domains a fraudster could register to imitate DOMAIN: typos on QWERTY and\n" +
			"Azerbaijani keyboards, homoglyphs (Latin, Cyrillic, Greek, Azerbaijani letters), other\n" +
			"suffixes, added words. Each line is the fuzzer, the punycode name and its Unicode form.",
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			perms, err := lookalike.Generate(args[0])
			if err != nil {
				return usageError{err}
			}
			if asJSON {
				enc := json.NewEncoder(a.stdout)
				enc.SetEscapeHTML(false)
				for _, p := range perms {
					if err := enc.Encode(p); err != nil {
						return err
					}
				}
				return nil
			}
			w := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
			for _, p := range perms {
				fmt.Fprintf(w, "%s\t%s\t%s\n", p.Fuzzer, p.Domain, p.Unicode)
			}
			return w.Flush()
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "one JSON object per permutation")
	return c
}

func (a *app) lookalikeScanCommand() *cobra.Command {
	var brandsFile, domainsFile string
	var asJSON bool
	var threshold int
	c := &cobra.Command{
		Use:   "scan --brands FILE --domains FILE|-",
		Short: "Match observed domains against brands and print the look-alikes with score and reasons",
		Long: "The brands file has one official domain per line, optionally followed by keywords\n" +
			"(\"examplebank.az example ebank\"). The domains file ('-' for standard input) has one\n" +
			"domain or URL per line, the first field of a CSV export, or certstream JSON messages.\n" +
			"Each look-alike is printed once, with its score and the reasons for it; a summary goes\n" +
			"to standard error.",
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			brands, err := readBrands(brandsFile)
			if err != nil {
				return err
			}
			m, err := lookalike.NewMatcher(brands)
			if err != nil {
				return fmt.Errorf("%s: %w", brandsFile, err)
			}
			var in io.Reader = a.stdin
			if domainsFile != "-" {
				f, err := os.Open(domainsFile)
				if err != nil {
					return err
				}
				defer f.Close()
				in = f
			}
			out := matchPrinter(a.stdout, asJSON)
			start := time.Now()
			n, hits, err := scanDomains(in, m, threshold, out)
			if err != nil {
				return fmt.Errorf("%s: %w", domainsFile, err)
			}
			if err := out(nil); err != nil {
				return err
			}
			el := time.Since(start)
			fmt.Fprintf(a.stderr, "%d domains against %d brands in %s (%.0f domains/s): %d look-alikes\n", n, len(brands), el.Round(time.Millisecond), float64(n)/max(el.Seconds(), 1e-9), hits)
			return nil
		},
	}
	c.Flags().StringVar(&brandsFile, "brands", "", "brands file: official domain, then keywords, per line")
	c.Flags().StringVar(&domainsFile, "domains", "", "observed domains: a file or '-' for standard input")
	c.Flags().BoolVar(&asJSON, "json", false, "one JSON object per look-alike (domain, unicode, registered, brand, score, reasons)")
	c.Flags().IntVar(&threshold, "threshold", lookalike.DefaultThreshold, "print matches scoring at least this")
	c.MarkFlagRequired("brands")
	c.MarkFlagRequired("domains")
	return c
}

func readBrands(path string) ([]lookalike.Brand, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []lookalike.Brand
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		b, ok, err := lookalike.ParseBrandLine(sc.Text())
		if err != nil {
			return nil, errs.E(errs.Invalid, "%s:%d: %s", path, line, errs.Message(err))
		}
		if ok {
			out = append(out, b)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(out) == 0 {
		return nil, errs.E(errs.Invalid, "%s: no brands", path)
	}
	return out, nil
}

// matchPrinter writes matches as tab-separated text or JSON lines; a nil
// match flushes.
func matchPrinter(w io.Writer, asJSON bool) func(*lookalike.Match) error {
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		return func(m *lookalike.Match) error {
			if m == nil {
				return nil
			}
			return enc.Encode(m)
		}
	}
	bw := bufio.NewWriter(w)
	return func(m *lookalike.Match) error {
		if m == nil {
			return bw.Flush()
		}
		var rs []string
		for _, r := range m.Reasons {
			rs = append(rs, fmt.Sprintf("%s: %s (+%d)", r.Code, r.Detail, r.Points))
		}
		name := m.Domain
		if m.Unicode != m.Domain {
			name += " (" + m.Unicode + ")"
		}
		_, err := fmt.Fprintf(bw, "%s\t%d\t%s\t%s\n", name, m.Score, m.Brand, strings.Join(rs, "; "))
		return err
	}
}

// scanBatch is how many lines a worker takes at a time: large enough that
// handing out work costs nothing, small enough that output keeps flowing.
const scanBatch = 2048

// scanDomains matches every observed domain once, on all cores, and hands
// matches to out in input order. It returns how many distinct domains it
// saw and how many matched.
func scanDomains(in io.Reader, m *lookalike.Matcher, threshold int, out func(*lookalike.Match) error) (int, int, error) {
	type batch struct {
		obs     []lookalike.Observation
		matches []lookalike.Match
		done    chan struct{}
	}
	workers := runtime.GOMAXPROCS(0)
	todo := make(chan *batch, workers)
	ordered := make(chan *batch, 2*workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for b := range todo {
				for _, o := range b.obs {
					if r, ok := m.Match(o); ok && r.Score >= threshold {
						b.matches = append(b.matches, r)
					}
				}
				close(b.done)
			}
		})
	}
	var readErr error
	seen := map[string]bool{}
	n := 0
	go func() {
		defer close(ordered)
		defer close(todo)
		sc := bufio.NewScanner(in)
		sc.Buffer(make([]byte, 64<<10), 4<<20) // certstream messages with many names are long
		cur := &batch{done: make(chan struct{})}
		flush := func() {
			todo <- cur
			ordered <- cur
			cur = &batch{done: make(chan struct{})}
		}
		for sc.Scan() {
			for _, o := range lookalike.ParseLine(sc.Text()) {
				// A certificate stream repeats names; score each once.
				if seen[o.Domain] {
					continue
				}
				seen[o.Domain] = true
				n++
				cur.obs = append(cur.obs, o)
			}
			if len(cur.obs) >= scanBatch {
				flush()
			}
		}
		readErr = sc.Err()
		if len(cur.obs) > 0 {
			flush()
		}
	}()
	hits := 0
	var outErr error
	for b := range ordered {
		<-b.done
		for i := range b.matches {
			hits++
			if outErr == nil {
				outErr = out(&b.matches[i])
			}
		}
	}
	wg.Wait()
	if readErr != nil {
		return n, hits, readErr
	}
	return n, hits, outErr
}
