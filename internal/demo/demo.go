// Package demo holds the demo data set: a fictional constituency and the
// users that show each role. Later features add their demo data here.
package demo

import (
	"bytes"
	"context"
	_ "embed"
	"fmt"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/orgfile"
	"github.com/qalxan/qalxan/internal/storage"
)

//go:embed constituency.yaml
var constituencyYAML []byte

// ConstituencyYAML is the demo registry in the import format.
func ConstituencyYAML() []byte { return constituencyYAML }

// User is a demo sign-in.
type User struct {
	Name, Password string
	Role           auth.Role
	Org            string // for agency users
	What           string // what the user shows
}

// Users are the demo sign-ins. The passwords are public: the demo listens
// on loopback and its data directory is thrown away.
var Users = []User{
	{"admin", "qalxan-demo-admin", auth.Admin, "", "everything, users and the audit log"},
	{"analyst", "qalxan-demo-analyst", auth.Analyst, "", "CERT staff: all organisations"},
	{"mdt-officer", "qalxan-demo-agency", auth.Agency, "mdt", "an agency officer: only the Ministry of Digital Development"},
	{"auditor", "qalxan-demo-auditor", auth.Auditor, "", "read-only, with the audit log"},
	{"partner", "qalxan-demo-partner", auth.Partner, "", "a partner CERT: only TLP:CLEAR and GREEN organisations"},
}

// Load imports the demo constituency and creates the demo users.
func Load(ctx context.Context, s *storage.Store) error {
	orgs, err := orgfile.Decode(bytes.NewReader(constituencyYAML), orgfile.YAML)
	if err != nil {
		return fmt.Errorf("demo: constituency: %w", err)
	}
	actor := auth.Actor{Name: "demo", Scope: auth.Everything}
	if _, err := s.ImportOrgs(ctx, actor, orgs); err != nil {
		return fmt.Errorf("demo: import: %w", err)
	}
	for _, d := range Users {
		hash, err := auth.HashPassword(d.Password)
		if err != nil {
			return err
		}
		u := &auth.User{Name: d.Name, Role: d.Role, Language: "en", PasswordHash: hash, DisplayName: d.What}
		if d.Org != "" {
			u.OrgNames = []string{d.Org}
		}
		if err := s.CreateUser(ctx, actor, u); err != nil {
			return fmt.Errorf("demo: user %s: %w", d.Name, err)
		}
	}
	return nil
}
