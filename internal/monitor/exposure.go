package monitor

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
)

// exposureChecks asks the site's origin for the catalogue's probe paths.
// A path is exposed only when it answers 200 and its body matches the
// probe's pattern: a site that answers every path with the same page (a
// soft 404) is recognised by asking first for a path that cannot exist,
// and its page is never taken for a file.
func (c *Checker) exposureChecks(ctx context.Context, t Target, s site) []Result {
	var out []Result
	if s.origin == nil {
		for _, p := range catalogue().Probes {
			out = append(out, result(p.Check, Skipped, "the site is not reachable"))
		}
		return out
	}
	cl := c.client(t)
	defer cl.CloseIdleConnections()
	var soft []byte
	if p, err := c.get(ctx, cl, s.origin.ResolveReference(&url.URL{Path: "/" + randomName() + ".html"})); err == nil && p.status == 200 {
		soft = p.body
	}
	for _, pr := range catalogue().Probes {
		found, asked, errs := "", 0, 0
		for _, path := range pr.Paths {
			p, err := c.get(ctx, cl, s.origin.ResolveReference(&url.URL{Path: path}))
			asked++
			if err != nil {
				errs++
				continue
			}
			if p.status != 200 || (soft != nil && bytes.Equal(p.body, soft)) {
				continue
			}
			if pr.match.Match(p.body) && (pr.unless == nil || !pr.unless.Match(p.body)) {
				found = fmt.Sprintf("%s answers 200 with %s", p.url, snippet(p.body, pr))
				break
			}
		}
		switch {
		case found != "":
			out = append(out, result(pr.Check, Fail, found))
		case errs == asked:
			out = append(out, result(pr.Check, Error, "the site did not answer the probes"))
		default:
			out = append(out, result(pr.Check, Pass, fmt.Sprintf("%d paths asked, none exposed", asked)))
		}
	}
	return out
}

// snippet quotes what matched, short, so the evidence shows the proof.
func snippet(body []byte, pr Probe) string {
	m := pr.match.Find(body)
	if len(m) > 60 {
		m = m[:60]
	}
	return fmt.Sprintf("%q", m)
}

func randomName() string {
	b := make([]byte, 8)
	rand.Read(b)
	return "qalxan-" + hex.EncodeToString(b)
}
