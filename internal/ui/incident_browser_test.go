package ui_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/qalxan/qalxan/internal/api"
	"github.com/qalxan/qalxan/internal/server"
)

// TestBrowserIncidentFlow follows a citizen's report to a closed case in
// a real Chromium: the report comes in through the public JSON API, an
// analyst triages it into an incident in the queue, drafts a take-down
// request from the template, marks it sent and done, and moves the
// incident to resolved and closed; the reporter's tracking code then says
// "handled". Each step checks what the page shows.
func TestBrowserIncidentFlow(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	path := chromiumPath(t)
	f := newFixture(t)
	// The public API on the same store, as serve mounts it at /api/v1/.
	log := slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	apiSrv := httptest.NewServer(server.New(server.Deps{Store: f.store, Log: log, API: api.New(api.Deps{Store: f.store, Log: log})}))
	t.Cleanup(apiSrv.Close)

	// A citizen reports a fake bank page.
	resp, err := http.Post(apiSrv.URL+"/api/v1/public/reports", "application/json", strings.NewReader(
		`{"category":"phishing","description":"A page like Kapital Bank's asks for my card and the SMS code","url":"hxxps://kapital-bonus[.]example/login","language":"az"}`))
	if err != nil {
		t.Fatal(err)
	}
	var tracking struct {
		TrackingCode string `json:"tracking_code"`
	}
	json.NewDecoder(resp.Body).Decode(&tracking)
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated || tracking.TrackingCode == "" {
		t.Fatalf("public report: %d %+v", resp.StatusCode, tracking)
	}
	publicStatus := func() string {
		t.Helper()
		resp, err := http.Get(apiSrv.URL + "/api/v1/public/reports/" + tracking.TrackingCode)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		var st struct{ Status string }
		json.Unmarshal(b, &st)
		return st.Status
	}
	if st := publicStatus(); st != "received" {
		t.Errorf("public status before triage: %q, want received", st)
	}

	b := newBrowser(t, path, f.srv.URL)
	b.login("analyst")

	// The queue shows the report with the URL found in it, refanged.
	b.open("/incidents")
	b.navigateBy("open the triage queue", chromedp.Click(chromedp.CSS(`a[href="/incidents/triage"]`)))
	b.wantText("main", "A page like Kapital Bank's asks for my card", "https://kapital-bonus.example/login", "kapital-bonus.example", "veb forma")
	b.screenshot("20-triage-queue")

	// Open a new incident from it, with a better title.
	b.do("title the incident",
		chromedp.Clear(chromedp.CSS(`form[action$="/open"] input[name="title"]`)),
		chromedp.SendKeys(chromedp.CSS(`form[action$="/open"] input[name="title"]`), "Kapital Bank bonus phishing"),
	)
	b.submit(`form[action$="/open"] button[type="submit"]`)
	loc := b.location()
	if !strings.HasPrefix(loc, "/incidents/") {
		t.Fatalf("after opening: at %s, want the incident's page", loc)
	}
	b.wantText("h1", "QLX-", "Kapital Bank bonus phishing")
	b.wantText("#incident-status", "yeni")
	b.wantText("#observables", "https://kapital-bonus.example/login")
	b.wantText("#journal", "opened from report")
	b.screenshot("21-incident-from-report")
	if st := publicStatus(); st != "in-progress" {
		t.Errorf("public status after triage: %q, want in-progress", st)
	}

	// A take-down request to the hosting provider, from the English template.
	b.do("fill the take-down form",
		chromedp.SetValue(chromedp.CSS(`form[action$="/takedown"] select[name="target_kind"]`), "hosting"),
		chromedp.SendKeys(chromedp.CSS(`form[action$="/takedown"] input[name="provider"]`), "Example Hosting"),
		chromedp.SendKeys(chromedp.CSS(`form[action$="/takedown"] input[name="contact"]`), "abuse@hosting.example"),
		chromedp.SendKeys(chromedp.CSS(`form[action$="/takedown"] input[name="subject"]`), "https://kapital-bonus.example/login"),
		chromedp.SetValue(chromedp.CSS(`form[action$="/takedown"] select[name="language"]`), "en"),
	)
	b.submit(`form[action$="/takedown"] button[type="submit"]`)
	b.wantText("#takedowns", "Example Hosting", "qaralama", "Dear Example Hosting", "https://kapital-bonus.example/login")
	b.screenshot("22-takedown-draft")

	// Sent (the only move from a draft), then done.
	b.submit(`form[action$="/takedown-move"] button[type="submit"]`)
	b.wantText("#takedowns .takedown-status", "göndərilib")
	b.do("choose done", chromedp.SetValue(chromedp.CSS(`form[action$="/takedown-move"] select[name="status"]`), "done"))
	b.submit(`form[action$="/takedown-move"] button[type="submit"]`)
	b.wantText("#takedowns .takedown-status", "silinib")
	b.wantText("#journal", "sent → done", "taken down")
	b.screenshot("23-takedown-done")

	// The case: in progress, resolved, closed.
	for _, step := range []struct{ status, shown string }{{"in_progress", "icrada"}, {"resolved", "həll edilib"}, {"closed", "bağlanıb"}} {
		b.do("move to "+step.status, chromedp.SetValue(chromedp.CSS(`form[action$="/move"] select[name="status"]`), step.status))
		b.submit(`form[action$="/move"] button[type="submit"]`)
		b.wantText("#incident-status", step.shown)
	}
	b.wantText("#journal", "in_progress → resolved", "resolved → closed")
	b.screenshot("24-incident-closed")
	if st := publicStatus(); st != "handled" {
		t.Errorf("public status after closing: %q, want handled", st)
	}

	// The queue is empty again; the report is among the accepted ones.
	b.open("/incidents/triage")
	b.wantText("main", "Gözləyən müraciət yoxdur.")
	b.open("/incidents/triage?status=accepted")
	b.wantText("main", "Kapital Bank", "QLX-")
}
