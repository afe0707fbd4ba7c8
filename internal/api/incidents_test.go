package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/constituency"
	"github.com/qalxan/qalxan/internal/incident"
	"github.com/qalxan/qalxan/internal/storage"
	"github.com/qalxan/qalxan/internal/tlp"
)

// matrixSeed serialises the lazy seeding of incidents and reports: the
// matrix's cells run in parallel on a shared fixture.
var (
	matrixSeed  sync.Mutex
	matrixCodes = map[*fixture]string{}
)

// matrixIncident is the incident affecting only org, made on first use:
// the own organisation's is TLP:GREEN with a TLP:GREEN number, the
// other's TLP:AMBER with a TLP:AMBER number and a title naming it.
func matrixIncident(f *fixture, org *constituency.Org) *incident.Incident {
	matrixSeed.Lock()
	defer matrixSeed.Unlock()
	rules := incident.DefaultRules()
	ins, _, err := f.store.ListIncidents(ctx, auth.Everything, rules, storage.IncidentFilter{OrgID: org.ID})
	if err == nil && len(ins) > 0 {
		return &ins[len(ins)-1]
	}
	label, phone := "green", "+994501112233"
	if org.ID == f.other.ID {
		label, phone = "amber", "+994507778899"
	}
	in, err := f.store.CreateIncident(ctx, auth.System, rules, storage.NewIncident{
		Incident:    incident.Incident{Title: "Vishing against " + org.Name + " customers", Classification: incident.ClassOf(incident.CatVishing), OrgIDs: []int64{org.ID}, TLP: tlp.Label(label)},
		Observables: []incident.Observable{{Kind: incident.KindPhone, Value: phone, TLP: tlp.Label(label)}},
	})
	if err != nil {
		panic(fmt.Sprintf("seed incident: %v", err))
	}
	shot := []byte("\x89PNG\r\n\x1a\n screenshot of " + org.Name)
	ev, _ := incident.CheckEvidence("call-log.png", int64(len(shot)), "image/png")
	if _, err := f.store.AddEvidence(ctx, auth.System, in.ID, ev, shot); err != nil {
		panic(fmt.Sprintf("seed evidence: %v", err))
	}
	if _, err := f.store.CreateTakedown(ctx, auth.System, rules, in.ID, incident.Takedown{TargetKind: incident.TargetMobile,
		Provider: "Operator", Subject: phone}); err != nil {
		panic(fmt.Sprintf("seed take-down: %v", err))
	}
	return &in
}

// matrixIncidentPathID is the id a path below /incidents, /incident-tasks
// or /incident-reports names for org.
func matrixIncidentPathID(f *fixture, pattern string, org *constituency.Org) int64 {
	switch {
	case strings.Contains(pattern, "/incident-reports/{id}"):
		return matrixReport(f)
	case strings.Contains(pattern, "/takedowns/{id}"):
		in := matrixIncident(f, org)
		ts, err := f.store.IncidentTakedowns(ctx, auth.Everything, in.ID)
		if err != nil || len(ts) == 0 {
			return 0
		}
		return ts[0].ID
	case strings.Contains(pattern, "/incident-tasks/{id}"):
		in := matrixIncident(f, org)
		ts, err := f.store.IncidentTasks(ctx, auth.Everything, in.ID)
		if err != nil || len(ts) == 0 {
			return 0
		}
		return ts[0].ID
	}
	return matrixIncident(f, org).ID
}

// matrixIncidentWildcards fills the wildcards other than {id}: an
// observable of org's incident, a tracking code.
func matrixIncidentWildcards(f *fixture, pattern string, org *constituency.Org) string {
	if strings.Contains(pattern, "{obs}") {
		in := matrixIncident(f, org)
		obs, _ := f.store.IncidentObservables(ctx, auth.Everything, in.ID)
		if len(obs) > 0 {
			pattern = strings.ReplaceAll(pattern, "{obs}", fmt.Sprint(obs[0].ID))
		}
	}
	if strings.Contains(pattern, "{ev}") {
		in := matrixIncident(f, org)
		evs, _ := f.store.IncidentEvidence(ctx, auth.Everything, in.ID)
		if len(evs) > 0 {
			pattern = strings.ReplaceAll(pattern, "{ev}", fmt.Sprint(evs[0].ID))
		}
	}
	if strings.Contains(pattern, "{file}") {
		matrixReport(f)
		rs, _, _ := f.store.ListIntake(ctx, auth.Actor{Name: "test", Scope: auth.Everything}, storage.IntakeFilter{})
		if len(rs) > 0 && len(rs[len(rs)-1].Files) > 0 {
			pattern = strings.ReplaceAll(pattern, "{file}", fmt.Sprint(rs[len(rs)-1].Files[0].ID))
		}
	}
	if strings.Contains(pattern, "{code}") {
		matrixReport(f)
		matrixSeed.Lock()
		pattern = strings.ReplaceAll(pattern, "{code}", matrixCodes[f])
		matrixSeed.Unlock()
	}
	return pattern
}

