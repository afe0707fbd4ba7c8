// Package ui is the web interface: server-rendered html/template pages, one
// handler per file (login.go, org_list.go, ...), with templates and static
// files embedded in the binary. Pages work without JavaScript; app.js only
// adds keyboard shortcuts, confirmations and client-side sorting.
//
// Access control happens twice on purpose: handlers hide what a role may not
// do and answer 403 when it is tried anyway, and every storage call takes
// the user's scope, so another agency's data cannot leak through a handler
// that forgot a check.
package ui

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/constituency"
	"github.com/qalxan/qalxan/internal/incident"
	"github.com/qalxan/qalxan/internal/server"
	"github.com/qalxan/qalxan/internal/storage"
)

// Deps is what the interface needs.
type Deps struct {
	Store    *storage.Store
	Log      *slog.Logger
	Registry *constituency.Registry // ownership matcher behind the search box
	// RegistryChanged is called after organisations or resources change,
	// so the owner of the process can rebuild the matcher. May be nil.
	RegistryChanged func()
	Throttle        *auth.Throttle // login throttling; nil makes auth.NewThrottle()
	SessionTTL      time.Duration  // default 12h
	SecureCookies   bool           // Secure flag on cookies: true unless serving plain HTTP on loopback
	Location        *time.Location // display time zone; default Asia/Baku
	// LinkKey verifies the signed links in notices (auth.VerifyLink); with
	// none, every link is refused.
	LinkKey        []byte
	LinkSessionTTL time.Duration // of a session opened by a notice link; default 8h
	// Incidents are the incident rules (zero: incident.DefaultRules).
	Incidents incident.Rules
	// ConfirmCandidate runs the active check of a look-alike candidate
	// now; nil when lookalike.confirm is off.
	ConfirmCandidate func(ctx context.Context, id int64) error
	// ReportLimiter and StatusLimiter throttle the public report form and
	// status page per client: the API's, so a client has one budget for
	// both (nil: a limiter of its own, 5 reports then one a minute).
	ReportLimiter, StatusLimiter *server.Limiter
}

// handler holds the dependencies and the parsed templates; each page is a
// method on it, in its own file.
type handler struct {
	Deps
	pages  *pages
	assets *assets
}

// New returns the interface's handler, to be mounted at "/" behind the
// server's middleware (which authenticates the session cookie).
func New(d Deps) http.Handler {
	if d.Log == nil {
		d.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if d.Registry == nil {
		d.Registry = &constituency.Registry{}
	}
	if d.Throttle == nil {
		d.Throttle = auth.NewThrottle()
	}
	if d.SessionTTL <= 0 {
		d.SessionTTL = 12 * time.Hour
	}
	if d.LinkSessionTTL <= 0 {
		d.LinkSessionTTL = 8 * time.Hour
	}
	if d.Location == nil {
		d.Location = defaultLocation()
	}
	if d.ReportLimiter == nil {
		d.ReportLimiter = server.NewLimiter(5, time.Minute)
	}
	if d.StatusLimiter == nil {
		d.StatusLimiter = server.NewStatusLimiter()
	}
	h := &handler{Deps: d, assets: loadAssets()}
	h.pages = parsePages(h.funcs)
	mux := http.NewServeMux()
	h.routes(mux)
	return mux
}

// defaultLocation is Asia/Baku. Systems without a time zone database get a
// fixed UTC+4, which is exact: Azerbaijan has kept +04 without summer time
// since 2016.
func defaultLocation() *time.Location {
	if loc, err := time.LoadLocation("Asia/Baku"); err == nil {
		return loc
	}
	return time.FixedZone("+04", 4*60*60)
}

// registryChanged tells the owner that the matcher is stale.
func (h *handler) registryChanged() {
	if h.RegistryChanged != nil {
		h.RegistryChanged()
	}
}
