package storage

import (
	"context"
	"fmt"

	"github.com/qalxan/qalxan/internal/auth"
)

// Overview is the registry in numbers, within a scope: what the dashboard shows.
type Overview struct {
	Orgs            int            `json:"orgs"`
	CIIOrgs         int            `json:"cii_orgs"`
	Resources       int            `json:"resources"`
	Contacts        int            `json:"contacts"`
	OrgsWithoutMail int            `json:"orgs_without_contacts"` // cannot be notified: needs attention
	BySector        map[string]int `json:"by_sector"`
	ByKind          map[string]int `json:"resources_by_kind"`
}

// Overview counts the registry as the scope sees it.
func (s *Store) Overview(ctx context.Context, sc auth.Scope) (*Overview, error) {
	ov := &Overview{BySector: map[string]int{}, ByKind: map[string]int{}}
	var a args
	cond := scopeCond(sc, &a, "o.id", "o.tlp_rank")
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*),
		COALESCE(SUM(CASE WHEN o.cii THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN NOT EXISTS (SELECT 1 FROM contacts c WHERE c.org_id = o.id) THEN 1 ELSE 0 END), 0)
		FROM orgs o WHERE `+cond, a...).Scan(&ov.Orgs, &ov.CIIOrgs, &ov.OrgsWithoutMail)
	if err != nil {
		return nil, fmt.Errorf("storage: overview: %w", err)
	}
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM contacts c JOIN orgs o ON o.id = c.org_id WHERE `+cond, a...).Scan(&ov.Contacts); err != nil {
		return nil, fmt.Errorf("storage: overview: %w", err)
	}
	for _, g := range []struct {
		q   string
		dst map[string]int
	}{
		{`SELECT o.sector, COUNT(*) FROM orgs o WHERE ` + cond + ` GROUP BY o.sector`, ov.BySector},
		{`SELECT r.kind, COUNT(*) FROM resources r JOIN orgs o ON o.id = r.org_id WHERE ` + cond + ` GROUP BY r.kind`, ov.ByKind},
	} {
		rows, err := s.db.QueryContext(ctx, g.q, a...)
		if err != nil {
			return nil, fmt.Errorf("storage: overview: %w", err)
		}
		for rows.Next() {
			var k string
			var n int
			if err := rows.Scan(&k, &n); err != nil {
				rows.Close()
				return nil, fmt.Errorf("storage: overview: %w", err)
			}
			g.dst[k] = n
		}
		rows.Close()
	}
	for _, n := range ov.ByKind {
		ov.Resources += n
	}
	return ov, nil
}