// matrixReport is a citizen's report waiting for triage, made on first use.
func matrixReport(f *fixture) int64 {
	matrixSeed.Lock()
	defer matrixSeed.Unlock()
	if _, ok := matrixCodes[f]; !ok {
		r := incident.Report{Category: "phishing", Description: "A page asked for my card", URL: "https://fake-bank.example/"}
		if err := r.Normalize("AZ"); err != nil {
			panic(err)
		}
		code, err := f.store.SubmitIntake(ctx, auth.Actor{Name: "public"}, &r,
			incident.ReportFile{Name: "screen.png", Size: int64(len(pngScreenshot)), MediaType: "image/png", Data: pngScreenshot})
		if err != nil {
			panic(err)
		}
		matrixCodes[f] = code
	}
	rs, _, err := f.store.ListIntake(ctx, auth.Actor{Name: "test", Scope: auth.Everything}, storage.IntakeFilter{})
	if err != nil || len(rs) == 0 {
		return 0
	}
	return rs[len(rs)-1].ID
}

// TestIncidentFlowOverHTTP walks a citizen's vishing report through
// triage into an incident, its severity, observables, lifecycle, and the
// operators' list.
func TestIncidentFlowOverHTTP(t *testing.T) {
	f := newFixture(t)
	post := func(as, path, body string, want int) map[string]any {
		t.Helper()
		resp := f.do(t, request{method: http.MethodPost, path: path, as: as, body: body})
		if resp.status != want {
			t.Fatalf("POST %s: got %d, want %d; body: %s", path, resp.status, want, resp.body)
		}
		var out map[string]any
		json.Unmarshal([]byte(resp.body), &out)
		return out
	}
	get := func(as, path string) response {
		t.Helper()
		resp := f.do(t, request{path: path, as: as})
		if resp.status != http.StatusOK {
			t.Fatalf("GET %s: got %d; body: %s", path, resp.status, resp.body)
		}
		return resp
	}
	out := post(anonymous, "/api/v1/public/reports", `{"category":"vishing","description":"Called as the bank and asked for the SMS code","phone":"050 123 45 67","reporter_email":"aysel@example.az","language":"az"}`, 201)
	code, _ := out["tracking_code"].(string)
	if !strings.HasPrefix(code, "R-") {
		t.Fatalf("got tracking code %q", code)
	}
	if body := get(anonymous, "/api/v1/public/reports/"+code).body; !strings.Contains(body, `"received"`) || strings.Contains(body, "aysel") {
		t.Errorf("status: got %s", body)
	}
	queue := get(analyst, "/api/v1/incident-reports?status=new").body
	var page struct{ Items []incident.Report }
	json.Unmarshal([]byte(queue), &page)
	if len(page.Items) != 1 || page.Items[0].Phone != "+994501234567" {
		t.Fatalf("queue: got %s", queue)
	}
	rep := post(analyst, fmt.Sprintf("/api/v1/incident-reports/%d/triage", page.Items[0].ID), fmt.Sprintf(`{"new":{"org_ids":[%d],"tlp":"green"}}`, f.own.ID), 200)
	ref, _ := rep["incident_ref"].(string)
	if !incident.IsReference(ref) {
		t.Fatalf("triage: got %v", rep)
	}
	base := "/api/v1/incidents/" + ref
	in := post(analyst, base+"/assess", `{"people_affected":20000,"spreading":true,"cross_border":true}`, 200)
	if in["severity"] != "high" || in["identifier"] != "vishing" {
		t.Errorf("assessed: got severity %v identifier %v", in["severity"], in["identifier"])
	}
	post(analyst, base+"/transition", `{"status":"closed"}`, 409)
	post(analyst, base+"/transition", `{"status":"rejected"}`, 400)
	post(analyst, base+"/transition", `{"status":"in_progress"}`, 200)
	obs := post(analyst, base+"/observables", `{"kind":"phone","value":"+994 55 765 43 21","tlp":"green"}`, 201)
	if obs["value"] != "+994557654321" {
		t.Errorf("observable: got %v", obs)
	}
	post(analyst, base+"/observables", `{"kind":"phone","value":"055 765 43 21"}`, 409)
	post(agency, base+"/notes", `{"text":"Our customers were warned by SMS"}`, 201)
	detail := get(agency, base).body
	for _, want := range []string{`"status":"in_progress"`, "Our customers were warned", `"playbook":"vishing"`, "+994557654321", `"score":6`} {
		if !strings.Contains(detail, want) {
			t.Errorf("agency's view: got no %s in %s", want, detail)
		}
	}
	csv := get(partner, "/api/v1/indicators?kind=phone&identifier=vishing").body
	if !strings.Contains(csv, "+994557654321,TLP:GREEN,1,") || strings.Contains(csv, "+994501234567") {
		t.Errorf("partner list: got %s, want the GREEN number only (the reported one is AMBER)", csv)
	}
	if body := get(anonymous, "/api/v1/public/reports/"+code).body; !strings.Contains(body, `"in-progress"`) {
		t.Errorf("status after triage: got %s", body)
	}
	list := get(agency, "/api/v1/incidents?status=open&observable=0557654321&observable_kind=phone").body
	if !strings.Contains(list, ref) {
		t.Errorf("search by number: got %s", list)
	}
}

