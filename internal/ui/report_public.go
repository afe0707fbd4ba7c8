package ui

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/errs"
	"github.com/qalxan/qalxan/internal/i18n"
	"github.com/qalxan/qalxan/internal/incident"
	"github.com/qalxan/qalxan/internal/server"
)

// maxReportForm bounds the body of the public form: the screenshots at
// their limit and the text fields with room to spare. A stranger gets no
// more of our memory or disk than that.
const maxReportForm = incident.MaxScreenshots*incident.MaxScreenshotSize + 256<<10

type reportFormView struct {
	view
	Form       *form
	Categories []incident.Category
	MaxFiles   int
	MaxMiB     int
	Code       string // the tracking code, once the report is in
}

// reportFields maps the domain's field names to the form's.
var reportFields = map[string]string{"category": "category", "description": "description", "url": "url", "phone": "phone",
	"reporter_name": "reporter_name", "reporter_email": "reporter_email", "screenshots": "screenshots"}

// reportForm (GET /report) is the public report form: no sign-in, in the
// visitor's language.
func (h *handler) reportForm(w http.ResponseWriter, r *http.Request) {
	h.renderReportForm(w, r, http.StatusOK, newForm(nil), "")
}

func (h *handler) renderReportForm(w http.ResponseWriter, r *http.Request, status int, fm *form, code string) {
	// The page is the same for everyone, signed in or not: the bare
	// layout, never the staff navigation.
	v := reportFormView{view: h.newView(w, r, nil, "report.title", ""), Form: fm, Categories: incident.Categories,
		MaxFiles: incident.MaxScreenshots, MaxMiB: incident.MaxScreenshotSize >> 20, Code: code}
	// What a citizen typed, and the tracking code, stay out of caches.
	w.Header().Set("Cache-Control", "no-store")
	h.render(w, r, status, "report_public", &v)
}

// reportSubmit (POST /report) takes the report: the same limiter as the
// JSON route (one budget per client for both), the same validation
// (incident.PublicReport), screenshots checked by their bytes. It answers
// with the tracking code; on a mistake, the form again with the message
// next to the field and everything typed kept. Cross-site posts are
// refused by the server's cross-origin protection, as for every form.
func (h *handler) reportSubmit(w http.ResponseWriter, r *http.Request) {
	lang := requestLanguage(r, nil)
	fm := newForm(nil)
	if !h.ReportLimiter.Allow(server.ClientIP(r)) {
		fm.Values, _, _ = readReportForm(w, r, false)
		fm.General = i18n.T(lang, "report.too_many")
		w.Header().Set("Retry-After", "60")
		h.renderReportForm(w, r, http.StatusTooManyRequests, fm, "")
		return
	}
	values, uploads, err := readReportForm(w, r, true)
	fm.Values = values
	if err != nil {
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			fm.General = i18n.T(lang, "report.too_large", incident.MaxScreenshots, incident.MaxScreenshotSize>>20)
			h.renderReportForm(w, r, http.StatusRequestEntityTooLarge, fm, "")
			return
		}
		fm.General = i18n.T(lang, "report.malformed")
		h.renderReportForm(w, r, http.StatusBadRequest, fm, "")
		return
	}
	val := values.Get
	rep, err := incident.PublicReport{Category: val("category"), Description: val("description"), URL: val("url"), Phone: val("phone"),
		ReporterName: val("reporter_name"), ReporterEmail: val("reporter_email"), Language: lang}.Report(h.rules().Region)
	if err != nil {
		fm.setError(lang, err, reportFields)
		h.renderReportForm(w, r, http.StatusBadRequest, fm, "")
		return
	}
	files, err := checkScreenshots(uploads)
	if err != nil {
		fm.setError(lang, err, reportFields)
		h.renderReportForm(w, r, http.StatusBadRequest, fm, "")
		return
	}
	code, err := h.Store.SubmitIntake(r.Context(), auth.Actor{Name: "public", IP: server.ClientIP(r)}, &rep, files...)
	if errs.Is(err, errs.Invalid) {
		fm.setError(lang, err, reportFields)
		h.renderReportForm(w, r, http.StatusBadRequest, fm, "")
		return
	}
	if err != nil {
		h.fail(w, r, nil, err)
		return
	}
	h.renderReportForm(w, r, http.StatusCreated, newForm(nil), code)
}

