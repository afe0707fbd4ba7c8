package api

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/errs"
	"github.com/qalxan/qalxan/internal/orgfile"
)

// maxImportBody bounds an imported registry file. National registries are
// a few megabytes; the parsed tree takes several times the file's size.
const maxImportBody = 32 << 20

// importTypes maps the Content-Types an import accepts to a format; ""
// means "look at the content". Anything else (JSON, a multipart form) is
// refused with 415 rather than guessed at.
var importTypes = map[string]orgfile.Format{
	"text/csv":                 orgfile.CSV,
	"application/csv":          orgfile.CSV,
	"application/yaml":         orgfile.YAML,
	"application/x-yaml":       orgfile.YAML,
	"text/yaml":                orgfile.YAML,
	"text/x-yaml":              orgfile.YAML,
	"":                         "",
	"text/plain":               "",
	"application/octet-stream": "",
}

// parseFormat reads the format query parameter.
func parseFormat(s string) (orgfile.Format, error) {
	switch strings.ToLower(s) {
	case "yaml", "yml":
		return orgfile.YAML, nil
	case "csv":
		return orgfile.CSV, nil
	}
	return "", errs.Field("format", "unknown format %q (want yaml or csv)", s)
}

// importOrgs reads a registry file from the body and makes the registry
// agree with it, in one transaction: a file with an error imports nothing,
// and the error names the line.
func (a *API) importOrgs(w http.ResponseWriter, r *http.Request, u *auth.User) error {
	format, ok := importTypes[mediaType(r)]
	if !ok {
		return &errs.Error{Code: codeUnsupportedMedia, Message: fmt.Sprintf(
			"cannot import a body of type %s; send the file itself as the body with Content-Type text/csv or application/yaml", mediaType(r))}
	}
	if f := r.URL.Query().Get("format"); f != "" {
		var err error
		if format, err = parseFormat(f); err != nil {
			return err
		}
	}
	if r.ContentLength > maxImportBody {
		return tooLarge(maxImportBody)
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxImportBody))
	if mb := (*http.MaxBytesError)(nil); errors.As(err, &mb) {
		return tooLarge(maxImportBody)
	}
	if err != nil {
		return fmt.Errorf("api: read import body: %w", err)
	}
	if format == "" {
		if format, err = orgfile.DetectFormat("", data); err != nil {
			// orgfile's advice is about file names, which a body lacks.
			return errs.E(errs.Invalid, "cannot tell whether the body is YAML or CSV; add ?format=yaml or ?format=csv, or send Content-Type application/yaml or text/csv")
		}
	}
	orgs, err := orgfile.Decode(bytes.NewReader(data), format)
	if err != nil {
		return err
	}
	res, err := a.d.Store.ImportOrgs(r.Context(), actor(r, u), orgs)
	if err != nil {
		return err
	}
	a.registryChanged()
	a.writeJSON(w, r, http.StatusOK, res)
	return nil
}

// exportOrgs writes the registry, as far as the caller's scope reaches,
// as a YAML or CSV file. The file holds contacts, so the export is
// recorded in the audit log like any other read of them.
func (a *API) exportOrgs(w http.ResponseWriter, r *http.Request, u *auth.User) error {
	format := orgfile.YAML
	if f := r.URL.Query().Get("format"); f != "" {
		var err error
		if format, err = parseFormat(f); err != nil {
			return err
		}
	}
	orgs, err := a.d.Store.ExportOrgs(r.Context(), auth.ScopeFor(u))
	if err != nil {
		return err
	}
	// Encode fully before writing, so a failure is still a clean JSON error.
	var buf bytes.Buffer
	if err := orgfile.Encode(&buf, format, orgs); err != nil {
		return fmt.Errorf("api: export: %w", err)
	}
	contacts := 0
	for _, o := range orgs {
		contacts += len(o.Contacts)
	}
	if err := a.d.Store.Audit(r.Context(), actor(r, u), "org.export", "org", 0, 0,
		map[string]any{"format": format, "orgs": len(orgs), "contacts": contacts}); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "text/"+string(format)+"; charset=utf-8")
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="qalxan-orgs-%s.%s"`, a.d.Store.Now().Format("2006-01-02"), format))
	w.WriteHeader(http.StatusOK)
	w.Write(buf.Bytes())
	return nil
}
