package collect

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"path"
	"regexp"
	"strings"
	"time"
)

// Where the Shadowserver Reports API and its downloads are.
const (
	ShadowserverAPI         = "https://transform.shadowserver.org/api2/"
	ShadowserverDownload    = "https://dl.shadowserver.org/"
	DefaultShadowserverDays = 2
)

// Keys of Report.Meta for reports from the Shadowserver API.
const (
	MetaShadowserverID     = "shadowserver.id"     // the report's id in the API
	MetaShadowserverType   = "shadowserver.type"   // its report type (scan_rdp ...)
	MetaShadowserverReport = "shadowserver.report" // the list (subscription) it belongs to
)

// Shadowserver fetches reports through the Shadowserver Reports API, as
// Shadowserver documents it and IntelMQ's collector uses it. A round asks
// reports/list for the reports of the last Days days, then downloads each
// one not fetched before from DownloadURL + its id. Calls to the API are
// POSTs of a JSON object that carries the API key, signed in the HMAC2
// header: the hex HMAC-SHA256 of the request body, keyed with the secret.
//
// The collector remembers the ids it handed on (for as long as the list
// shows them) and, through Known, the file names already in the archive,
// so a restart does not fetch again what was fetched; were it to, the
// archive would recognise the content.
type Shadowserver struct {
	Source string // collector name; "shadowserver" when empty

	// Credentials from config. They are sent, never logged, and kept out
	// of report metadata and error messages.
	APIKey, Secret string

	APIURL      string   // ShadowserverAPI when empty
	DownloadURL string   // ShadowserverDownload when empty
	Reports     []string // the lists (subscriptions) to ask for; empty: all the key may see
	Types       []string // report types to fetch (scan_rdp ...); empty: all
	Days        int      // how many days back to look; DefaultShadowserverDays when 0

	UserAgent string        // DefaultUserAgent when empty
	Timeout   time.Duration // per request, body included; DefaultTimeout when 0
	MaxBody   int64         // per report; DefaultMaxDownload when 0
	Client    *http.Client  // http.DefaultClient when nil

	// Known, when set, is asked once, on the first round, for the file
	// names of the reports this collector already brought in since a time.
	Known func(ctx context.Context, since time.Time) ([]string, error)
	Now   func() time.Time

	seen   map[string]bool // ids handed on, among those the last list showed
	known  map[string]bool // file names already archived
	loaded bool
}

var _ Collector = (*Shadowserver)(nil)

func (s *Shadowserver) Name() string { return orDefault(s.Source, "shadowserver") }

// LogValue keeps the credentials out of logs when the collector itself is
// logged.
func (s *Shadowserver) LogValue() slog.Value {
	return slog.GroupValue(slog.String("name", s.Name()), slog.String("api", s.apiURL()))
}

// ShadowserverReport is an entry of reports/list.
type ShadowserverReport struct {
	ID        string `json:"id"`
	Type      string `json:"type"`
	File      string `json:"file"`
	Report    string `json:"report"`
	Timestamp string `json:"timestamp"`
}

// shadowserverID is what a report id looks like; anything else is not put
// into a download URL.
var shadowserverID = regexp.MustCompile(`^[A-Za-z0-9_.=-]{1,200}$`)

