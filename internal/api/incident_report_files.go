package api

import (
	"mime"
	"net/http"
	"strconv"

	"github.com/qalxan/qalxan/internal/auth"
)

// getReportFile sends a screenshot that came with a report (listed in
// the report's "files"), for download only, like evidence: an attachment
// of a type browsers do not render, in a sandbox. Staff only; audited.
func (a *API) getReportFile(w http.ResponseWriter, r *http.Request, u *auth.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	fid, err := pathID(r, "file")
	if err != nil {
		return err
	}
	f, err := a.d.Store.OpenReportFile(r.Context(), actor(r, u), id, fid)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "application/octet-stream")
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": f.Name}))
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Evidence-SHA256", f.SHA256)
	h.Set("X-Evidence-Media-Type", f.MediaType)
	h.Set("Content-Length", strconv.Itoa(len(f.Data)))
	w.WriteHeader(http.StatusOK)
	w.Write(f.Data)
	return nil
}
