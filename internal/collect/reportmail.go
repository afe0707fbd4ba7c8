package collect

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/emersion/go-message/mail"
	"golang.org/x/net/html"

	"github.com/qalxan/qalxan/internal/incident"
)

// ReportMail is a report that came to the incident mailbox: a citizen's
// own words, often with the phishing mail they got forwarded as an
// attachment (.eml, message/rfc822). What matters for the case is taken
// out of it: the URLs in the text and HTML of both, the forwarded mail's
// sender and subject, and PNG or JPEG screenshots.
type ReportMail struct {
	MessageID   string // the mail's Message-ID, or one made from its SHA-256 when it has none
	From        string // the reporter's address
	Subject     string
	Text        string // the reporter's words (the text part, or the HTML's text)
	Forwarded   []ForwardedMail
	URLs        []string // normalised (incident.Normalise), each once, in order of appearance
	Screenshots []incident.ReportFile
}

// ForwardedMail is a mail attached to a report: what the reporter got.
type ForwardedMail struct {
	From, Subject, MessageID string
}

// Limits of what one report mail yields.
const (
	maxMailText  = 8000 // characters of the reporter's words kept
	maxMailURLs  = 50
	maxNesting   = 3 // forwarded mails inside forwarded mails
	maxPartBytes = 2 << 20
	maxForwarded = 10
)

// urlRE finds URLs in text, defanged ones too ("hxxps://evil[.]example").
var urlRE = regexp.MustCompile(`(?i)\b(?:https?|hxxps?)(?:://|\[:\]//)[^\s<>"'` + "`" + `]+`)

// ParseReportMail reads one mail (RFC 5322, at most limit bytes).
func ParseReportMail(r io.Reader, limit int64) (*ReportMail, error) {
	raw, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(raw)) > limit {
		return nil, fmt.Errorf("mail larger than %d bytes: %w", limit, ErrTooLarge)
	}
	rm := &ReportMail{}
	seen := map[string]bool{}
	top, err := rm.walk(raw, 0, seen)
	if err != nil {
		return nil, err
	}
	rm.From, rm.Subject, rm.MessageID = top.From, top.Subject, top.MessageID
	if rm.From == "" {
		// Every mail a mail server delivers has a sender: without one,
		// this is not a mail (or one too damaged to answer).
		return nil, invalid(nil, "not a mail: no sender (From)")
	}
	if rm.MessageID == "" {
		// The same mail must not make two reports even without an id.
		sum := sha256.Sum256(raw)
		rm.MessageID = "sha256-" + hex.EncodeToString(sum[:16]) + "@qalxan.invalid"
	}
	return rm, nil
}

// walk reads one message: its header, its text (kept for the top level
// only), its URLs, its image attachments (top level only) and, for each
// attached mail, the same again one level down.
func (rm *ReportMail) walk(raw []byte, depth int, seen map[string]bool) (ForwardedMail, error) {
	var hdr ForwardedMail
	mr, err := mail.CreateReader(bytes.NewReader(raw))
	if err != nil && mr == nil {
		return hdr, invalid(err, "not a readable mail message")
	}
	defer mr.Close()
	// Undecodable header charsets leave the raw text, still worth having,
	// made valid UTF-8 as the body's text is: a report refuses anything else.
	subject, _ := mr.Header.Subject()
	hdr.Subject = strings.ToValidUTF8(subject, "\uFFFD")
	if from, err := mr.Header.AddressList("From"); err == nil && len(from) > 0 {
		hdr.From = from[0].Address
	}
	hdr.MessageID, _ = mr.Header.MessageID()
	var text, htmlText strings.Builder
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if depth > 0 {
				break // a damaged attachment spoils only itself
			}
			return hdr, invalid(err, "mail %q: MIME structure", hdr.Subject)
		}
		ct, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
		if ct == "" {
			ct = "text/plain"
		}
		name := partFileName(p.Header)
		_, attached := p.Header.(*mail.AttachmentHeader)
		body, err := io.ReadAll(io.LimitReader(p.Body, maxPartBytes+1))
		if err != nil {
			continue
		}
		switch {
		case ct == "message/rfc822" || strings.HasSuffix(strings.ToLower(name), ".eml"):
			if depth < maxNesting && len(rm.Forwarded) < maxForwarded {
				fw, err := rm.walk(body, depth+1, seen)
				if err == nil {
					rm.Forwarded = append(rm.Forwarded, fw)
				}
			}
		case ct == "text/plain" && !attached:
			rm.addURLs(string(body), seen)
			if depth == 0 {
				text.Write(body)
			}
		case ct == "text/html" && !attached:
			t := rm.addHTML(body, seen)
			if depth == 0 {
				htmlText.WriteString(t)
			}
		case depth == 0 && attached && len(body) <= incident.MaxScreenshotSize && len(rm.Screenshots) < incident.MaxScreenshots:
			// Screenshots: only what the bytes show to be PNG or JPEG.
			if f, err := incident.CheckScreenshot(orDefault(name, "screenshot"), body, http.DetectContentType(body)); err == nil {
				rm.Screenshots = append(rm.Screenshots, f)
			}
		}
	}
	if depth == 0 {
		t := text.String()
		if strings.TrimSpace(t) == "" {
			t = htmlText.String()
		}
		rm.Text = clip(strings.TrimSpace(strings.ToValidUTF8(t, "\uFFFD")), maxMailText)
	}
	return hdr, nil
}

