package monitor

import (
	"context"
	"fmt"
	"strings"
)

// mailChecks runs SPF, DMARC and MX STARTTLS for domain.
func (c *Checker) mailChecks(ctx context.Context, domain string) []Result {
	out := c.spfResults(ctx, domain)
	out = append(out, c.dmarcResults(ctx, domain)...)
	return append(out, c.mxResults(ctx, domain)...)
}

// spfRecords are the TXT records of name that are SPF.
func (c *Checker) spfRecords(ctx context.Context, name string) ([]string, error) {
	txts, err := c.txt(ctx, name)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, t := range txts {
		if l := strings.ToLower(strings.TrimSpace(t)); l == "v=spf1" || strings.HasPrefix(l, "v=spf1 ") {
			out = append(out, strings.TrimSpace(t))
		}
	}
	return out, nil
}

func (c *Checker) spfResults(ctx context.Context, domain string) []Result {
	recs, err := c.spfRecords(ctx, domain)
	switch {
	case err != nil:
		return []Result{result("spf-present", Error, err.Error()), result("spf-all", Skipped, "no SPF answer"), result("spf-lookups", Skipped, "no SPF answer")}
	case len(recs) == 0:
		return append([]Result{result("spf-present", Fail, "no v=spf1 TXT record at "+domain)}, skipAll("no SPF record", "spf-all", "spf-lookups")...)
	case len(recs) > 1:
		return append([]Result{result("spf-present", Fail, fmt.Sprintf("%d SPF records at %s: receivers treat that as an error (RFC 7208 4.5)", len(recs), domain))},
			skipAll("more than one SPF record", "spf-all", "spf-lookups")...)
	}
	rec := recs[0]
	out := []Result{result("spf-present", Pass, rec), spfAllResult(rec)}
	n, chain := c.spfLookups(ctx, rec, 0, map[string]bool{domain: true})
	ev := fmt.Sprintf("%d DNS lookups", n)
	if len(chain) > 0 {
		ev += " (" + strings.Join(chain, ", ") + ")"
	}
	return append(out, passIf("spf-lookups", n <= 10, ev))
}

// spfAllResult wants the record to end in -all or ~all. A record without
// "all" that hands over with redirect= is judged by its target's owner.
func spfAllResult(rec string) Result {
	redirect := false
	for _, term := range strings.Fields(rec)[1:] {
		t := strings.ToLower(term)
		switch t {
		case "-all", "~all":
			return result("spf-all", Pass, "ends in "+t)
		case "all", "+all", "?all":
			return result("spf-all", Fail, fmt.Sprintf("%q lets any server send as the domain", t))
		}
		if strings.HasPrefix(t, "redirect=") {
			redirect = true
		}
	}
	if redirect {
		return result("spf-all", Pass, "no all; delegated by redirect=")
	}
	return result("spf-all", Fail, "no all mechanism: unlisted senders are neutral")
}

// spfLookups counts the DNS-querying terms of rec and of what it
// includes, as RFC 7208 4.6.4 does: include, a, mx, ptr, exists and
// redirect, at most ten in all. It stops counting deeper than ten levels
// or past a loop.
func (c *Checker) spfLookups(ctx context.Context, rec string, depth int, seen map[string]bool) (int, []string) {
	n := 0
	var chain []string
	for _, term := range strings.Fields(rec)[1:] {
		t := strings.ToLower(strings.TrimLeft(term, "+-~?"))
		var target string
		switch {
		case strings.HasPrefix(t, "include:"):
			target = t[len("include:"):]
		case strings.HasPrefix(t, "redirect="):
			target = t[len("redirect="):]
		case t == "a", t == "mx", t == "ptr", strings.HasPrefix(t, "a:"), strings.HasPrefix(t, "a/"), strings.HasPrefix(t, "mx:"),
			strings.HasPrefix(t, "mx/"), strings.HasPrefix(t, "ptr:"), strings.HasPrefix(t, "exists:"):
			n++
			continue
		default:
			continue
		}
		n++
		chain = append(chain, target)
		if depth >= 10 || seen[target] || n > 10 {
			continue
		}
		seen[target] = true
		if recs, err := c.spfRecords(ctx, target); err == nil && len(recs) == 1 {
			m, _ := c.spfLookups(ctx, recs[0], depth+1, seen)
			n += m
		}
	}
	return n, chain
}

// dmarcResults wants a v=DMARC1 record at _dmarc.<domain> whose policy is
// quarantine or reject.
func (c *Checker) dmarcResults(ctx context.Context, domain string) []Result {
	txts, err := c.txt(ctx, "_dmarc."+domain)
	if err != nil {
		return []Result{result("dmarc-present", Error, err.Error()), result("dmarc-policy", Skipped, "no DMARC answer")}
	}
	var rec string
	for _, t := range txts {
		if strings.HasPrefix(strings.ToLower(strings.TrimSpace(t)), "v=dmarc1") {
			rec = strings.TrimSpace(t)
		}
	}
	if rec == "" {
		return []Result{result("dmarc-present", Fail, "no v=DMARC1 TXT record at _dmarc."+domain), result("dmarc-policy", Skipped, "no DMARC record")}
	}
	p := ""
	for _, tag := range strings.Split(rec, ";") {
		k, v, _ := strings.Cut(strings.TrimSpace(tag), "=")
		if strings.EqualFold(strings.TrimSpace(k), "p") {
			p = strings.ToLower(strings.TrimSpace(v))
		}
	}
	return []Result{result("dmarc-present", Pass, rec), passIf("dmarc-policy", p == "quarantine" || p == "reject", "p="+firstOf(p, "(missing)"))}
}
