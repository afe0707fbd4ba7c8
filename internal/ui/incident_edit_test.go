package ui_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/incident"
)

// upload posts a file as the incident page's evidence form does.
func (c *client) upload(path, name string, data []byte, note string) *response {
	c.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	if name != "" {
		fw, _ := mw.CreateFormFile("file", name)
		fw.Write(data)
	}
	mw.WriteField("note", note)
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, c.f.srv.URL+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}

var evidencePNG = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR a screenshot of the fake page")

func TestIncidentPageActions(t *testing.T) {
	f := newFixture(t)
	mdt := f.addIncident(t, "Calls to MDT staff", "", "mdt")
	minfin := f.addIncident(t, "Calls to Maliyyə staff", "", "minfin")
	a := f.as(t, "analyst")
	loc := "/incidents/" + itoa(mdt.ID)

	page := a.get(loc).want(t, http.StatusOK)
	for _, form := range []string{"edit", "assign", "assess", "link", "takedown", "evidence"} {
		page.contains(t, `action="`+loc+`/`+form+`"`)
	}

	// Edit: a bad tag is said next to the field, and nothing typed is lost.
	a.post(loc+"/edit", url.Values{"title": {"Renamed: calls to MDT staff"}, "description": {"Callers claim to be the ministry's IT"},
		"tlp": {"amber"}, "pap": {"green"}, "tags": {"vishing, bad tag!"}}).want(t, http.StatusBadRequest).
		contains(t, `value="vishing, bad tag!"`, "Renamed: calls to MDT staff", "Callers claim to be the ministry&#39;s IT", `aria-invalid="true"`)
	a.post(loc+"/edit", url.Values{"title": {"Renamed: calls to MDT staff"}, "description": {"Callers claim to be the ministry's IT"},
		"tlp": {"green"}, "pap": {"green"}, "tags": {"vishing, staff"}}).want(t, http.StatusSeeOther)
	// Sent again unchanged: nothing to say, nothing written.
	a.post(loc+"/edit", url.Values{"title": {"Renamed: calls to MDT staff"}, "description": {"Callers claim to be the ministry's IT"},
		"tlp": {"green"}, "pap": {"green"}, "tags": {"vishing, staff"}}).want(t, http.StatusSeeOther)

	// The affected organisations, by short name: an unknown one is said.
	a.post(loc+"/edit", url.Values{"title": {"Renamed: calls to MDT staff"}, "tlp": {"green"}, "pap": {"green"}, "tags": {"vishing, staff"},
		"orgs": {"mdt, nosuch"}}).want(t, http.StatusBadRequest).contains(t, `value="mdt, nosuch"`, "Bu qısa adla təşkilat yoxdur.")
	a.post(loc+"/edit", url.Values{"title": {"Renamed: calls to MDT staff"}, "description": {"Callers claim to be the ministry's IT"},
		"tlp": {"green"}, "pap": {"green"}, "tags": {"vishing, staff"}, "orgs": {"mdt, bsu"}}).want(t, http.StatusSeeOther)
	a.get(loc).want(t, http.StatusOK).contains(t, `value="bsu, mdt"`)

	// Assign: only to an active user.
	a.post(loc+"/assign", url.Values{"assignee": {"nobody-here"}, "team": {"incident-response"}}).want(t, http.StatusBadRequest).contains(t, `value="nobody-here"`)
	a.post(loc+"/assign", url.Values{"assignee": {"analyst"}, "team": {"fraud"}}).want(t, http.StatusSeeOther)

	// Assess: the criteria give the level; a negative count is refused.
	a.post(loc+"/assess", url.Values{"people_affected": {"-1"}}).want(t, http.StatusBadRequest).contains(t, `value="-1"`)
	a.post(loc+"/assess", url.Values{"people_affected": {"20000"}, "cii": {"1"}}).want(t, http.StatusSeeOther)
	got, _ := f.store.GetIncident(context.Background(), auth.Everything, incident.DefaultRules(), mdt.ID)
	if got.Title != "Renamed: calls to MDT staff" || got.TLP != "green" || got.PAP != "green" || strings.Join(got.Tags, ",") != "vishing,staff" ||
		got.Assignee != "analyst" || got.OwnerTeam != "fraud" || got.Criteria.PeopleAffected != 20000 || got.Severity != incident.Critical {
		t.Errorf("after the edits: got %+v", got)
	}

	// Link to another incident, by reference; a wrong one is said.
	a.post(loc+"/link", url.Values{"link_kind": {"incident"}, "target": {"QLX-1999-000001"}}).want(t, http.StatusBadRequest).
		contains(t, "Bu istinad və ya nömrə ilə heç nə yoxdur.")
	a.post(loc+"/link", url.Values{"link_kind": {"finding"}, "target": {"12345"}}).want(t, http.StatusBadRequest)
	a.post(loc+"/link", url.Values{"link_kind": {"incident"}, "target": {minfin.Ref}, "note": {"same caller"}}).want(t, http.StatusSeeOther)
	a.get(loc).want(t, http.StatusOK).contains(t, `href="/incidents/`+itoa(minfin.ID)+`"`, "same caller")
	a.get("/incidents/"+itoa(minfin.ID)).want(t, http.StatusOK).contains(t, `href="/incidents/`+itoa(mdt.ID)+`"`)
	// The agency sees its incident but not the link to another agency's.
	f.as(t, "mdt-officer").get(loc).want(t, http.StatusOK).lacks(t, minfin.Ref, `href="/incidents/`+itoa(minfin.ID)+`"`, `action="`+loc+`/edit"`)

	// A take-down request from the template, sent, refused without a
	// reason (refused), then done.
	a.post(loc+"/takedown", url.Values{"target_kind": {"hosting"}, "subject": {"https://fake.example/"}, "language": {"en"}}).
		want(t, http.StatusBadRequest).contains(t, `value="https://fake.example/"`)
	a.post(loc+"/takedown", url.Values{"target_kind": {"hosting"}, "provider": {"Example Hosting"}, "contact": {"abuse@hosting.example"},
		"subject": {"https://fake.example/"}, "language": {"en"}}).want(t, http.StatusSeeOther)
	tds, _ := f.store.IncidentTakedowns(context.Background(), auth.Everything, mdt.ID)
	if len(tds) != 1 || !strings.Contains(tds[0].Body, "Dear Example Hosting") {
		t.Fatalf("take-downs: got %+v", tds)
	}
	td := itoa(tds[0].ID)
	a.get(loc).want(t, http.StatusOK).contains(t, "Dear Example Hosting", `name="takedown" value="`+td+`"`)
	a.post(loc+"/takedown-move", url.Values{"takedown": {td}, "status": {"done"}}).want(t, http.StatusConflict)
	a.post(loc+"/takedown-move", url.Values{"takedown": {td}, "status": {"sent"}}).want(t, http.StatusSeeOther)
	a.post(loc+"/takedown-move", url.Values{"takedown": {td}, "status": {"refused"}}).want(t, http.StatusBadRequest)
	// A request moved through another incident's page is not found there.
	a.post("/incidents/"+itoa(minfin.ID)+"/takedown-move", url.Values{"takedown": {td}, "status": {"done"}}).want(t, http.StatusNotFound)
	a.post(loc+"/takedown-move", url.Values{"takedown": {td}, "status": {"done"}}).want(t, http.StatusSeeOther)
	a.get(loc).want(t, http.StatusOK).contains(t, "taken down")

	// Evidence: uploaded, listed with its chain of custody, downloaded
	// only as an attachment; a file that lies about its type is refused.
	a.upload(loc+"/evidence", "shot.png", evidencePNG, "the fake page").want(t, http.StatusSeeOther)
	a.upload(loc+"/evidence", "shot.png", evidencePNG, "again").want(t, http.StatusConflict).contains(t, `value="again"`)
	a.upload(loc+"/evidence", "notes.png", []byte("just text"), "").want(t, http.StatusBadRequest).contains(t, `aria-invalid="true"`)
	a.upload(loc+"/evidence", "", nil, "no file").want(t, http.StatusBadRequest).contains(t, "Fayl seçin.")
	a.upload(loc+"/evidence", "big.bin", make([]byte, incident.MaxEvidenceSize+1), "").want(t, http.StatusRequestEntityTooLarge).contains(t, "25 MiB")
	evs, _ := f.store.IncidentEvidence(context.Background(), auth.Everything, mdt.ID)
	if len(evs) != 1 || evs[0].MediaType != "image/png" {
		t.Fatalf("evidence: got %+v", evs)
	}
	a.get(loc).want(t, http.StatusOK).contains(t, "shot.png", evs[0].SHA256, "1 qeyd", "əlavə edildi")
	// The download goes through the API's one evidence handler, which
	// sends every file as an attachment (its headers are tested there).
	a.get(loc).contains(t, `<a href="/api/v1/incidents/`+itoa(mdt.ID)+`/evidence/`+itoa(evs[0].ID)+`" download>shot.png</a>`)

	// Agency and partner users change nothing: 403 on their own
	// organisation's incident, 404 on another's.
	for _, who := range []string{"mdt-officer", "partner"} {
		c := f.as(t, who)
		for _, act := range []string{"edit", "assign", "assess", "link", "takedown", "takedown-move"} {
			form := url.Values{"title": {"x"}, "assignee": {"analyst"}, "link_kind": {"incident"}, "target": {minfin.Ref}, "takedown": {td}, "status": {"sent"},
				"target_kind": {"hosting"}, "provider": {"p"}, "subject": {"s"}}
			if who == "mdt-officer" {
				c.post(loc+"/"+act, form).want(t, http.StatusForbidden)
			}
			c.post("/incidents/"+itoa(minfin.ID)+"/"+act, form).want(t, http.StatusNotFound)
		}
		if who == "mdt-officer" {
			c.upload(loc+"/evidence", "x.png", evidencePNG, "").want(t, http.StatusForbidden)
		}
		c.upload("/incidents/"+itoa(minfin.ID)+"/evidence", "x.png", evidencePNG, "").want(t, http.StatusNotFound)
	}
	got, _ = f.store.GetIncident(context.Background(), auth.Everything, incident.DefaultRules(), minfin.ID)
	if got.Title != "Calls to Maliyyə staff" {
		t.Errorf("minfin's incident after the others' attempts: %q", got.Title)
	}
}
