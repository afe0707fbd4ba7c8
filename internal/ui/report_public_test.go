package ui_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/server"
	"github.com/qalxan/qalxan/internal/storage"
)

// pngBytes is a real PNG picture.
func pngBytes(t testing.TB) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 4, 4))
	img.Set(1, 1, color.RGBA{R: 200, A: 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

type upload struct {
	name string
	data []byte
}

// postReport sends the public form as a browser does: multipart, with
// the screenshots as file parts.
func (c *client) postReport(fields url.Values, files ...upload) *response {
	c.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, vs := range fields {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	if len(files) == 0 {
		// What a browser sends for an empty file input.
		mw.CreateFormFile("screenshots", "")
	}
	for _, f := range files {
		w, _ := mw.CreateFormFile("screenshots", f.name)
		w.Write(f.data)
	}
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, c.f.srv.URL+"/report", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}

var codeRE = regexp.MustCompile(`R-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}`)

func TestPublicReportFormRoundTrip(t *testing.T) {
	f := newFixture(t)
	c := f.anon(t)
	c.lang = "ru"
	c.get("/login").want(t, http.StatusOK).contains(t, `href="/report"`)
	c.get("/report").want(t, http.StatusOK).contains(t, "Сообщить об инциденте", `enctype="multipart/form-data"`, `value="vishing"`).
		lacks(t, "sidebar")

	// A mistake: the message next to its field, in Russian, and nothing
	// typed is lost.
	bad := url.Values{"category": {"vishing"}, "description": {"Звонили из «банка», просили код из SMS"}, "phone": {"12"},
		"reporter_email": {"citizen@example.az"}}
	c.postReport(bad).want(t, http.StatusBadRequest).
		contains(t, "не является номером телефона", "Звонили из «банка», просили код из SMS", "citizen@example.az", `value="12"`, "Выберите снимки экрана снова")

	good := url.Values{"category": {"vishing"}, "description": {"Звонили из «банка», просили код из SMS"}, "phone": {"050 123 45 67"},
		"url": {"hxxps://kapital-bank[.]example/login"}, "reporter_email": {"citizen@example.az"}}
	pic := pngBytes(t)
	page := c.postReport(good, upload{"screen.png", pic}, upload{"same-again.png", pic}).want(t, http.StatusCreated)
	code := codeRE.FindString(page.body)
	if code == "" {
		t.Fatalf("no tracking code on the answer:\n%s", excerpt(page.body))
	}
	page.contains(t, "Ваш код отслеживания").lacks(t, "citizen@example.az")

	// The status page shows the status and nothing else.
	st := c.get("/report/status?code="+strings.ToLower(code)).want(t, http.StatusOK)
	st.contains(t, `data-status="received"`, "Получено").lacks(t, "050", "994", "kapital", "citizen@", "vishing")
	c.get("/report/status?code=R-AAAA-BBBB-CCCC").want(t, http.StatusNotFound).contains(t, "Сообщения с таким кодом нет")
	c.get("/report/status").want(t, http.StatusOK).contains(t, `name="code"`)

	// Staff find the report with its normalised fields and one file (the
	// same picture twice is kept once), in the reporter's language.
	ctx := context.Background()
	staff := auth.Actor{Name: "analyst", Role: auth.Analyst, Scope: auth.Everything}
	list, _, err := f.store.ListIntake(ctx, staff, storage.IntakeFilter{})
	if err != nil || len(list) != 1 {
		t.Fatalf("reports: %v, %v", list, err)
	}
	rep, err := f.store.GetIntake(ctx, staff, list[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Phone != "+994501234567" || rep.URL != "https://kapital-bank.example/login" || rep.Language != "ru" ||
		rep.Channel != "web" || rep.ReporterType != "citizen" || rep.ReporterEmail != "citizen@example.az" {
		t.Errorf("stored report: %+v", rep)
	}
	if len(rep.Files) != 1 || rep.Files[0].MediaType != "image/png" || rep.Files[0].Name != "screen.png" || rep.Files[0].Size != int64(len(pic)) {
		t.Fatalf("report files: %+v", rep.Files)
	}
	file, err := f.store.OpenReportFile(ctx, staff, rep.ID, rep.Files[0].ID)
	if err != nil || !bytes.Equal(file.Data, pic) {
		t.Errorf("open report file: %v (%d bytes)", err, len(file.Data))
	}
}

func TestPublicReportFilesRefused(t *testing.T) {
	f := newFixture(t, func(d *uiDeps) { d.ReportLimiter = server.NewLimiter(100, time.Second) })
	c := f.anon(t)
	c.lang = "en"
	form := url.Values{"category": {"phishing"}, "description": {"A fake bank page"}, "url": {"https://bank.example/"}}
	pic := pngBytes(t)
	for name, tc := range map[string]struct {
		files  []upload
		status int
		msg    string
	}{
		"html as png":    {[]upload{{"page.png", []byte("<html><script>alert(1)</script></html>")}}, http.StatusBadRequest, "not what its name"},
		"html":           {[]upload{{"page.html", []byte("<html><script>alert(1)</script></html>")}}, http.StatusBadRequest, "send PNG or JPEG"},
		"gif":            {[]upload{{"a.gif", []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;")}}, http.StatusBadRequest, "send PNG or JPEG"},
		"too many":       {[]upload{{"1.png", pic}, {"2.png", pic}, {"3.png", pic}, {"4.png", pic}, {"5.png", pic}, {"6.png", pic}}, http.StatusBadRequest, "at most 5 files"},
		"too large":      {[]upload{{"big.png", append(pic, make([]byte, 5<<20)...)}}, http.StatusBadRequest, "larger than 5 MiB"},
		"body too large": {[]upload{{"1.png", make([]byte, 5<<20)}, {"2.png", make([]byte, 5<<20)}, {"3.png", make([]byte, 5<<20)}, {"4.png", make([]byte, 5<<20)}, {"5.png", make([]byte, 5<<20)}, {"6.png", make([]byte, 1<<20)}}, http.StatusRequestEntityTooLarge, "too large"},
	} {
		t.Run(name, func(t *testing.T) {
			c.postReport(form, tc.files...).want(t, tc.status).contains(t, tc.msg, "A fake bank page")
		})
	}
	staff := auth.Actor{Name: "analyst", Role: auth.Analyst, Scope: auth.Everything}
	if list, _, err := f.store.ListIntake(context.Background(), staff, storage.IntakeFilter{}); err != nil || len(list) != 0 {
		t.Errorf("refused uploads left reports: %v, %v", list, err)
	}
}

func TestPublicReportRateLimited(t *testing.T) {
	lim := server.NewLimiter(2, time.Hour)
	f := newFixture(t, func(d *uiDeps) { d.ReportLimiter = lim })
	c := f.anon(t)
	c.lang = "en"
	form := url.Values{"category": {"sms"}, "description": {"An SMS with a link"}}
	c.postReport(form).want(t, http.StatusCreated)
	c.postReport(form).want(t, http.StatusCreated)
	r := c.postReport(form).want(t, http.StatusTooManyRequests).contains(t, "Too many requests", "An SMS with a link")
	if r.Header.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
	// The limiter is shared: the JSON route (given the same one) is
	// refused too, for this client.
	if lim.Allow("127.0.0.1") {
		t.Error("the shared limiter still has tokens for this client")
	}
}

func TestPublicReportsHiddenFromAgencies(t *testing.T) {
	f := newFixture(t)
	c := f.anon(t)
	c.postReport(url.Values{"category": {"phishing"}, "description": {"Fake MDT portal"}, "url": {"https://mdt-gov.example/"},
		"reporter_email": {"citizen@example.az"}}, upload{"s.png", pngBytes(t)}).want(t, http.StatusCreated)
	ctx := context.Background()
	staff := auth.Actor{Name: "analyst", Role: auth.Analyst, Scope: auth.Everything}
	list, _, err := f.store.ListIntake(ctx, staff, storage.IntakeFilter{})
	if err != nil || len(list) != 1 {
		t.Fatalf("reports: %v, %v", list, err)
	}
	rep, _ := f.store.GetIntake(ctx, staff, list[0].ID)
	for _, name := range []string{"mdt-officer", "partner"} {
		u := f.users[name]
		a := auth.ActorOf(u, "127.0.0.1")
		if _, _, err := f.store.ListIntake(ctx, a, storage.IntakeFilter{}); err == nil {
			t.Errorf("%s listed citizens' reports", name)
		}
		if _, err := f.store.GetIntake(ctx, a, rep.ID); err == nil {
			t.Errorf("%s read a citizen's report", name)
		}
		if _, err := f.store.OpenReportFile(ctx, a, rep.ID, rep.Files[0].ID); err == nil {
			t.Errorf("%s opened a citizen's screenshot", name)
		}
		// Signed in, the public pages show the bare form, never others' data.
		f.as(t, name).get("/report").want(t, http.StatusOK).lacks(t, "Fake MDT portal", "citizen@example.az")
	}
}

// TestReportFilesForStaff: the triage queue lists a report's screenshots;
// staff download them as attachments in a sandbox, nobody else at all.
func TestReportFilesForStaff(t *testing.T) {
	f := newFixture(t)
	pic := pngBytes(t)
	f.anon(t).postReport(url.Values{"category": {"phishing"}, "description": {"Fake login page"}, "url": {"https://login-bank.example/"}},
		upload{"screen shot.png", pic}).want(t, http.StatusCreated)
	staff := auth.Actor{Name: "analyst", Role: auth.Analyst, Scope: auth.Everything}
	list, _, err := f.store.ListIntake(context.Background(), staff, storage.IntakeFilter{})
	if err != nil || len(list) != 1 || len(list[0].Files) != 1 {
		t.Fatalf("reports with files: %+v, %v", list, err)
	}
	link := "/incidents/triage/" + itoa(list[0].ID) + "/files/" + itoa(list[0].Files[0].ID)
	f.as(t, "analyst").get("/incidents/triage").want(t, http.StatusOK).contains(t, `href="`+link+`"`, "screen shot.png", "image/png")
	dl := f.as(t, "analyst").get(link).want(t, http.StatusOK)
	if dl.body != string(pic) || dl.Header.Get("Content-Type") != "application/octet-stream" ||
		!strings.HasPrefix(dl.Header.Get("Content-Disposition"), "attachment") || !strings.Contains(dl.Header.Get("Content-Security-Policy"), "sandbox") {
		t.Errorf("download: %d bytes, headers %v", len(dl.body), dl.Header)
	}
	// The auditor reads the queue but not the reporter's pictures: the
	// name is listed, without a link.
	f.as(t, "auditor").get("/incidents/triage").want(t, http.StatusOK).contains(t, "screen shot.png").lacks(t, `href="`+link+`"`)
	for _, name := range []string{"mdt-officer", "partner", "auditor"} {
		if r := f.as(t, name).get(link); r.StatusCode == http.StatusOK || strings.Contains(r.body, "PNG") {
			t.Errorf("%s downloaded a citizen's screenshot: %d", name, r.StatusCode)
		}
	}
	f.anon(t).get(link).want(t, http.StatusSeeOther)
	f.as(t, "analyst").get("/incidents/triage/"+itoa(list[0].ID)+"/files/999").want(t, http.StatusNotFound)
	if got, _ := f.store.ListAudit(context.Background(), storage.AuditFilter{Action: "report.file_export"}); len(got) != 1 {
		t.Errorf("exports audited: %d, want 1", len(got))
	}
}

// TestPublicReportCrossSiteRefused: a page elsewhere cannot post reports
// in a visitor's name (the server's cross-origin protection, as for every
// form), and nothing is stored.
func TestPublicReportCrossSiteRefused(t *testing.T) {
	f := newFixture(t)
	req, _ := http.NewRequest(http.MethodPost, f.srv.URL+"/report",
		strings.NewReader(url.Values{"category": {"other"}, "description": {"forged"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	if r := f.anon(t).do(req); r.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site POST /report: %d, want 403", r.StatusCode)
	}
	staff := auth.Actor{Name: "analyst", Role: auth.Analyst, Scope: auth.Everything}
	if list, _, _ := f.store.ListIntake(context.Background(), staff, storage.IntakeFilter{}); len(list) != 0 {
		t.Errorf("a forged report was stored: %+v", list)
	}
	// Without files, a plain urlencoded form from our own page works too.
	f.anon(t).post("/report", url.Values{"category": {"other"}, "description": {"typed without a file input"}}).want(t, http.StatusCreated)
}
