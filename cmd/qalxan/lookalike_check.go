package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/net/idna"

	"github.com/qalxan/qalxan/internal/errs"
	"github.com/qalxan/qalxan/internal/lookalike/probe"
)

// lookalikeCheckCommand runs the active confirmation of one name from the
// command line: what serve does with lookalike.confirm, for an analyst who
// wants to look now.
func (a *app) lookalikeCheckCommand() *cobra.Command {
	var brandURL, resolver, screenshot, chromium string
	var timeout time.Duration
	var asJSON, allowPrivate bool
	c := &cobra.Command{
		Use:   "check DOMAIN",
		Short: "Check a look-alike domain now: DNS A/MX/NS, its page, similarity to the brand's page, a screenshot",
		Long: "Contacts DOMAIN (and the --brand page): asks the resolver for its A, MX and NS records,\n" +
			"fetches its page through the addresses found, compares it with the brand's page and,\n" +
			"with --screenshot, photographs it with headless Chromium. Private addresses are refused\n" +
			"unless --allow-private. Prints the findings and a verdict: unresolved, no-page,\n" +
			"different or imitation.",
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			host, err := idna.Lookup.ToASCII(strings.TrimSuffix(strings.ToLower(strings.TrimSpace(args[0])), "."))
			if err != nil || !strings.Contains(host, ".") {
				return usageError{errs.E(errs.Invalid, "%q is not a domain name", args[0])}
			}
			if brandURL != "" && !strings.HasPrefix(brandURL, "http://") && !strings.HasPrefix(brandURL, "https://") {
				return usageError{errs.E(errs.Invalid, "--brand %q: want an http(s) URL", brandURL)}
			}
			cfg, err := a.config(cmd)
			if err != nil {
				return err
			}
			if resolver == "" {
				resolver = cfg.Lookalike.Resolver
			}
			if resolver == "" {
				resolver = cfg.Monitor.Resolver
			}
			p := &probe.Prober{Resolver: resolver, Timeout: timeout, AllowPrivate: allowPrivate}
			if screenshot != "" {
				p.Chromium = chromium
			}
			res, err := p.Check(cmd.Context(), host, brandURL, time.Now())
			if err != nil {
				return err
			}
			if screenshot != "" && res.Screenshot != nil {
				if err := os.WriteFile(screenshot, res.Screenshot, 0o644); err != nil {
					return err
				}
			}
			conf := res.Confirmation
			if asJSON {
				enc := json.NewEncoder(a.stdout)
				enc.SetEscapeHTML(false)
				return enc.Encode(conf)
			}
			w := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
			line := func(k string, v ...string) {
				s := strings.Join(v, ", ")
				if s == "" {
					s = "-"
				}
				fmt.Fprintf(w, "%s\t%s\n", k, s)
			}
			line("verdict", string(conf.Verdict))
			line("A", conf.A...)
			line("MX", conf.MX...)
			line("NS", conf.NS...)
			if conf.DNSError != "" {
				line("dns error", conf.DNSError)
			}
			if conf.Status != 0 {
				line("page", fmt.Sprint(conf.Status), conf.URL, conf.Title)
			}
			if conf.FetchError != "" {
				line("fetch error", conf.FetchError)
			}
			if conf.BrandURL != "" {
				line("similarity", fmt.Sprintf("%d%% (text %d%%, structure %d%%) to %s", conf.Similarity, conf.TextSimilarity, conf.StructureSimilarity, conf.BrandURL))
			}
			if conf.BrandError != "" {
				line("brand page error", conf.BrandError)
			}
			switch {
			case res.Screenshot != nil:
				line("screenshot", screenshot)
			case conf.ScreenshotError != "":
				line("screenshot error", conf.ScreenshotError)
			}
			return w.Flush()
		},
	}
	f := c.Flags()
	f.StringVar(&brandURL, "brand", "", "the brand's real page to compare with (https://examplebank.az/)")
	f.StringVar(&resolver, "resolver", "", "DNS server HOST:PORT; default lookalike.resolver, then monitor.resolver, then /etc/resolv.conf")
	f.StringVar(&screenshot, "screenshot", "", "write a PNG screenshot of the page to this file")
	f.StringVar(&chromium, "chromium", defaultChromium, "the browser for --screenshot")
	f.DurationVar(&timeout, "timeout", probe.DefaultTimeout, "per step: each lookup, each fetch, the screenshot")
	f.BoolVar(&allowPrivate, "allow-private", false, "fetch even when the name resolves to a private or loopback address (a lab)")
	f.BoolVar(&asJSON, "json", false, "print the findings as one JSON object")
	return c
}
