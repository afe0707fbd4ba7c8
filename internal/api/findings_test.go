package api_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/constituency"
	"github.com/qalxan/qalxan/internal/finding"
	"github.com/qalxan/qalxan/internal/storage"
)

// matrixFindingID is the id of org's finding on its matrix address,
// opened (from its event, when the fixture has events) the first time it
// is asked for.
func matrixFindingID(f *fixture, org *constituency.Org) int64 {
	find := func() int64 {
		fs, _, err := f.store.ListFindings(ctx, auth.Everything, storage.FindingFilter{OrgID: org.ID})
		if err != nil || len(fs) == 0 {
			return 0
		}
		return fs[0].ID
	}
	if id := find(); id != 0 {
		return id
	}
	ip := matrixEventIPs[org.ShortName]
	_, _, _, err := f.store.ObserveFindings(ctx, finding.DefaultPolicy(), []finding.Observation{{OrgID: org.ID, Resource: ip + ":3389",
		Identifier: "accessible-rdp", Type: "vulnerable-system", Source: "shadowserver", Seen: time.Now().UTC(), EventID: matrixEventID(f, org)}})
	if err != nil {
		return 0
	}
	return find()
}

func TestFindingLifecycleOverHTTP(t *testing.T) {
	f := newFixture(t)
	seedMatrixEvents(t, f)
	id := matrixFindingID(f, f.own)
	path := "/api/v1/findings/" + strconv.FormatInt(id, 10)
	post := func(as, sub, body string) response {
		return f.do(t, request{method: http.MethodPost, path: path + sub, as: as, body: body})
	}
	// The agency resolves its own; resolved cannot be acknowledged (409,
	// the standard error); an analyst closes it.
	if r := post(agency, "/transition", `{"status":"resolved","reason":"port closed"}`); r.status != 200 || !strings.Contains(r.body, `"status":"resolved"`) {
		t.Fatalf("resolve: %d %s", r.status, r.body)
	}
	if r := post(agency, "/transition", `{"status":"acknowledged"}`); r.status != 409 || !strings.Contains(r.body, `"code":"conflict"`) {
		t.Fatalf("resolved → acknowledged: %d %s", r.status, r.body)
	}
	if r := post(agency, "/transition", `{"status":"closed"}`); r.status != 403 {
		t.Fatalf("agency closes: %d %s", r.status, r.body)
	}
	if r := post(analyst, "/transition", `{"status":"reopened"}`); r.status != 400 || !strings.Contains(r.body, `"field":"reason"`) {
		t.Fatalf("reopen without reason: %d %s", r.status, r.body)
	}
	if r := post(analyst, "/transition", `{"status":"reopened","reason":"still open on re-check"}`); r.status != 200 {
		t.Fatalf("reopen: %d %s", r.status, r.body)
	}
	if r := post(analyst, "/transition", `{"status":"accepted","reason":"legacy","until":"2099-01-01"}`); r.status != 200 || !strings.Contains(r.body, `"accepted_until":"2099-01-01T00:00:00Z"`) {
		t.Fatalf("accept: %d %s", r.status, r.body)
	}
	if r := post(analyst, "/severity", `{"severity":"critical"}`); r.status != 400 {
		t.Fatalf("severity without reason: %d %s", r.status, r.body)
	}
	r := f.do(t, request{path: path, as: agency})
	if r.status != 200 || !strings.Contains(r.body, `"history":[{`) || !strings.Contains(r.body, `"actor":"agency"`) || !strings.Contains(r.body, `"to":"accepted"`) {
		t.Fatalf("get: %d %s", r.status, r.body)
	}
	r = f.do(t, request{path: "/api/v1/findings?status=accepted&resource=192.0.2.0/24", as: agency})
	if r.status != 200 || !strings.Contains(r.body, `"id":`+strconv.FormatInt(id, 10)) {
		t.Fatalf("list: %d %s", r.status, r.body)
	}
	if r := f.do(t, request{path: "/api/v1/findings?status=bogus", as: agency}); r.status != 400 {
		t.Fatalf("bad status: %d %s", r.status, r.body)
	}
	r = f.do(t, request{path: path + "/events", as: agency})
	if r.status != 200 || !strings.HasPrefix(r.body, "id,time.source") || !strings.Contains(r.body, "192.0.2.5") || !strings.Contains(r.header.Get("Content-Type"), "text/csv") {
		t.Fatalf("events: %d %s", r.status, r.body)
	}
	// Another agency: not found, whatever it asks.
	for _, req := range []request{{path: path, as: agencyOther}, {path: path + "/events", as: agencyOther},
		{method: http.MethodPost, path: path + "/transition", as: agencyOther, body: `{"status":"acknowledged"}`}} {
		if r := f.do(t, req); r.status != 404 {
			t.Errorf("other agency %s %s: %d %s", req.method, req.path, r.status, r.body)
		}
	}
}
