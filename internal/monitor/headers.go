package monitor

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
)

var headerChecks = []string{"header-csp", "header-x-frame-options", "header-x-content-type-options", "header-referrer-policy",
	"cookie-flags", "banner-version"}

// headerResults judges a page's security headers, as the HTTP Observatory
// does.
func headerResults(p *page) []Result {
	h := p.header
	csp := h.Get("Content-Security-Policy")
	dirs := parseCSP(csp)
	out := []Result{cspResult(csp, dirs)}

	xfo := strings.ToUpper(strings.TrimSpace(h.Get("X-Frame-Options")))
	_, fa := dirs["frame-ancestors"]
	switch {
	case xfo == "DENY" || xfo == "SAMEORIGIN":
		out = append(out, result("header-x-frame-options", Pass, "X-Frame-Options: "+xfo))
	case fa:
		out = append(out, result("header-x-frame-options", Pass, "CSP frame-ancestors "+strings.Join(dirs["frame-ancestors"], " ")))
	case xfo != "":
		out = append(out, result("header-x-frame-options", Fail, "X-Frame-Options: "+xfo+" is not DENY or SAMEORIGIN"))
	default:
		out = append(out, result("header-x-frame-options", Fail, "no X-Frame-Options and no CSP frame-ancestors"))
	}

	xcto := h.Get("X-Content-Type-Options")
	out = append(out, passIf("header-x-content-type-options", strings.EqualFold(strings.TrimSpace(xcto), "nosniff"),
		firstOf(headerEvidence("X-Content-Type-Options", xcto), "no X-Content-Type-Options header")))

	out = append(out, referrerResult(h.Get("Referrer-Policy")))
	out = append(out, cookieResult(p))
	out = append(out, bannerResult(h))
	return out
}

func headerEvidence(name, v string) string {
	if v == "" {
		return ""
	}
	return name + ": " + v
}

// parseCSP splits a policy into directives and their sources.
func parseCSP(v string) map[string][]string {
	out := map[string][]string{}
	for _, d := range strings.Split(v, ";") {
		f := strings.Fields(d)
		if len(f) == 0 {
			continue
		}
		name := strings.ToLower(f[0])
		if _, dup := out[name]; !dup { // the first of a repeated directive counts
			out[name] = f[1:]
		}
	}
	return out
}

// cspResult wants a policy whose scripts exclude 'unsafe-inline' and
// 'unsafe-eval' and that sets frame-ancestors. 'unsafe-inline' next to a
// nonce or hash is ignored by browsers, so it is not held against it.
func cspResult(v string, dirs map[string][]string) Result {
	if v == "" {
		return result("header-csp", Fail, "no Content-Security-Policy header")
	}
	var bad []string
	script, ok := dirs["script-src"]
	if !ok {
		script, ok = dirs["default-src"]
	}
	if !ok {
		bad = append(bad, "no script-src or default-src")
	}
	hasNonce := false
	for _, s := range script {
		ls := strings.ToLower(s)
		if strings.HasPrefix(ls, "'nonce-") || strings.HasPrefix(ls, "'sha256-") || strings.HasPrefix(ls, "'sha384-") || strings.HasPrefix(ls, "'sha512-") {
			hasNonce = true
		}
	}
	for _, s := range script {
		switch strings.ToLower(s) {
		case "'unsafe-inline'":
			if !hasNonce {
				bad = append(bad, "'unsafe-inline'")
			}
		case "'unsafe-eval'":
			bad = append(bad, "'unsafe-eval'")
		}
	}
	if _, ok := dirs["frame-ancestors"]; !ok {
		bad = append(bad, "no frame-ancestors")
	}
	if len(bad) > 0 {
		return result("header-csp", Fail, strings.Join(bad, ", ")+" in: "+v)
	}
	return result("header-csp", Pass, "Content-Security-Policy: "+v)
}

var safeReferrer = map[string]bool{"no-referrer": true, "same-origin": true, "strict-origin": true, "strict-origin-when-cross-origin": true}

// referrerResult takes the last policy the browser understands, as a
// browser does with a comma-separated fallback list.
func referrerResult(v string) Result {
	if v == "" {
		return result("header-referrer-policy", Fail, "no Referrer-Policy header")
	}
	parts := strings.Split(v, ",")
	last := strings.ToLower(strings.TrimSpace(parts[len(parts)-1]))
	return passIf("header-referrer-policy", safeReferrer[last], "Referrer-Policy: "+v)
}

// cookieResult lists the cookies missing Secure (over HTTPS), HttpOnly or
// SameSite.
func cookieResult(p *page) Result {
	cookies := (&http.Response{Header: p.header}).Cookies()
	if len(cookies) == 0 {
		return result("cookie-flags", Pass, "no cookies set")
	}
	var bad []string
	for _, ck := range cookies {
		var miss []string
		if !ck.Secure && p.url.Scheme == "https" {
			miss = append(miss, "Secure")
		}
		if !ck.HttpOnly {
			miss = append(miss, "HttpOnly")
		}
		if ck.SameSite == http.SameSiteDefaultMode {
			miss = append(miss, "SameSite")
		}
		if len(miss) > 0 {
			bad = append(bad, fmt.Sprintf("%s without %s", ck.Name, strings.Join(miss, ", ")))
		}
	}
	if len(bad) > 0 {
		return result("cookie-flags", Fail, strings.Join(bad, "; "))
	}
	return result("cookie-flags", Pass, fmt.Sprintf("%d cookies, all Secure, HttpOnly and SameSite", len(cookies)))
}

var versionRE = regexp.MustCompile(`\d+\.\d+`)

// bannerResult fails a Server or X-Powered-By header that names a
// version ("Apache/2.4.49", "PHP/7.4.3").
func bannerResult(h http.Header) Result {
	var bad []string
	for _, name := range []string{"Server", "X-Powered-By", "X-AspNet-Version", "X-AspNetMvc-Version"} {
		if v := h.Get(name); v != "" && versionRE.MatchString(v) {
			bad = append(bad, name+": "+v)
		}
	}
	if len(bad) > 0 {
		return result("banner-version", Fail, strings.Join(bad, "; "))
	}
	return result("banner-version", Pass, firstOf(headerEvidence("Server", h.Get("Server")), "no version in Server or X-Powered-By"))
}
