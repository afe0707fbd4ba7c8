package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/errs"
	"github.com/qalxan/qalxan/internal/incident"
	"github.com/qalxan/qalxan/internal/tlp"
)

// IncidentFilter selects incidents; zero fields do not filter.
type IncidentFilter struct {
	Statuses   []incident.Status
	Open       bool // new, triage, in_progress or contained
	Severity   []incident.Severity
	Type       string // RSIT type
	Identifier string
	OrgID      int64
	Assignee   string
	Team       string
	Tag        string
	Text       string // in the reference, title or description
	// Observable finds the incidents naming a value (normalised as its
	// kind says): "which cases mention +994501234567".
	ObservableKind  incident.Kind
	ObservableValue string
	Overdue         bool      // open and past the due date at the store's clock
	Since, Until    time.Time // created_at in [Since, Until)
	BeforeID        int64     // cursor
	Limit           int       // default 100, at most 1000
}

const incidentColumns = `i.id, i.ref, i.title, i.description, i.taxonomy, i.type, i.identifier, i.category, i.severity_rank,
	i.severity_reason, i.criteria, i.score, i.assessed_rank, i.status, i.tlp, i.pap, i.tags, i.owner_team, i.assignee, i.due_at,
	i.reason, i.duplicate_of, i.created_at, i.created_by, i.updated_at, i.triaged_at, i.contained_at, i.resolved_at, i.closed_at`

func scanIncident(row interface{ Scan(...any) error }, p incident.Policy) (incident.Incident, error) {
	var in incident.Incident
	var sev, assessed int
	var criteria, tags, status, label, pap, category string
	var dup sql.NullInt64
	var due, triaged, contained, resolved, closed sql.NullTime
	if err := row.Scan(&in.ID, &in.Ref, &in.Title, &in.Description, &in.Taxonomy, &in.Type, &in.Identifier, &category, &sev,
		&in.SeverityReason, &criteria, &in.Assessed.Score, &assessed, &status, &label, &pap, &tags, &in.OwnerTeam, &in.Assignee, &due,
		&in.Reason, &dup, &in.CreatedAt, &in.CreatedBy, &in.UpdatedAt, &triaged, &contained, &resolved, &closed); err != nil {
		return in, err
	}
	in.Severity, in.Status, in.TLP, in.PAP, in.Category = incident.Severity(sev), incident.Status(status), tlp.Label(label), incident.PAP(pap), incident.Category(category)
	in.DuplicateOf = dup.Int64
	if err := json.Unmarshal([]byte(criteria), &in.Criteria); err != nil {
		return in, fmt.Errorf("criteria of incident %d: %w", in.ID, err)
	}
	if err := json.Unmarshal([]byte(tags), &in.Tags); err != nil {
		return in, fmt.Errorf("tags of incident %d: %w", in.ID, err)
	}
	// The lines are recomputed from the stored criteria with the policy in
	// force; the stored score and level are the ones the decision was made on.
	in.Assessed.Lines = p.Assess(in.Criteria).Lines
	in.Assessed.Severity = incident.Severity(assessed)
	in.CreatedAt, in.UpdatedAt = in.CreatedAt.UTC(), in.UpdatedAt.UTC()
	for _, t := range []struct {
		src sql.NullTime
		dst *time.Time
	}{{due, &in.DueAt}, {triaged, &in.TriagedAt}, {contained, &in.ContainedAt}, {resolved, &in.ResolvedAt}, {closed, &in.ClosedAt}} {
		if t.src.Valid {
			*t.dst = t.src.Time.UTC()
		}
	}
	return in, nil
}

// incidentScope limits incidents to the scope: an organisation-bound
// scope sees those affecting one of its organisations, a TLP-limited one
// those labelled at most its limit. An incident affecting nobody in
// particular (a citizen's vishing call) is visible only to unbound scopes.
func incidentScope(sc auth.Scope, a *args) string {
	var conds []string
	if !sc.AllOrgs {
		if len(sc.OrgIDs) == 0 {
			return "1 = 0"
		}
		ph := make([]string, len(sc.OrgIDs))
		for i, id := range sc.OrgIDs {
			ph[i] = a.add(id)
		}
		conds = append(conds, "EXISTS (SELECT 1 FROM incident_orgs io WHERE io.incident_id = i.id AND io.org_id IN ("+strings.Join(ph, ", ")+"))")
	}
	if sc.MaxTLP != "" {
		conds = append(conds, "i.tlp_rank <= "+a.add(sc.MaxTLPRank()))
	}
	if len(conds) == 0 {
		return "1 = 1"
	}
	return strings.Join(conds, " AND ")
}