// addURLs adds the URLs in text.
func (rm *ReportMail) addURLs(text string, seen map[string]bool) {
	for _, u := range urlRE.FindAllString(text, -1) {
		rm.addURL(u, seen)
	}
}

func (rm *ReportMail) addURL(u string, seen map[string]bool) {
	if len(rm.URLs) >= maxMailURLs {
		return
	}
	u = strings.TrimRight(u, ".,;:!?)]}>'\"")
	v, err := incident.Normalise(incident.KindURL, u, "")
	if err != nil || seen[v] {
		return
	}
	seen[v] = true
	rm.URLs = append(rm.URLs, v)
}

// addHTML adds the link targets and the URLs written in the text of an
// HTML part, and returns its text. A phishing mail's link text often
// shows the real bank's address while the href goes elsewhere: both are
// kept.
func (rm *ReportMail) addHTML(b []byte, seen map[string]bool) string {
	z := html.NewTokenizer(bytes.NewReader(b))
	var text strings.Builder
	skip := 0
	for {
		switch z.Next() {
		case html.ErrorToken:
			return text.String()
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			switch string(name) {
			case "script", "style":
				skip++
			case "br", "p", "div", "tr", "li":
				text.WriteByte('\n')
			}
			for hasAttr {
				var k, v []byte
				k, v, hasAttr = z.TagAttr()
				if string(k) == "href" || (string(k) == "action" && string(name) == "form") {
					if s := strings.TrimSpace(string(v)); strings.HasPrefix(strings.ToLower(s), "http") || strings.HasPrefix(strings.ToLower(s), "hxxp") {
						rm.addURL(s, seen)
					}
				}
			}
		case html.EndTagToken:
			if name, _ := z.TagName(); (string(name) == "script" || string(name) == "style") && skip > 0 {
				skip--
			}
		case html.TextToken:
			if skip == 0 {
				t := string(z.Text())
				rm.addURLs(t, seen)
				text.WriteString(t)
			}
		}
	}
}

// clip cuts s to at most n characters.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}

// Report is the incident report the mail makes: a citizen's, by e-mail,
// about phishing unless an analyst says otherwise at triage; its
// description the subject, the reporter's words and what was forwarded;
// its URL the first one found (a forwarded mail's first, when there is
// one). Observables has all the URLs and the forwarded mails' senders.
func (rm *ReportMail) Report() incident.Report {
	var b strings.Builder
	if rm.Subject != "" {
		fmt.Fprintf(&b, "%s\n\n", rm.Subject)
	}
	b.WriteString(rm.Text)
	for _, f := range rm.Forwarded {
		fmt.Fprintf(&b, "\n\n--- forwarded mail: from %s, subject %q", orDefault(f.From, "(unknown)"), f.Subject)
	}
	desc := strings.TrimSpace(b.String())
	if desc == "" {
		desc = "(a mail without text)"
	}
	r := incident.Report{Category: incident.CatPhishing, ReporterType: incident.ReporterCitizen, Channel: incident.ChannelEmail,
		Description: clip(desc, 9000), Language: "az"}
	if a, err := incident.Normalise(incident.KindEmail, rm.From, ""); err == nil {
		r.ReporterEmail = a
	}
	if len(rm.URLs) > 0 {
		r.URL = rm.URLs[0]
	}
	return r
}

// Observables are what the mail names that can be correlated: every URL
// and the sender of every forwarded mail (the phisher's address, not the
// reporter's).
func (rm *ReportMail) Observables() []incident.Observable {
	var out []incident.Observable
	for _, u := range rm.URLs {
		out = append(out, incident.Observable{Kind: incident.KindURL, Value: u})
	}
	for _, f := range rm.Forwarded {
		if a, err := incident.Normalise(incident.KindEmail, f.From, ""); err == nil {
			out = append(out, incident.Observable{Kind: incident.KindEmail, Value: a})
		}
	}
	return out
}