func TestPublicReportInput(t *testing.T) {
	f := newFixture(t)
	for _, tt := range []struct {
		name, body, ctype string
		want              int
		field             string
	}{
		{"no category", `{"description":"x"}`, "", 400, "category"},
		{"bad phone", `{"category":"vishing","description":"x","phone":"12"}`, "", 400, "phone"},
		{"bad url", `{"category":"phishing","description":"x","url":"javascript:alert(1)"}`, "", 400, "url"},
		{"unknown field", `{"category":"phishing","description":"x","admin":true}`, "", 400, "admin"},
		{"staff fields", `{"category":"phishing","description":"x","org_id":1}`, "", 400, ""},
		{"form post", `category=phishing`, "application/x-www-form-urlencoded", 415, ""},
		{"too large", `{"category":"phishing","description":"` + strings.Repeat("a", 70000) + `"}`, "", 413, ""},
	} {
		// Every attempt counts against the client's limit, so each case
		// has a fixture of its own.
		resp := newFixture(t).do(t, request{method: http.MethodPost, path: "/api/v1/public/reports", body: tt.body, contentType: tt.ctype})
		if resp.status != tt.want || !strings.Contains(resp.body, `"error"`) || (tt.field != "" && !strings.Contains(resp.body, `"field":"`+tt.field+`"`)) {
			t.Errorf("%s: got %d %s, want %d about %q", tt.name, resp.status, resp.body, tt.want, tt.field)
		}
	}
	// The fixture's limit: five at once, then 429.
	ok := `{"category":"other","description":"something odd"}`
	codes := []int{}
	for range 7 {
		codes = append(codes, f.do(t, request{method: http.MethodPost, path: "/api/v1/public/reports", body: ok}).status)
	}
	if fmt.Sprint(codes) != "[201 201 201 201 201 429 429]" {
		t.Errorf("rate limit: got %v", codes)
	}
	if resp := f.do(t, request{path: "/api/v1/public/reports/R-AAAA-BBBB-CCCC"}); resp.status != 404 {
		t.Errorf("unknown code: got %d", resp.status)
	}
}

func TestEvidenceOverHTTP(t *testing.T) {
	f := newFixture(t)
	in := matrixIncident(f, f.own)
	base := fmt.Sprintf("/api/v1/incidents/%d/evidence", in.ID)
	page := "<html><script>alert(document.cookie)</script><form>card number</form></html>"
	resp := f.do(t, request{method: http.MethodPost, path: base + "?name=captured%20page.html&note=as%20served", as: analyst, contentType: "text/plain", body: page})
	if resp.status != 201 || !strings.Contains(resp.body, `"media_type":"text/html"`) {
		t.Fatalf("upload: got %d %s", resp.status, resp.body)
	}
	var ev incident.Evidence
	json.Unmarshal([]byte(resp.body), &ev)
	if resp := f.do(t, request{method: http.MethodPost, path: base + "?name=fake.png", as: analyst, contentType: "image/png", body: page}); resp.status != 400 {
		t.Errorf("a page named .png: got %d %s, want 400", resp.status, resp.body)
	}
	dl := f.do(t, request{path: fmt.Sprintf("%s/%d", base, ev.ID), as: agency})
	if dl.status != 200 || dl.body != page || dl.header.Get("Content-Type") != "application/octet-stream" ||
		!strings.HasPrefix(dl.header.Get("Content-Disposition"), "attachment") || !strings.Contains(dl.header.Get("Content-Security-Policy"), "sandbox") {
		t.Errorf("download: got %d %v", dl.status, dl.header)
	}
	c := f.do(t, request{path: fmt.Sprintf("%s/%d/custody", base, ev.ID), as: auditor})
	if c.status != 200 || !strings.Contains(c.body, `"action":"added"`) || !strings.Contains(c.body, `"actor":"agency","action":"exported"`) {
		t.Errorf("custody: got %d %s", c.status, c.body)
	}
}