func (s *Store) incidentWhere(sc auth.Scope, f IncidentFilter, a *args, region string) (string, error) {
	conds := []string{incidentScope(sc, a)}
	statuses := f.Statuses
	if f.Open || f.Overdue {
		for _, st := range incident.Statuses {
			if st.Open() {
				statuses = append(statuses, st)
			}
		}
	}
	if len(statuses) > 0 {
		ph := make([]string, len(statuses))
		for i, st := range statuses {
			if !st.Valid() {
				return "", errs.Field("status", "status %q is not known", st)
			}
			ph[i] = a.add(string(st))
		}
		conds = append(conds, "i.status IN ("+strings.Join(ph, ", ")+")")
	}
	if len(f.Severity) > 0 {
		ph := make([]string, len(f.Severity))
		for i, sev := range f.Severity {
			ph[i] = a.add(int(sev))
		}
		conds = append(conds, "i.severity_rank IN ("+strings.Join(ph, ", ")+")")
	}
	for col, v := range map[string]string{"i.type": f.Type, "i.identifier": f.Identifier, "i.assignee": f.Assignee, "i.owner_team": f.Team} {
		if v != "" {
			conds = append(conds, col+" = "+a.add(strings.ToLower(v)))
		}
	}
	if f.OrgID != 0 {
		conds = append(conds, "EXISTS (SELECT 1 FROM incident_orgs io2 WHERE io2.incident_id = i.id AND io2.org_id = "+a.add(f.OrgID)+")")
	}
	if f.Tag != "" {
		conds = append(conds, "i.tags LIKE "+a.add("%"+escapeLike(strconv.Quote(strings.ToLower(f.Tag)))+"%")+" ESCAPE '\\'")
	}
	if f.Text != "" {
		like := "LIKE"
		if s.dialect.name == "postgres" {
			like = "ILIKE"
		}
		p := a.add("%" + escapeLike(f.Text) + "%")
		conds = append(conds, "(i.ref "+like+" "+p+" ESCAPE '\\' OR i.title "+like+" "+p+" ESCAPE '\\' OR i.description "+like+" "+p+" ESCAPE '\\')")
	}
	if f.ObservableValue != "" {
		v, err := incident.Normalise(f.ObservableKind, f.ObservableValue, region)
		if err != nil {
			return "", errs.InField("observable", err)
		}
		conds = append(conds, "EXISTS (SELECT 1 FROM incident_observables ob WHERE ob.incident_id = i.id AND ob.kind = "+a.add(string(f.ObservableKind))+
			" AND ob.value = "+a.add(v)+" AND ob.tlp_rank <= "+a.add(sc.MaxTLPRank())+")")
	}
	if f.Overdue {
		conds = append(conds, "i.due_at IS NOT NULL AND i.due_at < "+a.add(s.Now().UTC()))
	}
	if !f.Since.IsZero() {
		conds = append(conds, "i.created_at >= "+a.add(f.Since.UTC()))
	}
	if !f.Until.IsZero() {
		conds = append(conds, "i.created_at < "+a.add(f.Until.UTC()))
	}
	if f.BeforeID > 0 {
		conds = append(conds, "i.id < "+a.add(f.BeforeID))
	}
	return strings.Join(conds, " AND "), nil
}

