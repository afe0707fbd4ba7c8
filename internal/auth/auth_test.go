package auth

import (
	"strings"
	"testing"
	"time"

	"github.com/qalxan/qalxan/internal/tlp"
)

func TestPasswordHash(t *testing.T) {
	h, err := HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=65536,t=3,p=2$") {
		t.Errorf("hash %q is not argon2id in PHC format", h)
	}
	h2, _ := HashPassword("correct horse battery")
	if h == h2 {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
	for _, c := range []struct {
		hash, pw string
		want     bool
	}{
		{h, "correct horse battery", true},
		{h, "correct horse batterY", false},
		{h, "", false},
		{"$argon2id$v=19$m=65536,t=3,p=2$bad$bad", "x", false},
		{"$argon2i$v=19$m=65536,t=3,p=2$AAAA$AAAA", "x", false},
		{"$argon2id$v=19$m=99999999,t=3,p=2$AAAA$AAAA", "x", false}, // refuses absurd cost
		{"plain", "plain", false},
	} {
		if got := VerifyPassword(c.hash, c.pw); got != c.want {
			t.Errorf("VerifyPassword(%q, %q): got %v, want %v", c.hash, c.pw, got, c.want)
		}
	}
	if err := CheckPasswordPolicy("short"); err == nil {
		t.Error("short password accepted")
	}
	if err := CheckPasswordPolicy(strings.Repeat("x", MaxPasswordLen+1)); err == nil {
		t.Error("huge password accepted")
	}
	if err := CheckPasswordPolicy("ŞəkiXanSarayı1"); err != nil { // counted in characters, not bytes
		t.Errorf("good password refused: %v", err)
	}
}

func TestThrottle(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	th := NewThrottle()
	th.Now = func() time.Time { return now }
	for range th.Free {
		if w := th.Wait("u"); w != 0 {
			t.Fatalf("wait before the free attempts are used: %v", w)
		}
		th.Fail("u")
	}
	if w := th.Wait("u"); w != 0 {
		t.Errorf("after %d failures: got wait %v, want 0", th.Free, w)
	}
	th.Fail("u")
	if w := th.Wait("u"); w != time.Second {
		t.Errorf("after one failure too many: got %v, want 1s", w)
	}
	th.Fail("u")
	if w := th.Wait("u"); w != 2*time.Second {
		t.Errorf("after two: got %v, want 2s", w)
	}
	for range 40 {
		th.Fail("u")
	}
	if w := th.Wait("u"); w != th.Max {
		t.Errorf("after many: got %v, want the ceiling %v", w, th.Max)
	}
	if w := th.Wait("other"); w != 0 {
		t.Errorf("another key: got %v, want 0", w)
	}
	th.Succeed("u")
	if w := th.Wait("u"); w != 0 {
		t.Errorf("after success: got %v, want 0", w)
	}
}

func TestScopes(t *testing.T) {
	cases := []struct {
		user       User
		id         int64
		label      tlp.Label
		wantAllows bool
	}{
		{User{Role: Analyst}, 7, tlp.Red, true},
		{User{Role: Auditor}, 7, tlp.Amber, true},
		{User{Role: Agency, OrgIDs: []int64{7}}, 7, tlp.Red, true},
		{User{Role: Agency, OrgIDs: []int64{7}}, 8, tlp.Clear, false},
		{User{Role: Partner}, 8, tlp.Green, true},
		{User{Role: Partner}, 8, tlp.Amber, false},
		{User{Role: "nobody"}, 8, tlp.Clear, false},
	}
	for _, c := range cases {
		if got := ScopeFor(&c.user).AllowsOrg(c.id, c.label); got != c.wantAllows {
			t.Errorf("%s %v on org %d %s: got %v, want %v", c.user.Role, c.user.OrgIDs, c.id, c.label, got, c.wantAllows)
		}
	}
}

func TestRolePermissions(t *testing.T) {
	for _, c := range []struct {
		role Role
		perm Permission
		want bool
	}{
		{Admin, ManageUsers, true},
		{Analyst, ManageUsers, false},
		{Analyst, WriteOrgs, true},
		{Agency, WriteOrgs, false},
		{Agency, ReadContacts, true},
		{Partner, ReadContacts, false},
		{Auditor, ReadAudit, true},
		{Auditor, WriteOrgs, false},
	} {
		if got := c.role.Can(c.perm); got != c.want {
			t.Errorf("%s can %s: got %v, want %v", c.role, c.perm, got, c.want)
		}
	}
}

func TestUserNormalize(t *testing.T) {
	for _, c := range []struct {
		u  User
		ok bool
	}{
		{User{Name: "Aysel", Role: "agency", OrgNames: []string{"mdt"}}, true},
		{User{Name: "aysel", Role: "agency"}, false},
		{User{Name: "aysel", Role: "analyst", OrgNames: []string{"mdt"}}, false},
		{User{Name: "bad name", Role: "analyst"}, false},
		{User{Name: "x", Role: "root"}, false},
		{User{Name: "x", Role: "admin", Language: "fr"}, false},
	} {
		err := c.u.Normalize()
		if (err == nil) != c.ok {
			t.Errorf("%+v: got %v, want ok=%v", c.u, err, c.ok)
		}
	}
	if LooksLikeToken(NewSecret(TokenPrefix)) == false {
		t.Error("a new token does not look like a token")
	}
}