// upload is a file part of the form, read up to one byte past the limit.
type upload struct {
	name string
	data []byte
}

// readReportForm reads the form as it streams in, bounded by
// maxReportForm: text fields (each at most 64 KiB) and, with files, the
// file parts, each read to one byte past MaxScreenshotSize so an
// oversized one is known without holding it all. Fields read before an
// error are returned with it, so a refused form still shows what was
// typed; a browser sends the text fields in page order, around the files.
// Without files, file parts are read past and dropped.
func readReportForm(w http.ResponseWriter, r *http.Request, files bool) (url.Values, []upload, error) {
	r.Body = http.MaxBytesReader(w, r.Body, maxReportForm)
	mr, err := r.MultipartReader()
	if err != nil {
		err := r.ParseForm()
		return r.PostForm, nil, err
	}
	v := url.Values{}
	var ups []upload
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return v, ups, nil
		}
		if err != nil {
			return v, nil, err
		}
		switch {
		case p.FormName() == "":
		case p.FileName() == "" && p.Header.Get("Content-Type") == "":
			b, err := io.ReadAll(io.LimitReader(p, 64<<10))
			if err != nil {
				return v, nil, err
			}
			v.Add(p.FormName(), string(b))
		case files && p.FormName() == "screenshots":
			b, err := io.ReadAll(io.LimitReader(p, incident.MaxScreenshotSize+1))
			if err != nil {
				return v, nil, err
			}
			// A browser sends an empty part when no file was chosen.
			if p.FileName() != "" || len(b) > 0 {
				ups = append(ups, upload{name: p.FileName(), data: b})
			}
		}
		if _, err := io.Copy(io.Discard, p); err != nil {
			return v, nil, err
		}
		p.Close()
	}
}

// checkScreenshots checks the uploads: how many, how large, and what
// their bytes are (incident.CheckScreenshot).
func checkScreenshots(ups []upload) ([]incident.ReportFile, error) {
	if len(ups) > incident.MaxScreenshots {
		return nil, errs.Field("screenshots", "at most %d files", incident.MaxScreenshots)
	}
	var out []incident.ReportFile
	for _, u := range ups {
		if len(u.data) > incident.MaxScreenshotSize {
			return nil, errs.Field("screenshots", "%q is larger than %d MiB", u.name, incident.MaxScreenshotSize>>20)
		}
		rf, err := incident.CheckScreenshot(u.name, u.data, http.DetectContentType(u.data))
		if err != nil {
			return nil, err
		}
		out = append(out, rf)
	}
	return out, nil
}

type reportStatusView struct {
	view
	Form       *form
	Status     string // incident.PublicStatus, "" before a look-up
	ReceivedAt string
}

// reportStatus (GET /report/status?code=…) shows a report's progress to
// whoever holds its tracking code, and nothing else; without a code, the
// field to type it in. Look-ups share the JSON route's limiter.
func (h *handler) reportStatus(w http.ResponseWriter, r *http.Request) {
	lang := requestLanguage(r, nil)
	code := strings.TrimSpace(r.URL.Query().Get("code"))
	fm := newForm(r.URL.Query())
	v := reportStatusView{view: h.newView(w, r, nil, "report.status_title", ""), Form: fm}
	w.Header().Set("Cache-Control", "no-store")
	status := http.StatusOK
	switch {
	case code == "":
	case len(code) > 64:
		fm.fieldError(lang, "code", "report.no_such_code")
		status = http.StatusNotFound
	case !h.StatusLimiter.Allow(server.ClientIP(r)):
		w.Header().Set("Retry-After", "60")
		fm.General = i18n.T(lang, "report.too_many")
		status = http.StatusTooManyRequests
	default:
		st, err := h.Store.IntakeStatusByCode(r.Context(), code)
		switch {
		case errs.Is(err, errs.NotFound):
			fm.fieldError(lang, "code", "report.no_such_code")
			status = http.StatusNotFound
		case err != nil:
			h.fail(w, r, nil, err)
			return
		default:
			v.Status = st.Status
			v.ReceivedAt = st.ReceivedAt.In(h.Location).Format("2006-01-02 15:04")
		}
	}
	h.render(w, r, status, "report_status", &v)
}