// ListIncidents returns the incidents matching f that sc may see, newest
// first, with the affected organisations sc may see; next is the
// BeforeID of the following page, 0 on the last.
func (s *Store) ListIncidents(ctx context.Context, sc auth.Scope, rules incident.Rules, f IncidentFilter) (out []incident.Incident, next int64, err error) {
	var a args
	where, err := s.incidentWhere(sc, f, &a, rules.Region)
	if err != nil {
		return nil, 0, err
	}
	limit := pageLimit(f.Limit)
	rows, err := s.db.QueryContext(ctx, `SELECT `+incidentColumns+` FROM incidents i WHERE `+where+
		` ORDER BY i.id DESC LIMIT `+strconv.Itoa(limit+1), a...)
	if err != nil {
		return nil, 0, fmt.Errorf("storage: list incidents: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		in, err := scanIncident(rows, rules.Policy)
		if err != nil {
			return nil, 0, fmt.Errorf("storage: list incidents: %w", err)
		}
		out = append(out, in)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("storage: list incidents: %w", err)
	}
	rows.Close()
	if len(out) > limit {
		out = out[:limit]
		next = out[limit-1].ID
	}
	if err := s.fillIncidentOrgs(ctx, s.db, sc, out); err != nil {
		return nil, 0, err
	}
	return out, next, nil
}

// CountIncidents counts the incidents matching f that sc may see.
func (s *Store) CountIncidents(ctx context.Context, sc auth.Scope, rules incident.Rules, f IncidentFilter) (int, error) {
	f.BeforeID, f.Limit = 0, 0
	var a args
	where, err := s.incidentWhere(sc, f, &a, rules.Region)
	if err != nil {
		return 0, err
	}
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM incidents i WHERE `+where, a...).Scan(&n); err != nil {
		return 0, fmt.Errorf("storage: count incidents: %w", err)
	}
	return n, nil
}

// fillIncidentOrgs sets the affected organisations of each incident, only
// those sc may see: an agency does not learn which other organisations a
// case affects, nor a partner the names of TLP:AMBER organisations.
func (s *Store) fillIncidentOrgs(ctx context.Context, q querier, sc auth.Scope, ins []incident.Incident) error {
	if len(ins) == 0 {
		return nil
	}
	var a args
	ph := make([]string, len(ins))
	pos := map[int64]int{}
	for i := range ins {
		ph[i] = a.add(ins[i].ID)
		pos[ins[i].ID] = i
		ins[i].OrgIDs, ins[i].Orgs = []int64{}, nil
	}
	rows, err := q.QueryContext(ctx, `SELECT io.incident_id, o.id, o.short_name, o.tlp FROM incident_orgs io JOIN orgs o ON o.id = io.org_id
		WHERE io.incident_id IN (`+strings.Join(ph, ", ")+`) ORDER BY o.short_name`, a...)
	if err != nil {
		return fmt.Errorf("storage: incident organisations: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var iid, oid int64
		var name, label string
		if err := rows.Scan(&iid, &oid, &name, &label); err != nil {
			return fmt.Errorf("storage: incident organisations: %w", err)
		}
		if !sc.AllowsOrg(oid, tlp.Label(label)) {
			continue
		}
		in := &ins[pos[iid]]
		in.OrgIDs, in.Orgs = append(in.OrgIDs, oid), append(in.Orgs, name)
	}
	return rows.Err()
}

// GetIncident returns one incident sc may see; one outside the scope is
// not found, exactly like one that does not exist.
func (s *Store) GetIncident(ctx context.Context, sc auth.Scope, rules incident.Rules, id int64) (*incident.Incident, error) {
	return s.getIncident(ctx, s.db, sc, rules.Policy, id, "")
}

// GetIncidentByRef is GetIncident by reference (QLX-2026-000123).
func (s *Store) GetIncidentByRef(ctx context.Context, sc auth.Scope, rules incident.Rules, ref string) (*incident.Incident, error) {
	y, n, err := incident.ParseReference(ref)
	if err != nil {
		return nil, err
	}
	var id int64
	err = s.db.QueryRowContext(ctx, `SELECT id FROM incidents WHERE ref = $1`, incident.Reference(y, n)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.E(errs.NotFound, "incident %s not found", strings.ToUpper(ref))
	}
	if err != nil {
		return nil, fmt.Errorf("storage: find incident %s: %w", ref, err)
	}
	return s.GetIncident(ctx, sc, rules, id)
}

func (s *Store) getIncident(ctx context.Context, q querier, sc auth.Scope, p incident.Policy, id int64, lock string) (*incident.Incident, error) {
	var a args
	where := incidentScope(sc, &a)
	in, err := scanIncident(q.QueryRowContext(ctx, `SELECT `+incidentColumns+` FROM incidents i WHERE i.id = `+a.add(id)+` AND `+where+lock, a...), p)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.E(errs.NotFound, "incident %d not found", id)
	}
	if err != nil {
		return nil, fmt.Errorf("storage: get incident %d: %w", id, err)
	}
	one := []incident.Incident{in}
	if err := s.fillIncidentOrgs(ctx, q, sc, one); err != nil {
		return nil, err
	}
	return &one[0], nil
}

// IncidentJournal returns the journal of an incident sc may see, oldest
// entry first.
func (s *Store) IncidentJournal(ctx context.Context, sc auth.Scope, id int64) ([]incident.Entry, error) {
	if err := s.incidentVisible(ctx, s.db, sc, id); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, incident_id, at, actor, kind, text, from_status, to_status
		FROM incident_journal WHERE incident_id = $1 ORDER BY id`, id)
	if err != nil {
		return nil, fmt.Errorf("storage: incident %d journal: %w", id, err)
	}
	defer rows.Close()
	var out []incident.Entry
	for rows.Next() {
		var e incident.Entry
		var kind string
		if err := rows.Scan(&e.ID, &e.IncidentID, &e.At, &e.Actor, &kind, &e.Text, &e.From, &e.To); err != nil {
			return nil, fmt.Errorf("storage: incident %d journal: %w", id, err)
		}
		e.At, e.Kind = e.At.UTC(), incident.EntryKind(kind)
		out = append(out, e)
	}
	return out, rows.Err()
}

// incidentVisible answers not found for an incident outside sc.
func (s *Store) incidentVisible(ctx context.Context, q querier, sc auth.Scope, id int64) error {
	var a args
	where := incidentScope(sc, &a)
	var n int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM incidents i WHERE i.id = `+a.add(id)+` AND `+where, a...).Scan(&n); err != nil {
		return fmt.Errorf("storage: find incident %d: %w", id, err)
	}
	if n == 0 {
		return errs.E(errs.NotFound, "incident %d not found", id)
	}
	return nil
}
