package demo

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"strings"
	"time"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/constituency"
	"github.com/qalxan/qalxan/internal/feed"
	"github.com/qalxan/qalxan/internal/orgfile"
	"github.com/qalxan/qalxan/internal/pipeline"
	"github.com/qalxan/qalxan/internal/storage"

	// The parsers of the reports the demo month is made of.
	_ "github.com/qalxan/qalxan/internal/feed/abusech"
	_ "github.com/qalxan/qalxan/internal/feed/openphish"
	_ "github.com/qalxan/qalxan/internal/feed/shadowserver"
	_ "github.com/qalxan/qalxan/internal/feed/spamhaus"
)

// Report is one generated feed report, in the feed's real format.
type Report struct {
	Feed     string // feed name (see 'qalxan feeds')
	FileName string
	Observed time.Time // when it was "collected"
	Content  []byte
}

// Days is how many days a generated month covers.
const Days = 30

// Orgs returns the demo constituency as the import format decodes it.
func Orgs() ([]constituency.Org, error) {
	orgs, err := orgfile.Decode(bytes.NewReader(constituencyYAML), orgfile.YAML)
	if err != nil {
		return nil, fmt.Errorf("demo: constituency: %w", err)
	}
	return orgs, nil
}

// Month generates the reports of the Days days before now: per day the
// Shadowserver scan_rdp, scan_smb, scan_http and event4_sinkhole reports,
// the OpenPhish feed, a URLhaus CSV feed and the Spamhaus DROP list. About
// half of the addresses and names are inside the constituency (orgs'
// networks and domains), half outside; some rows repeat the day before
// (as real reports overlap), so deduplication shows; a few rows are
// malformed, so bad-row reporting shows. The same now gives the same
// reports.
func Month(orgs []constituency.Org, now time.Time) []Report {
	g := newGen(orgs)
	today := now.UTC().Truncate(24 * time.Hour)
	var out []Report
	for d := Days; d >= 1; d-- {
		out = append(out, g.day(today.AddDate(0, 0, -d))...)
	}
	return out
}

// LoadMonth ingests Month(now) through p when the store holds no events
// yet (so a demo database is filled once), and says whether it did.
func LoadMonth(ctx context.Context, s *storage.Store, p *pipeline.Pipeline, now time.Time) (pipeline.Stats, bool, error) {
	var total pipeline.Stats
	n, err := s.CountEvents(ctx, auth.Everything, storage.EventFilter{})
	if err != nil || n > 0 {
		return total, false, err
	}
	orgs, err := Orgs()
	if err != nil {
		return total, false, err
	}
	for _, r := range Month(orgs, now) {
		st, err := p.Ingest(ctx, pipeline.Input{
			Source: "demo", Feed: r.Feed, Content: bytes.NewReader(r.Content),
			Report: feed.Report{FileName: r.FileName, Observed: r.Observed},
		})
		total.Add(st)
		if err != nil {
			return total, true, fmt.Errorf("demo: ingest %s: %w", r.FileName, err)
		}
	}
	return total, true, nil
}

// gen holds the generator's state: the random source and the pools of
// addresses and names that come back day after day.
type gen struct {
	r *rand.Rand

	insideIPs   []netip.Addr // hosts in the orgs' IPv4 networks
	insideASN   map[netip.Addr]string
	insideNames []string // names under the orgs' domains
	insideNets  []netip.Prefix

	// the hosts that show in each report, a stable population
	rdp, smb, http, sinkhole []host
	// yesterday's rows of each Shadowserver report, some repeated today
	prev map[string][][]string
}

type host struct {
	ip   netip.Addr
	asn  string
	geo  string
	name string
}

var (
	countries = []string{"RU", "DE", "US", "NL", "TR", "CN", "IR", "GE", "UA", "FR"}
	families  = []string{"mirai", "qakbot", "emotet", "avalanche-andromeda", "necurs", "conficker", "ramnit", "sality"}
	brands    = []string{"paypal", "microsoft", "apple", "kapitalbank", "azercell", "asan-xidmet", "dhl", "netflix"}
	words     = []string{"secure", "login", "verify", "account", "update", "support", "portal", "online", "service", "auth"}
	servers   = []string{"nginx", "Apache/2.4.41 (Ubuntu)", "Microsoft-IIS/8.5", "lighttpd", "Apache/2.2.15 (CentOS)"}
)

