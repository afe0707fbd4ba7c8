package ui

import (
	"net/url"
	"strings"

	"github.com/qalxan/qalxan/internal/constituency"
	"github.com/qalxan/qalxan/internal/storage"
)

// orgFilter is the organisation list's filter bar. It lives in the URL
// (?q=&sector=&cii=&contacts=), so a filtered list can be bookmarked and
// shared, and the export link exports exactly what the list shows.
type orgFilter struct {
	Q        string
	Sector   string
	CII      string // "", "yes" or "no"
	Contacts string // "" or "none": only organisations nobody can be notified at
}

func parseOrgFilter(q url.Values) orgFilter {
	f := orgFilter{Q: strings.TrimSpace(q.Get("q")), Sector: q.Get("sector"), CII: q.Get("cii"), Contacts: q.Get("contacts")}
	if _, err := constituency.ParseSector(f.Sector); err != nil || f.Sector == "" {
		f.Sector = ""
	}
	if f.CII != "yes" && f.CII != "no" {
		f.CII = ""
	}
	if f.Contacts != "none" {
		f.Contacts = ""
	}
	return f
}

// URL is path with the filter as query parameters, plus extra pairs
// ("after", cursor). It returns a whole URL so templates put it in an href
// as it is (a bare query string in an href would be escaped).
func (f orgFilter) URL(path string, extra ...string) string {
	v := url.Values{}
	for k, x := range map[string]string{"q": f.Q, "sector": f.Sector, "cii": f.CII, "contacts": f.Contacts} {
		if x != "" {
			v.Set(k, x)
		}
	}
	for i := 0; i+1 < len(extra); i += 2 {
		v.Set(extra[i], extra[i+1])
	}
	if len(v) == 0 {
		return path
	}
	return path + "?" + v.Encode()
}

// Active reports whether any filter is set.
func (f orgFilter) Active() bool { return f != orgFilter{} }

func (f orgFilter) storage(after string, limit int) storage.OrgFilter {
	sf := storage.OrgFilter{Query: f.Q, Sector: f.Sector, NoContacts: f.Contacts == "none", After: after, Limit: limit}
	if f.CII != "" {
		cii := f.CII == "yes"
		sf.CII = &cii
	}
	return sf
}
