package auth

import (
	"regexp"
	"strings"
	"time"

	"github.com/qalxan/qalxan/internal/errs"
)

// User is a person (or a partner system) who signs in.
type User struct {
	ID           int64     `json:"id"`
	Name         string    `json:"name"` // login name
	DisplayName  string    `json:"display_name,omitempty"`
	Email        string    `json:"email,omitempty"`
	Role         Role      `json:"role"`
	OrgIDs       []int64   `json:"org_ids,omitempty"`      // organisations an agency user belongs to
	OrgNames     []string  `json:"org_names,omitempty"`    // their short names, for display
	Language     string    `json:"language"`               // az, en or ru: the UI language
	Disabled     bool      `json:"disabled"`               //
	PasswordHash string    `json:"-"`                      // argon2id, PHC string format
	CreatedAt    time.Time `json:"created_at"`             //
	LastLoginAt  time.Time `json:"last_login_at,omitzero"` //
}

var userNameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._@-]{0,63}$`)

// Normalize validates the user's fields; agency users need at least one
// organisation and other roles may have none (they see everything anyway,
// and a stray binding would suggest a limit that does not exist).
func (u *User) Normalize() error {
	u.Name = strings.ToLower(strings.TrimSpace(u.Name))
	if !userNameRE.MatchString(u.Name) {
		return errs.Field("name", "%q is not a valid user name (lower-case letters, digits, '.', '_', '@', '-'; at most 64)", u.Name)
	}
	var err error
	if u.Role, err = ParseRole(string(u.Role)); err != nil {
		return err
	}
	if u.Role.BoundToOrgs() && len(u.OrgIDs) == 0 && len(u.OrgNames) == 0 {
		return errs.Field("org", "an agency user must belong to an organisation")
	}
	if !u.Role.BoundToOrgs() && (len(u.OrgIDs) > 0 || len(u.OrgNames) > 0) {
		return errs.Field("org", "only agency users belong to organisations; a %s sees all of them", u.Role)
	}
	switch u.Language = strings.ToLower(strings.TrimSpace(u.Language)); u.Language {
	case "":
		u.Language = "az"
	case "az", "en", "ru":
	default:
		return errs.Field("language", "unknown language %q (want az, en or ru)", u.Language)
	}
	u.DisplayName = strings.TrimSpace(u.DisplayName)
	u.Email = strings.TrimSpace(u.Email)
	return nil
}

// Actor is who performs an action, as the audit log records it, and the
// scope within which they may change things: storage refuses a change to an
// organisation outside it, whatever the handler checked before.
type Actor struct {
	UserID int64  // 0 for the system itself
	Name   string // user name, or "system" / "cli"
	Role   Role
	IP     string // remote address of the request, when there is one
	Scope  Scope  // the zero Scope may change nothing
}

// System is the actor of background jobs.
var System = Actor{Name: "system", Scope: Everything}

// CLI is the actor of the command line, run by whoever administers the host.
var CLI = Actor{Name: "cli", Scope: Everything}

// ActorOf returns the actor for a signed-in user.
func ActorOf(u *User, ip string) Actor {
	return Actor{UserID: u.ID, Name: u.Name, Role: u.Role, IP: ip, Scope: ScopeFor(u)}
}