func newGen(orgs []constituency.Org) *gen {
	g := &gen{r: rand.New(rand.NewPCG(2026, 11)), insideASN: map[netip.Addr]string{}, prev: map[string][][]string{}}
	for _, o := range orgs {
		asn := ""
		for _, res := range o.Resources {
			if res.Kind == constituency.KindASN {
				asn = strings.TrimPrefix(strings.ToUpper(res.Value), "AS")
			}
		}
		for _, res := range o.Resources {
			switch res.Kind {
			case constituency.KindCIDR:
				p, err := netip.ParsePrefix(res.Value)
				if err != nil || !p.Addr().Is4() || p.Bits() < 16 {
					continue
				}
				g.insideNets = append(g.insideNets, p)
				// A few hosts of each network, not all: real reports see
				// the same exposed machines again.
				for i := 0; i < 6; i++ {
					a := nthAddr(p, 1+g.r.IntN(1<<(32-p.Bits())-2))
					g.insideIPs = append(g.insideIPs, a)
					g.insideASN[a] = asn
				}
			case constituency.KindDomain:
				for _, sub := range []string{"www", "mail", "portal", "vpn", "old"} {
					g.insideNames = append(g.insideNames, sub+"."+res.Value)
				}
			}
		}
	}
	g.rdp = g.pool(220)
	g.smb = g.pool(150)
	g.http = g.pool(360)
	g.sinkhole = g.pool(260)
	return g
}

// nthAddr is the n-th address of p.
func nthAddr(p netip.Prefix, n int) netip.Addr {
	b := p.Masked().Addr().As4()
	v := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
	v += uint32(n)
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
}

// pool makes n hosts, about half inside the constituency.
func (g *gen) pool(n int) []host {
	hs := make([]host, n)
	for i := range hs {
		if g.r.IntN(2) == 0 && len(g.insideIPs) > 0 {
			a := g.insideIPs[g.r.IntN(len(g.insideIPs))]
			hs[i] = host{ip: a, asn: g.insideASN[a], geo: "AZ"}
			if g.r.IntN(3) == 0 && len(g.insideNames) > 0 {
				hs[i].name = g.insideNames[g.r.IntN(len(g.insideNames))]
			}
			continue
		}
		hs[i] = g.outside()
	}
	return hs
}

// outside is a host outside the constituency: an address in the shared
// address space (RFC 6598), an AS number from the private range, so that
// nothing generated points at a real network.
func (g *gen) outside() host {
	a := netip.AddrFrom4([4]byte{100, byte(64 + g.r.IntN(64)), byte(g.r.IntN(256)), byte(1 + g.r.IntN(254))})
	return host{ip: a, asn: fmt.Sprint(4200000000 + g.r.IntN(1000)), geo: countries[g.r.IntN(len(countries))]}
}

func (g *gen) pick(hs []host) host { return hs[g.r.IntN(len(hs))] }