// Collect lists the reports and hands on the new ones. A report that fails
// is left to be fetched next round; the others go on.
func (s *Shadowserver) Collect(ctx context.Context, h Handler) error {
	today := now(s.Now).Truncate(24 * time.Hour)
	days := s.Days
	if days <= 0 {
		days = DefaultShadowserverDays
	}
	from := today.AddDate(0, 0, -days)
	if !s.loaded && s.Known != nil {
		names, err := s.Known(ctx, from)
		if err != nil {
			return fmt.Errorf("collect: %s: reports already fetched: %w", s.Name(), err)
		}
		s.known = map[string]bool{}
		for _, n := range names {
			s.known[n] = true
		}
	}
	s.loaded = true
	list, err := s.List(ctx, from, today)
	if err != nil {
		return err
	}
	listed := map[string]bool{}
	var errList []error
	for _, r := range list {
		listed[r.ID] = true
		if !s.wanted(r) || s.seen[r.ID] || s.known[path.Base(r.File)] {
			continue
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := s.fetch(ctx, r, h); err != nil {
			errList = append(errList, err)
			continue
		}
		if s.seen == nil {
			s.seen = map[string]bool{}
		}
		s.seen[r.ID] = true
	}
	// Forget what the list no longer shows: it will not come back.
	for id := range s.seen {
		if !listed[id] {
			delete(s.seen, id)
		}
	}
	return errors.Join(errList...)
}

func (s *Shadowserver) wanted(r ShadowserverReport) bool {
	if !shadowserverID.MatchString(r.ID) || r.File == "" {
		return false
	}
	if len(s.Types) == 0 {
		return true
	}
	for _, t := range s.Types {
		if r.Type == t || (r.Type == "" && strings.Contains(r.File, "-"+t+"-")) {
			return true
		}
	}
	return false
}

// List calls reports/list for the reports dated from to to (days, UTC).
func (s *Shadowserver) List(ctx context.Context, from, to time.Time) ([]ShadowserverReport, error) {
	req := struct {
		APIKey  string   `json:"apikey"`
		Date    string   `json:"date"`
		Reports []string `json:"reports,omitempty"`
	}{s.APIKey, from.Format(time.DateOnly) + ":" + to.Format(time.DateOnly), s.Reports}
	body, err := s.call(ctx, "reports/list", req)
	if err != nil {
		return nil, err
	}
	var list []ShadowserverReport
	if err := json.Unmarshal(body, &list); err != nil {
		return nil, fmt.Errorf("collect: %s: reports/list: %s", s.Name(), apiError(body, err))
	}
	return list, nil
}

// call POSTs a signed request to an API method and returns the answer's
// body.
func (s *Shadowserver) call(ctx context.Context, method string, request any) ([]byte, error) {
	body, err := json.Marshal(request)
	if err != nil {
		return nil, err
	}
	mac := hmac.New(sha256.New, []byte(s.Secret))
	mac.Write(body)
	ctx, cancel := context.WithTimeout(ctx, s.timeout())
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimSuffix(s.apiURL(), "/")+"/"+method, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("collect: %s: %s: %w", s.Name(), method, stripURL(err))
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("HMAC2", hex.EncodeToString(mac.Sum(nil)))
	req.Header.Set("User-Agent", orDefault(s.UserAgent, DefaultUserAgent))
	resp, err := s.client().Do(req)
	if err != nil {
		return nil, fmt.Errorf("collect: %s: %s: %w", s.Name(), method, stripURL(err))
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		return nil, fmt.Errorf("collect: %s: %s: %w", s.Name(), method, stripURL(err))
	}
	if resp.StatusCode/100 != 2 {
		return nil, fmt.Errorf("collect: %s: %s: server answered %s%s", s.Name(), method, resp.Status, errorSuffix(out))
	}
	return out, nil
}

// apiError explains an answer that is not what was asked for: the API
// reports failures as {"error": "..."}.
func apiError(body []byte, err error) string {
	if msg := errorSuffix(body); msg != "" {
		return "API error" + msg
	}
	return "unexpected answer: " + err.Error()
}

// errorSuffix is ": MESSAGE" when body is an API error object.
func errorSuffix(body []byte) string {
	var e struct {
		Error string `json:"error"`
	}
	if json.Unmarshal(body, &e) == nil && e.Error != "" {
		msg := e.Error
		if len(msg) > 200 {
			msg = msg[:200]
		}
		return ": " + strings.Join(strings.Fields(msg), " ")
	}
	return ""
}

// fetch downloads one report and hands it to h.
func (s *Shadowserver) fetch(ctx context.Context, r ShadowserverReport, h Handler) error {
	name := path.Base(strings.ReplaceAll(r.File, `\`, "/"))
	fail := func(err error) error { return fmt.Errorf("collect: %s: %s: %w", s.Name(), name, err) }
	ctx, cancel := context.WithTimeout(ctx, s.timeout())
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimSuffix(s.downloadURL(), "/")+"/"+r.ID, nil)
	if err != nil {
		return fail(stripURL(err))
	}
	req.Header.Set("User-Agent", orDefault(s.UserAgent, DefaultUserAgent))
	resp, err := s.client().Do(req)
	if err != nil {
		// The URL holds the report's id, which is as good as a key to it.
		return fail(stripURL(err))
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		drain(resp)
		return fail(fmt.Errorf("download: server answered %s", resp.Status))
	}
	limit := s.MaxBody
	if limit <= 0 {
		limit = DefaultMaxDownload
	}
	if resp.ContentLength > limit {
		return fail(fmt.Errorf("download of %d bytes is larger than the limit of %d: %w", resp.ContentLength, limit, ErrTooLarge))
	}
	body := &capReader{r: resp.Body, left: limit, max: limit}
	meta := map[string]string{MetaShadowserverID: r.ID}
	if r.Type != "" {
		meta[MetaShadowserverType] = r.Type
	}
	if r.Report != "" {
		meta[MetaShadowserverReport] = r.Report
	}
	err = h(ctx, Report{Name: name, Source: s.Name(), ReceivedAt: now(s.Now), Meta: meta, Content: body})
	if body.over {
		return fail(fmt.Errorf("download is larger than the limit of %d bytes: %w", limit, ErrTooLarge))
	}
	if err != nil {
		return fail(err)
	}
	return nil
}

func (s *Shadowserver) apiURL() string      { return orDefault(s.APIURL, ShadowserverAPI) }
func (s *Shadowserver) downloadURL() string { return orDefault(s.DownloadURL, ShadowserverDownload) }

func (s *Shadowserver) timeout() time.Duration {
	if s.Timeout > 0 {
		return s.Timeout
	}
	return DefaultTimeout
}

func (s *Shadowserver) client() *http.Client {
	if s.Client != nil {
		return s.Client
	}
	return http.DefaultClient
}
