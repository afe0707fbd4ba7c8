package collect

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"
)

// Defaults of an HTTP collector.
const (
	DefaultMaxDownload = 512 << 20
	DefaultTimeout     = 5 * time.Minute
	DefaultAttempts    = 4
	DefaultUserAgent   = "Qalxan (national CERT report collector)"
)

// HTTP downloads one URL per round with a conditional GET: the ETag and
// Last-Modified of the last download handed on are sent back as
// If-None-Match and If-Modified-Since, and a 304 means nothing new. Network
// errors, 5xx and 429 are retried with exponential backoff; other
// statuses are not, since asking again will not change the answer.
type HTTP struct {
	Source string // collector name; the URL's host when empty
	URL    string

	// Credentials from config. They are sent, never logged, and kept out of
	// report metadata and error messages.
	Username, Password string      // HTTP basic auth when Username is set
	Header             http.Header // extra request headers, e.g. an API key

	UserAgent   string        // DefaultUserAgent when empty
	Timeout     time.Duration // per attempt, body included; DefaultTimeout when 0
	MaxBody     int64         // DefaultMaxDownload when 0
	MaxAttempts int           // DefaultAttempts when 0

	Client     *http.Client                    // http.DefaultClient when nil
	Validators Validators                      // in memory when nil
	Backoff    func(attempt int) time.Duration // wait after a failed attempt; ExponentialBackoff(1s, 1m) when nil
	// Sleep waits between attempts; tests replace it to run without waiting.
	Sleep func(ctx context.Context, d time.Duration) error
	Now   func() time.Time
}

var _ Collector = (*HTTP)(nil)

func (c *HTTP) Name() string {
	if c.Source != "" {
		return c.Source
	}
	if u, err := url.Parse(c.URL); err == nil && u.Host != "" {
		return u.Hostname()
	}
	return "http"
}

// LogValue keeps the credentials out of logs when the collector itself is
// logged.
func (c *HTTP) LogValue() slog.Value {
	return slog.GroupValue(slog.String("name", c.Name()), slog.String("url", redactURL(c.URL)))
}

// Collect downloads the URL and hands it to h, unless it has not changed.
func (c *HTTP) Collect(ctx context.Context, h Handler) error {
	if c.Validators == nil {
		c.Validators = &MemoryValidators{}
	}
	resp, cancel, err := c.fetch(ctx)
	if err != nil {
		return err
	}
	defer cancel()
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNotModified {
		return nil
	}
	limit := c.maxBody()
	if resp.ContentLength > limit {
		return fmt.Errorf("collect: %s: download of %d bytes is larger than the limit of %d: %w", c.Name(), resp.ContentLength, limit, ErrTooLarge)
	}
	body := &capReader{r: resp.Body, left: limit, max: limit}
	etag, lastMod := resp.Header.Get("ETag"), resp.Header.Get("Last-Modified")
	r := Report{
		Name:       fileName(resp, c.URL),
		Source:     c.Name(),
		ReceivedAt: now(c.Now),
		Meta:       map[string]string{MetaURL: redactURL(c.URL)},
		Content:    body,
	}
	if etag != "" {
		r.Meta[MetaETag] = etag
	}
	if lastMod != "" {
		r.Meta[MetaLastModified] = lastMod
	}
	err = h(ctx, r)
	if body.over {
		return fmt.Errorf("collect: %s: download is larger than the limit of %d bytes: %w", c.Name(), limit, ErrTooLarge)
	}
	if err != nil {
		return fmt.Errorf("collect: %s: %w", c.Name(), err)
	}
	// Only now: had the handler failed, the next round must download again.
	c.Validators.Put(c.URL, etag, lastMod)
	return nil
}

