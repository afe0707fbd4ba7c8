package storagetest

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/constituency"
	"github.com/qalxan/qalxan/internal/finding"
	"github.com/qalxan/qalxan/internal/storage"
	"github.com/qalxan/qalxan/internal/tlp"
)

// Gap is a finding to seed: identifier, severity and status (open by
// default), with EventsPer events behind it.
type Gap struct {
	Identifier string
	Severity   finding.Severity
	Status     finding.Status
	DueAt      time.Time
	EventsPer  int
}

// SeedOrg creates an organisation with one contact per address (role
// "security", or the role after a colon: "boss@x.az:escalation").
func SeedOrg(t testing.TB, s *storage.Store, short string, lang constituency.Language, label string, contacts ...string) *constituency.Org {
	t.Helper()
	o := constituency.Org{ShortName: short, Name: "Org " + short, Sector: "government", Language: lang, TLP: "amber"}
	if label != "" {
		o.TLP = tlp.Label(label)
	}
	for _, c := range contacts {
		mail, role, _ := strings.Cut(c, ":")
		o.Contacts = append(o.Contacts, constituency.Contact{Email: mail, Role: role})
	}
	actor := auth.Actor{Name: "seed", Role: auth.Admin, Scope: auth.Everything}
	if err := s.CreateOrg(context.Background(), actor, &o); err != nil {
		t.Fatalf("seed org %s: %v", short, err)
	}
	return &o
}

// SeedFindings writes findings of org with the events behind them, in one
// transaction of plain SQL (the findings' own storage is not needed), and
// returns their ids. Resources are 192.0.2.N:PORT.
func SeedFindings(t testing.TB, s *storage.Store, orgID int64, gaps ...Gap) []int64 {
	t.Helper()
	ctx := context.Background()
	tx, err := s.DB().BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	now := s.Now()
	var ids []int64
	for i, g := range gaps {
		st := g.Status
		if st == "" {
			st = finding.Open
		}
		var due any
		if !g.DueAt.IsZero() {
			due = g.DueAt
		}
		res := fmt.Sprintf("192.0.%d.%d:%d", orgID%250, i%250+1, 1000+i)
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO findings (org_id, resource, identifier, type, source, severity, severity_rank, status,
			first_seen, last_seen, seen_count, due_at, updated_at) VALUES ($1, $2, $3, 'vulnerable-system', 'shadowserver', $4, $5, $6, $7, $7, 1, $8, $7) RETURNING id`,
			orgID, res, g.Identifier, g.Severity.String(), int(g.Severity), string(st), now, due).Scan(&id); err != nil {
			t.Fatalf("seed finding: %v", err)
		}
		ids = append(ids, id)
		ip, port, _ := strings.Cut(res, ":")
		for j := range g.EventsPer {
			fp := make([]byte, 16)
			rand.Read(fp)
			ev := map[string]any{"source.ip": ip, "source.port": port, "classification.identifier": g.Identifier,
				"classification.type": "vulnerable-system", "classification.taxonomy": "vulnerable", "feed.name": "scan_test",
				"feed.provider": "Shadowserver", "time.source": now.Add(-time.Duration(j) * time.Hour).Format(time.RFC3339), "source.asn": 64500}
			data, _ := json.Marshal(ev)
			var eid int64
			if err := tx.QueryRowContext(ctx, `INSERT INTO events (fingerprint, time_observation, feed, identifier, source_ip, data)
				VALUES ($1, $2, 'scan_test', $3, $4, $5) RETURNING id`, fp, now, g.Identifier, ip, string(data)).Scan(&eid); err != nil {
				t.Fatalf("seed event: %v", err)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO finding_events (finding_id, event_id) VALUES ($1, $2)`, id, eid); err != nil {
				t.Fatalf("seed finding event: %v", err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	return ids
}
