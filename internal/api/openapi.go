package api

import (
	_ "embed"
	"net/http"

	"github.com/qalxan/qalxan/internal/auth"
)

// openAPIDoc describes every route. It is written by hand, for people to
// read; openapi_test.go keeps it in step with the route table.
//
//go:embed openapi.json
var openAPIDoc []byte

func (a *API) openAPI(w http.ResponseWriter, r *http.Request, _ *auth.User) error {
	w.Header().Set("Content-Type", "application/json")
	w.Write(openAPIDoc)
	return nil
}