// fetch sends the request, retrying what may succeed later. The response
// it returns is a 2xx or 304; cancel ends its attempt's timeout, which
// covers reading the body too, once the caller is done with it.
func (c *HTTP) fetch(ctx context.Context) (*http.Response, context.CancelFunc, error) {
	attempts := c.MaxAttempts
	if attempts <= 0 {
		attempts = DefaultAttempts
	}
	backoff := c.Backoff
	if backoff == nil {
		backoff = ExponentialBackoff(time.Second, time.Minute)
	}
	wait := c.Sleep
	if wait == nil {
		wait = sleep
	}
	client := c.Client
	if client == nil {
		client = http.DefaultClient
	}
	timeout := c.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	var last error
	for attempt := 1; attempt <= attempts; attempt++ {
		if attempt > 1 {
			if err := wait(ctx, backoff(attempt-1)); err != nil {
				return nil, nil, fmt.Errorf("collect: %s: %w", c.Name(), err)
			}
		}
		req, err := c.request(ctx)
		if err != nil {
			return nil, nil, err
		}
		actx, cancel := context.WithTimeout(ctx, timeout)
		resp, err := client.Do(req.WithContext(actx))
		if err != nil {
			cancel()
			if ctx.Err() != nil {
				return nil, nil, fmt.Errorf("collect: %s: %w", c.Name(), ctx.Err())
			}
			last = stripURL(err)
			continue
		}
		switch {
		case resp.StatusCode == http.StatusNotModified || resp.StatusCode/100 == 2:
			return resp, cancel, nil
		case resp.StatusCode/100 == 5 || resp.StatusCode == http.StatusTooManyRequests:
			last = fmt.Errorf("server answered %s", resp.Status)
		default:
			last = nil
		}
		drain(resp)
		cancel()
		if last == nil {
			return nil, nil, fmt.Errorf("collect: %s: server answered %s", c.Name(), resp.Status)
		}
	}
	return nil, nil, fmt.Errorf("collect: %s: giving up after %d attempts: %w", c.Name(), attempts, last)
}

func (c *HTTP) request(ctx context.Context) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.URL, nil)
	if err != nil {
		return nil, fmt.Errorf("collect: %s: bad URL %s: %w", c.Name(), redactURL(c.URL), stripURL(err))
	}
	for k, vs := range c.Header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	req.Header.Set("User-Agent", orDefault(c.UserAgent, DefaultUserAgent))
	if c.Username != "" {
		req.SetBasicAuth(c.Username, c.Password)
	}
	etag, lastMod := c.Validators.Get(c.URL)
	if etag != "" {
		req.Header.Set("If-None-Match", etag)
	}
	if lastMod != "" {
		req.Header.Set("If-Modified-Since", lastMod)
	}
	return req, nil
}

func (c *HTTP) maxBody() int64 {
	if c.MaxBody > 0 {
		return c.MaxBody
	}
	return DefaultMaxDownload
}

// drain reads a little of a response we do not want, so the connection
// can be reused, and closes it.
func drain(resp *http.Response) {
	io.CopyN(io.Discard, resp.Body, 4<<10)
	resp.Body.Close()
}

// fileName names a download: the server's Content-Disposition filename,
// else the last element of the URL path, else the host.
func fileName(resp *http.Response, rawURL string) string {
	if _, params, err := mime.ParseMediaType(resp.Header.Get("Content-Disposition")); err == nil {
		if n := path.Base(strings.ReplaceAll(params["filename"], `\`, "/")); n != "." && n != "/" && n != "" {
			return n
		}
	}
	if u, err := url.Parse(rawURL); err == nil {
		if n := path.Base(u.Path); n != "." && n != "/" && n != "" {
			return n
		}
		return u.Hostname()
	}
	return "download"
}

// stripURL drops the URL from a net/http error: the query string may hold
// an API key.
func stripURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return fmt.Errorf("%s: %w", ue.Op, ue.Err)
	}
	return err
}

// secretParam reports whether a query parameter name looks like it holds a
// credential.
func secretParam(name string) bool {
	n := strings.ToLower(name)
	for _, s := range []string{"key", "token", "secret", "pass", "auth", "sig", "session", "credential"} {
		if strings.Contains(n, s) {
			return true
		}
	}
	return false
}

// redactURL returns u without a password or credential-like query values,
// fit for logs and report metadata.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	if u.User != nil {
		u.User = url.User(u.User.Username())
	}
	q := u.Query()
	changed := false
	for k := range q {
		if secretParam(k) {
			q.Set(k, "REDACTED")
			changed = true
		}
	}
	if changed {
		u.RawQuery = q.Encode()
	}
	return u.String()
}

// capReader reads at most max bytes and then fails, remembering that it
// did: the handler may swallow the error, Collect must not.
type capReader struct {
	r         io.Reader
	left, max int64
	over      bool
}

func (c *capReader) Read(p []byte) (int, error) {
	if c.left <= 0 {
		// One more byte tells a body of exactly max from a longer one.
		var one [1]byte
		if n, _ := io.ReadFull(c.r, one[:]); n > 0 {
			c.over = true
			return 0, fmt.Errorf("larger than the limit of %d bytes: %w", c.max, ErrTooLarge)
		}
		return 0, io.EOF
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	return n, err
}