// day makes one day's reports.
func (g *gen) day(d time.Time) []Report {
	date := d.Format("2006-01-02")
	observed := d.Add(23*time.Hour + 55*time.Minute) // collected at the end of the day
	ts := func() string {
		return d.Add(time.Duration(g.r.IntN(86400)) * time.Second).Format("2006-01-02 15:04:05")
	}
	out := []Report{
		g.shadowserver(date, "scan_rdp", observed, 110, scanRDPHeader, func() []string {
			h := g.pick(g.rdp)
			return []string{ts(), h.ip.String(), "3389", h.name, "rdp", "", h.asn, h.geo, "", "", "RDP", "2048",
				"WIN-" + strings.ToUpper(fmt.Sprintf("%x", g.r.Uint32())), "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "N", yn(g.r.IntN(8) == 0), ""}
		}),
		g.shadowserver(date, "scan_smb", observed, 70, scanSMBHeader, func() []string {
			h := g.pick(g.smb)
			return []string{ts(), h.ip.String(), "445", h.name, "smb", h.asn, h.geo, "", "", "0", "0", "N", "", "", yn(g.r.IntN(3) == 0), "2", "1", "0", "SMB 2.1"}
		}),
		g.shadowserver(date, "scan_http", observed, 190, scanHTTPHeader, func() []string {
			h := g.pick(g.http)
			port := []string{"80", "8080", "8000", "8888"}[g.r.IntN(4)]
			return []string{ts(), h.ip.String(), "tcp", port, h.name, "http", h.asn, h.geo, "", "", "0", "0", "HTTP/1.1", "200", "OK", "text/html",
				"", "", "", servers[g.r.IntN(len(servers))], "", "", d.Format(time.RFC1123)}
		}),
		g.shadowserver(date, "event4_sinkhole", observed, 150, sinkholeHeader, func() []string {
			h := g.pick(g.sinkhole)
			fam := families[g.r.IntN(len(families))]
			return []string{ts(), "tcp", h.ip.String(), fmt.Sprint(1024 + g.r.IntN(60000)), h.asn, h.geo, "", "", h.name, "", "", "", "", "",
				"100.127.255.10", []string{"80", "443", "8080"}[g.r.IntN(3)], "4200000999", "NL", "", "", "", "", "", "sinkhole-demo", fam, fam, "", "", "", ""}
		}),
		g.openphish(date, observed),
		g.urlhaus(date, d, observed),
		g.drop(date, d, observed),
	}
	return out
}

func yn(b bool) string {
	if b {
		return "Y"
	}
	return "N"
}

// The headers of Shadowserver's reports, as in the real samples.
var (
	scanRDPHeader  = `"timestamp","ip","port","hostname","tag","handshake","asn","geo","region","city","rdp_protocol","cert_length","subject_common_name","issuer_common_name","cert_issue_date","cert_expiration_date","sha1_fingerprint","cert_serial_number","ssl_version","signature_algorithm","key_algorithm","sha256_fingerprint","sha512_fingerprint","md5_fingerprint","naics","sic","sector","tlsv13_support","tlsv13_cipher","cve20190708_vulnerable","bluekeep_vulnerable","jarm"`
	scanSMBHeader  = `"timestamp","ip","port","hostname","tag","asn","geo","region","city","naics","sic","smb_implant","arch","key","smbv1_support","smb_major_number","smb_minor_number","smb_revision","smb_version_string"`
	scanHTTPHeader = `"timestamp","ip","protocol","port","hostname","tag","asn","geo","region","city","naics","sic","http","http_code","http_reason","content_type","connection","www_authenticate","set_cookie","server","content_length","transfer_encoding","http_date"`
	sinkholeHeader = `"timestamp","protocol","src_ip","src_port","src_asn","src_geo","src_region","src_city","src_hostname","src_naics","src_sector","device_vendor","device_type","device_model","dst_ip","dst_port","dst_asn","dst_geo","dst_region","dst_city","dst_hostname","dst_naics","dst_sector","public_source","infection","family","tag","application","version","event_id"`
)

// shadowserver writes one report: n new rows, about a tenth of
// yesterday's rows again, and on some days a malformed row.
func (g *gen) shadowserver(date, typ string, observed time.Time, n int, header string, row func() []string) Report {
	var b bytes.Buffer
	b.WriteString(header)
	b.WriteString("\r\n")
	var rows [][]string
	for range n + g.r.IntN(n/5+1) {
		rows = append(rows, row())
	}
	for _, r := range g.prev[typ] {
		if g.r.IntN(10) == 0 {
			writeCSV(&b, r)
		}
	}
	g.prev[typ] = rows
	for i, r := range rows {
		if i == len(rows)/2 && g.r.IntN(3) == 0 {
			bad := append([]string(nil), r...)
			bad[0] = "not a time"
			writeCSV(&b, bad)
		}
		writeCSV(&b, r)
	}
	return Report{Feed: "shadowserver", FileName: date + "-" + typ + "-az-geo.csv", Observed: observed, Content: b.Bytes()}
}

func writeCSV(b *bytes.Buffer, rec []string) {
	for i, v := range rec {
		if i > 0 {
			b.WriteByte(',')
		}
		if v != "" && strings.ContainsAny(v, "\", ") || i == 0 {
			b.WriteString(`"` + strings.ReplaceAll(v, `"`, `""`) + `"`)
		} else {
			b.WriteString(v)
		}
	}
	b.WriteString("\r\n")
}

// openphish writes the community feed: phishing pages on compromised
// sites in the constituency and on look-alike names outside it.
func (g *gen) openphish(date string, observed time.Time) Report {
	var b bytes.Buffer
	for i := range 35 + g.r.IntN(15) {
		brand := brands[g.r.IntN(len(brands))]
		if g.r.IntN(2) == 0 && len(g.insideNames) > 0 {
			fmt.Fprintf(&b, "https://%s/wp-content/uploads/%s/%s/login.php\n", g.insideNames[g.r.IntN(len(g.insideNames))], brand, words[g.r.IntN(len(words))])
		} else {
			fmt.Fprintf(&b, "https://%s-%s%d.example/%s/\n", brand, words[g.r.IntN(len(words))], g.r.IntN(40), words[g.r.IntN(len(words))])
		}
		if i == 10 && g.r.IntN(3) == 0 {
			b.WriteString("hxxp//broken link\n")
		}
	}
	return Report{Feed: "openphish", FileName: "openphish-" + date + ".txt", Observed: observed, Content: b.Bytes()}
}

// urlhaus writes a URLhaus CSV feed: malware downloads on hosts inside and
// outside the constituency.
func (g *gen) urlhaus(date string, d, observed time.Time) Report {
	var b bytes.Buffer
	b.WriteString("################################################################\n" +
		"# abuse.ch URLhaus Database Dump (CSV) - demo data, generated      #\n" +
		"################################################################\n#\n" +
		"# Dateadded (UTC),URL,URL_status,Threat,Host,IPaddress,ASnumber,Country\n")
	for i := range 50 + g.r.IntN(20) {
		h := g.pick(g.sinkhole)
		hostPart := h.ip.String()
		if h.name != "" {
			hostPart = h.name
		}
		status := []string{"online", "offline"}[g.r.IntN(2)]
		file := []string{"bins/x86", "bins/arm7", "mozi.m", "invoice.exe", "doc/scan.js"}[g.r.IntN(5)]
		fmt.Fprintf(&b, "%s,http://%s/%s,%s,malware_download,%s,%s,%s,%s\n",
			d.Add(time.Duration(g.r.IntN(86400))*time.Second).Format("2006-01-02 15:04:05"),
			hostPart, file, status, hostPart, h.ip, h.asn, h.geo)
		if i == 20 && g.r.IntN(3) == 0 {
			b.WriteString("2026-13-45 99:00:00,http://,offline\n")
		}
	}
	return Report{Feed: "abusech-urlhaus", FileName: "urlhaus-" + date + ".csv", Observed: observed, Content: b.Bytes()}
}

// drop writes the Spamhaus DROP list. Spamhaus changes it now and then:
// here it is re-dated every Monday, so the days in between list the same
// networks again (duplicates).
func (g *gen) drop(date string, d, observed time.Time) Report {
	monday := d.AddDate(0, 0, -((int(d.Weekday()) + 6) % 7))
	r := rand.New(rand.NewPCG(uint64(monday.Unix()), 7)) // the same list all week
	var b bytes.Buffer
	fmt.Fprintf(&b, "; Spamhaus DROP List %s - demo data, generated\n; https://www.spamhaus.org/drop/drop.txt\n; Last-Modified: %s\n",
		d.Format("2006/01/02"), monday.Add(4*time.Hour).Format(time.RFC1123))
	for i := range 25 {
		fmt.Fprintf(&b, "100.%d.%d.0/24 ; SBL%d\n", 64+r.IntN(64), r.IntN(256), 500000+r.IntN(99999))
		if i == 12 && d.Weekday() == time.Wednesday {
			b.WriteString("300.1.2.0/24 ; SBL1\n")
		}
	}
	return Report{Feed: "spamhaus-drop", FileName: "drop-" + date + ".txt", Observed: observed, Content: b.Bytes()}
}
