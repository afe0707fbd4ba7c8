package notify

import (
	"bytes"
	"cmp"
	"embed"
	"fmt"
	htmltemplate "html/template"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	texttemplate "text/template"
	"time"

	"github.com/qalxan/qalxan/internal/constituency"
	"github.com/qalxan/qalxan/internal/finding"
)

//go:embed templates
var builtinTemplates embed.FS

// Batch is what one notice is made of: an organisation, the contacts to
// write to, and its findings.
type Batch struct {
	Org      constituency.Org
	Contacts []constituency.Contact
	Findings []finding.Finding
}

// Composer renders notices from templates. The templates are
// notice.LANG.txt (with a "subject" block) and notice.LANG.html per
// language; a file of that name in Dir replaces the built-in one without
// rebuilding.
type Composer struct {
	BaseURL string // of the agency portal; links are BaseURL/findings?org=SHORT
	// SignLink, when set, makes the portal link a signed one,
	// BaseURL/n/TOKEN, that opens the organisation's findings for the
	// notice's recipients without an account (auth.SignLink).
	SignLink func(orgID int64, contact string) string
	Remedies Remedies
	Location *time.Location // the zone dates are shown in

	text map[constituency.Language]*texttemplate.Template
	html map[constituency.Language]*htmltemplate.Template
}

// NewComposer loads the templates, each from dir when it has the file
// ("" for the built-in ones only).
func NewComposer(baseURL, dir string, loc *time.Location) (*Composer, error) {
	if loc == nil {
		loc = time.UTC
	}
	c := &Composer{BaseURL: strings.TrimRight(baseURL, "/"), Remedies: DefaultRemedies(), Location: loc,
		text: map[constituency.Language]*texttemplate.Template{}, html: map[constituency.Language]*htmltemplate.Template{}}
	read := func(name string) ([]byte, error) {
		if dir != "" {
			b, err := os.ReadFile(filepath.Join(dir, name))
			if err == nil {
				return b, nil
			}
			if !os.IsNotExist(err) {
				return nil, fmt.Errorf("notify: template %s: %w", name, err)
			}
		}
		return fs.ReadFile(builtinTemplates, "templates/"+name)
	}
	funcs := map[string]any{
		"date": func(t time.Time) string {
			if t.IsZero() {
				return "-"
			}
			return t.In(c.Location).Format("2006-01-02 15:04")
		},
		"upper": strings.ToUpper,
	}
	for _, lang := range constituency.Languages {
		b, err := read("notice." + string(lang) + ".txt")
		if err != nil {
			return nil, err
		}
		t, err := texttemplate.New("txt").Funcs(funcs).Parse(string(b))
		if err != nil {
			return nil, fmt.Errorf("notify: template notice.%s.txt: %w", lang, err)
		}
		if t.Lookup("subject") == nil {
			return nil, fmt.Errorf("notify: template notice.%s.txt: no {{define \"subject\"}}", lang)
		}
		c.text[lang] = t
		b, err = read("notice." + string(lang) + ".html")
		if err != nil {
			return nil, err
		}
		h, err := htmltemplate.New("html").Funcs(funcs).Parse(string(b))
		if err != nil {
			return nil, fmt.Errorf("notify: template notice.%s.html: %w", lang, err)
		}
		c.html[lang] = h
	}
	return c, nil
}

// Item is one finding as templates see it.
type Item struct {
	finding.Finding
	Remedy string
	New    bool // not yet notified: open or reopened
}

// view is the data of the templates.
type view struct {
	Reference string
	Kind      Kind
	Org       constituency.Org
	TLP       string // "TLP:AMBER"
	TLPColour string
	Portal    string
	Highest   finding.Severity
	Count     int
	New       int
	Overdue   int
	Items     []Item
	Now       time.Time
}

// Prepare fills the notice's fields that do not depend on its reference:
// organisation, kind, language, TLP, recipients, findings, highest
// severity. Findings are ordered most severe first. It returns false when
// there is nobody to write to.
func Prepare(b Batch, kind Kind) (*Notice, bool) {
	n := &Notice{OrgID: b.Org.ID, Org: b.Org.ShortName, Kind: kind, Status: Queued, Language: b.Org.Language, TLP: b.Org.TLP}
	if n.Language == "" {
		n.Language = constituency.DefaultLanguage
	}
	n.To = Recipients(b.Contacts, kind)
	for _, f := range b.Findings {
		n.FindingIDs = append(n.FindingIDs, f.ID)
		n.HighestSeverity = max(n.HighestSeverity, f.Severity)
	}
	n.FindingsCount = len(b.Findings)
	return n, len(n.To) > 0 && n.FindingsCount > 0
}

// Recipients picks the addresses a notice of kind goes to: escalations to
// the escalation contacts, other notices to every contact but those (the
// security, technical, abuse... contacts), or to the escalation contacts
// when they are the only ones.
func Recipients(cs []constituency.Contact, kind Kind) []string {
	var esc, rest []string
	for _, c := range cs {
		if c.Role == "escalation" {
			esc = append(esc, c.Email)
		} else {
			rest = append(rest, c.Email)
		}
	}
	if kind == Escalation || len(rest) == 0 {
		rest = esc
	}
	slices.Sort(rest)
	return slices.Compact(rest)
}

// Render writes the subject and bodies of n (whose reference is set) for
// batch b at now.
func (c *Composer) Render(n *Notice, b Batch, now time.Time) error {
	fs := slices.Clone(b.Findings)
	slices.SortStableFunc(fs, func(x, y finding.Finding) int {
		return cmp.Or(cmp.Compare(y.Severity, x.Severity), cmp.Compare(x.Identifier, y.Identifier), cmp.Compare(x.Resource, y.Resource))
	})
	v := view{Reference: n.Reference, Kind: n.Kind, Org: b.Org, TLP: n.TLP.String(), TLPColour: n.TLP.Colour(), Count: len(fs), Now: now, Highest: n.HighestSeverity}
	if c.BaseURL != "" {
		v.Portal = c.BaseURL + "/findings?org=" + url.QueryEscape(b.Org.ShortName)
		if c.SignLink != nil && len(n.To) > 0 {
			v.Portal = c.BaseURL + "/n/" + c.SignLink(b.Org.ID, strings.Join(n.To, ","))
		}
	}
	for _, f := range fs {
		it := Item{Finding: f, Remedy: c.Remedies.For(f.Identifier).In(n.Language), New: f.Status == finding.Open || f.Status == finding.Reopened}
		if it.New {
			v.New++
		}
		if f.Overdue(now) {
			v.Overdue++
		}
		v.Items = append(v.Items, it)
	}
	t, ok := c.text[n.Language]
	if !ok {
		t = c.text[constituency.DefaultLanguage]
	}
	var subj, text, html bytes.Buffer
	if err := t.ExecuteTemplate(&subj, "subject", v); err != nil {
		return fmt.Errorf("notify: subject of %s: %w", n.Reference, err)
	}
	if err := t.Execute(&text, v); err != nil {
		return fmt.Errorf("notify: text of %s: %w", n.Reference, err)
	}
	h, ok := c.html[n.Language]
	if !ok {
		h = c.html[constituency.DefaultLanguage]
	}
	if err := h.Execute(&html, v); err != nil {
		return fmt.Errorf("notify: html of %s: %w", n.Reference, err)
	}
	n.Subject = strings.Join(strings.Fields(subj.String()), " ")
	n.Text, n.HTML = text.String(), html.String()
	return nil
}
