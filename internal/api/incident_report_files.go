package api

import (
	"net/http"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/server"
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
	server.SendAttachment(w, f.Name, f.SHA256, f.MediaType, f.Data)
	return nil
}
