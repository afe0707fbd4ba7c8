package ui_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/qalxan/qalxan/internal/auth"
)

func TestAuditLog(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	// 120 entries from one actor, so the log has a second page.
	for i := range 120 {
		if err := f.store.Audit(ctx, auth.Actor{Name: "robot"}, "export.test", "org", int64(i+1), 0, map[string]int{"n": i}); err != nil {
			t.Fatal(err)
		}
	}
	c := f.as(t, "auditor")
	first := c.get("/admin/audit?actor=robot").want(t, http.StatusOK)
	if n := strings.Count(first.body, `href="/admin/audit?action=export.test"`); n != 100 {
		t.Errorf("first page: %d entries, want 100", n)
	}
	first.contains(t, "<details>", "&#34;n&#34;: 119", `rel="next"`).lacks(t, "&#34;n&#34;: 19\n")
	i := strings.Index(first.body, `rel="next" href="`)
	next := first.body[i+len(`rel="next" href="`):]
	next = strings.ReplaceAll(next[:strings.IndexByte(next, '"')], "&amp;", "&")
	if !strings.Contains(next, "actor=robot") || !strings.Contains(next, "before_id=") {
		t.Fatalf("next page URL %q keeps neither the filter nor the cursor", next)
	}
	second := c.get(next).want(t, http.StatusOK).lacks(t, `rel="next"`)
	if n := strings.Count(second.body, `href="/admin/audit?action=export.test"`); n != 20 {
		t.Errorf("second page: %d entries, want 20", n)
	}
	// Filters by type and action family.
	c.get("/admin/audit?object_type=user").want(t, http.StatusOK).contains(t, "user.create").lacks(t, "export.test")
	c.get("/admin/audit?action=org.").want(t, http.StatusOK).contains(t, "org.create").lacks(t, "user.create", "export.test")
}
