package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/errs"
	"github.com/qalxan/qalxan/internal/incident"
	"github.com/qalxan/qalxan/internal/tlp"
)

// NewIncident is what opening an incident takes besides the incident:
// its first observables, and whether to add the playbook's tasks.
type NewIncident struct {
	Incident    incident.Incident
	Observables []incident.Observable
	NoPlaybook  bool
	// How and when the case first came in: the channel and arrival of
	// the report it is opened from (zero: an analyst's own, now).
	Channel    incident.Channel
	ReportedAt time.Time
}

// CreateIncident opens an incident: it checks the fields, the affected
// organisations (which must be in the actor's scope), assesses severity
// and the due date, gives it the year's next reference, adds the
// playbook's tasks and the observables, and writes the journal's first
// entry and the audit record, all in one transaction.
func (s *Store) CreateIncident(ctx context.Context, actor auth.Actor, rules incident.Rules, n NewIncident) (incident.Incident, error) {
	if err := mayDo(actor, auth.WriteIncidents); err != nil {
		return incident.Incident{}, err
	}
	var out incident.Incident
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = s.createIncident(ctx, tx, actor, rules, n)
		return err
	})
	return out, err
}

func (s *Store) createIncident(ctx context.Context, tx *sql.Tx, actor auth.Actor, rules incident.Rules, n NewIncident) (incident.Incident, error) {
	in := n.Incident
	if err := in.Normalize(); err != nil {
		return in, err
	}
	obs := make([]incident.Observable, len(n.Observables))
	for i, o := range n.Observables {
		if err := o.Normalize(rules.Region); err != nil {
			return in, errs.Prefix(err, fmt.Sprintf("observable %d", i+1))
		}
		obs[i] = o
	}
	for _, id := range in.OrgIDs {
		if err := mayChangeOrg(ctx, tx, actor, id); err != nil {
			return in, errs.InField("org_ids", err)
		}
	}
	if err := s.checkAssignee(ctx, tx, in.Assignee); err != nil {
		return in, err
	}
	now := s.Now().UTC()
	rules.Policy.Open(&in, actorName(actor), now)
	var seq int64
	if err := tx.QueryRowContext(ctx, `INSERT INTO incident_refs (year, n) VALUES ($1, 1)
		ON CONFLICT (year) DO UPDATE SET n = incident_refs.n + 1 RETURNING n`, now.Year()).Scan(&seq); err != nil {
		return in, fmt.Errorf("storage: number incident: %w", err)
	}
	in.Ref = incident.Reference(now.Year(), int(seq))
	criteria, _ := json.Marshal(in.Criteria)
	tags, _ := json.Marshal(in.Tags)
	err := tx.QueryRowContext(ctx, `INSERT INTO incidents (ref, title, description, taxonomy, type, identifier, category, severity, severity_rank,
		severity_reason, criteria, score, assessed_rank, status, tlp, tlp_rank, pap, tags, owner_team, assignee, due_at, created_at, created_by, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $22) RETURNING id`,
		in.Ref, in.Title, in.Description, in.Taxonomy, in.Type, in.Identifier, string(in.Category), in.Severity.String(), int(in.Severity),
		in.SeverityReason, string(criteria), in.Assessed.Score, int(in.Assessed.Severity), string(in.Status), string(in.TLP), in.TLP.Rank(),
		string(in.PAP), string(tags), in.OwnerTeam, in.Assignee, nullTime(in.DueAt), now, in.CreatedBy).Scan(&in.ID)
	if err != nil {
		return in, fmt.Errorf("storage: create incident: %w", err)
	}
	if err := setIncidentIntake(ctx, tx, in.ID, n.Channel, n.ReportedAt, now); err != nil {
		return in, err
	}
	if err := s.setIncidentOrgs(ctx, tx, in.ID, in.OrgIDs); err != nil {
		return in, err
	}
	if err := s.mailAssignee(ctx, tx, &in, actorName(actor)); err != nil {
		return in, err
	}
	journal := []incident.Entry{{At: now, Actor: in.CreatedBy, Kind: incident.EntryStatus, To: string(incident.New),
		Text: fmt.Sprintf("opened as %s, severity %s (score %d)", in.Classification, in.Severity, in.Assessed.Score)}}
	if !n.NoPlaybook {
		if pb, ok := incident.PlaybookFor(rules.Playbooks, in.Classification); ok {
			for _, t := range pb.Tasks(now) {
				t.IncidentID = in.ID
				if err := s.insertTask(ctx, tx, &t, now); err != nil {
					return in, err
				}
			}
			journal = append(journal, incident.Entry{At: now, Actor: in.CreatedBy, Kind: incident.EntryTask,
				Text: fmt.Sprintf("%d tasks from the %s playbook", len(pb.Steps), pb.Name)})
		}
	}
	for _, o := range obs {
		o.IncidentID = in.ID
		added, err := s.insertObservable(ctx, tx, &o, actorName(actor), now)
		if err != nil {
			return in, err
		}
		if added {
			journal = append(journal, incident.Entry{At: now, Actor: in.CreatedBy, Kind: incident.EntryObservable,
				Text: fmt.Sprintf("added %s %s (%s)", o.Kind, o.Value, o.TLP)})
		}
	}
	if err := s.insertJournal(ctx, tx, in.ID, journal); err != nil {
		return in, err
	}
	if err := s.audit(ctx, tx, actor, "incident.create", "incident", in.ID, firstOrg(in.OrgIDs), nil, auditIncident(in)); err != nil {
		return in, err
	}
	got, err := s.getIncident(ctx, tx, auth.Everything, rules.Policy, in.ID, "")
	if err != nil {
		return in, err
	}
	return *got, nil
}

func firstOrg(ids []int64) int64 {
	if len(ids) == 0 {
		return 0
	}
	return ids[0]
}

// auditIncident is what the audit log keeps of an incident's state.
func auditIncident(in incident.Incident) map[string]any {
	m := map[string]any{"ref": in.Ref, "status": in.Status, "severity": in.Severity, "score": in.Assessed.Score,
		"classification": in.Classification.String(), "tlp": in.TLP, "pap": in.PAP, "orgs": in.OrgIDs, "assignee": in.Assignee, "team": in.OwnerTeam}
	if in.SeverityReason != "" {
		m["severity_reason"] = in.SeverityReason
	}
	if in.Reason != "" {
		m["reason"] = in.Reason
	}
	return m
}

func (s *Store) setIncidentOrgs(ctx context.Context, tx *sql.Tx, id int64, orgs []int64) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM incident_orgs WHERE incident_id = $1`, id); err != nil {
		return fmt.Errorf("storage: incident %d organisations: %w", id, err)
	}
	for _, o := range orgs {
		if _, err := tx.ExecContext(ctx, `INSERT INTO incident_orgs (incident_id, org_id) VALUES ($1, $2)`, id, o); err != nil {
			return fmt.Errorf("storage: incident %d organisations: %w", id, err)
		}
	}
	return nil
}

func (s *Store) insertJournal(ctx context.Context, tx *sql.Tx, id int64, es []incident.Entry) error {
	for _, e := range es {
		if _, err := tx.ExecContext(ctx, `INSERT INTO incident_journal (incident_id, at, actor, kind, text, from_status, to_status)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, id, e.At.UTC(), e.Actor, string(e.Kind), e.Text, e.From, e.To); err != nil {
			return fmt.Errorf("storage: incident %d journal: %w", id, err)
		}
	}
	return nil
}

// checkAssignee refuses an assignee who is not an active user.
func (s *Store) checkAssignee(ctx context.Context, q querier, user string) error {
	if user == "" {
		return nil
	}
	var n int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE name = $1 AND NOT disabled`, user).Scan(&n); err != nil {
		return fmt.Errorf("storage: check assignee: %w", err)
	}
	if n == 0 {
		return errs.Field("assignee", "no active user %q", user)
	}
	return nil
}

// changeIncident reads an incident in actor's scope inside a transaction,
// locked, lets change modify it and return the journal entries to record,
// then writes the row, the entries and the audit record together.
func (s *Store) changeIncident(ctx context.Context, actor auth.Actor, rules incident.Rules, id int64, action string,
	change func(tx *sql.Tx, in *incident.Incident, now time.Time) ([]incident.Entry, error)) (incident.Incident, error) {
	var out incident.Incident
	err := s.tx(ctx, func(tx *sql.Tx) error {
		in, err := s.getIncident(ctx, tx, actor.Scope, rules.Policy, id, s.dialect.forUpdate("i"))
		if err != nil {
			return err
		}
		// Organisations the actor may not see are kept as they are.
		var allOrgs []int64
		if err := queryInts(ctx, tx, &allOrgs, `SELECT org_id FROM incident_orgs WHERE incident_id = $1 ORDER BY org_id`, id); err != nil {
			return err
		}
		before := *in
		before.OrgIDs = allOrgs
		in.OrgIDs = allOrgs
		now := s.Now().UTC()
		es, err := change(tx, in, now)
		if err != nil {
			return err
		}
		in.UpdatedAt = now
		if err := s.updateIncident(ctx, tx, in); err != nil {
			return err
		}
		if err := s.mailOnChange(ctx, tx, &before, in, actorName(actor)); err != nil {
			return err
		}
		if !slices.Equal(allOrgs, in.OrgIDs) {
			if err := s.setIncidentOrgs(ctx, tx, id, in.OrgIDs); err != nil {
				return err
			}
		}
		if err := s.insertJournal(ctx, tx, id, es); err != nil {
			return err
		}
		if err := s.audit(ctx, tx, actor, action, "incident", id, firstOrg(in.OrgIDs), auditIncident(before), auditIncident(*in)); err != nil {
			return err
		}
		got, err := s.getIncident(ctx, tx, actor.Scope, rules.Policy, id, "")
		if err != nil {
			return err
		}
		out = *got
		return nil
	})
	return out, err
}

func queryInts(ctx context.Context, q querier, dst *[]int64, query string, args ...any) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("storage: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var v int64
		if err := rows.Scan(&v); err != nil {
			return fmt.Errorf("storage: %w", err)
		}
		*dst = append(*dst, v)
	}
	return rows.Err()
}

func (s *Store) updateIncident(ctx context.Context, tx *sql.Tx, in *incident.Incident) error {
	criteria, _ := json.Marshal(in.Criteria)
	tags, _ := json.Marshal(in.Tags)
	var dup any
	if in.DuplicateOf != 0 {
		dup = in.DuplicateOf
	}
	_, err := tx.ExecContext(ctx, `UPDATE incidents SET title = $1, description = $2, taxonomy = $3, type = $4, identifier = $5,
		severity = $6, severity_rank = $7, severity_reason = $8, criteria = $9, score = $10, assessed_rank = $11, status = $12,
		tlp = $13, tlp_rank = $14, pap = $15, tags = $16, owner_team = $17, assignee = $18, due_at = $19, reason = $20,
		duplicate_of = $21, updated_at = $22, triaged_at = $23, contained_at = $24, resolved_at = $25, closed_at = $26 WHERE id = $27`,
		in.Title, in.Description, in.Taxonomy, in.Type, in.Identifier, in.Severity.String(), int(in.Severity), in.SeverityReason,
		string(criteria), in.Assessed.Score, int(in.Assessed.Severity), string(in.Status), string(in.TLP), in.TLP.Rank(), string(in.PAP),
		string(tags), in.OwnerTeam, in.Assignee, nullTime(in.DueAt), in.Reason, dup, in.UpdatedAt, nullTime(in.TriagedAt),
		nullTime(in.ContainedAt), nullTime(in.ResolvedAt), nullTime(in.ClosedAt), in.ID)
	if err != nil {
		return fmt.Errorf("storage: update incident %d: %w", in.ID, err)
	}
	return nil
}

// MoveIncident moves an incident through its lifecycle (incident.Move).
// A duplicate must name an incident the actor can see.
func (s *Store) MoveIncident(ctx context.Context, actor auth.Actor, rules incident.Rules, id int64, a incident.Action) (incident.Incident, error) {
	if err := mayDo(actor, auth.WriteIncidents); err != nil {
		return incident.Incident{}, err
	}
	a.Actor = actorName(actor)
	return s.changeIncident(ctx, actor, rules, id, "incident.transition", func(tx *sql.Tx, in *incident.Incident, now time.Time) ([]incident.Entry, error) {
		if a.To == incident.Duplicate && a.DuplicateOf > 0 && a.DuplicateOf != id {
			if err := s.incidentVisible(ctx, tx, actor.Scope, a.DuplicateOf); err != nil {
				return nil, errs.InField("duplicate_of", err)
			}
		}
		e, err := incident.Move(in, a, now)
		return []incident.Entry{e}, err
	})
}

// AssessIncident records new severity criteria and their assessment.
func (s *Store) AssessIncident(ctx context.Context, actor auth.Actor, rules incident.Rules, id int64, c incident.Criteria) (incident.Incident, error) {
	if err := mayDo(actor, auth.WriteIncidents); err != nil {
		return incident.Incident{}, err
	}
	return s.changeIncident(ctx, actor, rules, id, "incident.assess", func(tx *sql.Tx, in *incident.Incident, now time.Time) ([]incident.Entry, error) {
		e, err := rules.Policy.Reassess(in, c, actorName(actor), now)
		return []incident.Entry{e}, err
	})
}

// OverrideIncidentSeverity sets the severity over the criteria's, with a
// reason (audited, and shown next to the score).
func (s *Store) OverrideIncidentSeverity(ctx context.Context, actor auth.Actor, rules incident.Rules, id int64, sev incident.Severity, reason string) (incident.Incident, error) {
	if err := mayDo(actor, auth.WriteIncidents); err != nil {
		return incident.Incident{}, err
	}
	return s.changeIncident(ctx, actor, rules, id, "incident.severity", func(tx *sql.Tx, in *incident.Incident, now time.Time) ([]incident.Entry, error) {
		e, err := rules.Policy.Override(in, sev, reason, actorName(actor), now)
		return []incident.Entry{e}, err
	})
}

// AssignIncident gives an incident to a user (or nobody, with "") and,
// when team is not "", to a team.
func (s *Store) AssignIncident(ctx context.Context, actor auth.Actor, rules incident.Rules, id int64, user, team string) (incident.Incident, error) {
	if err := mayDo(actor, auth.WriteIncidents); err != nil {
		return incident.Incident{}, err
	}
	user = strings.TrimSpace(user)
	return s.changeIncident(ctx, actor, rules, id, "incident.assign", func(tx *sql.Tx, in *incident.Incident, now time.Time) ([]incident.Entry, error) {
		if err := s.checkAssignee(ctx, tx, user); err != nil {
			return nil, err
		}
		from := *in
		in.Assignee = user
		if team != "" {
			in.OwnerTeam = team
			if err := in.Normalize(); err != nil {
				return nil, err
			}
		}
		if from.Assignee == in.Assignee && from.OwnerTeam == in.OwnerTeam {
			return nil, errs.Field("assignee", "incident %s is already %s's", in.Ref, orNobody(user))
		}
		return []incident.Entry{{At: now, Actor: actorName(actor), Kind: incident.EntryAssign,
			Text: fmt.Sprintf("assigned to %s (team %s), was %s (team %s)", orNobody(in.Assignee), in.OwnerTeam, orNobody(from.Assignee), from.OwnerTeam)}}, nil
	})
}

func orNobody(u string) string {
	if u == "" {
		return "nobody"
	}
	return u
}

// IncidentPatch changes the fields a person edits; nil fields stay.
type IncidentPatch struct {
	Title, Description         *string
	Taxonomy, Type, Identifier *string
	TLP, PAP, OwnerTeam        *string
	Tags                       *[]string
	OrgIDs                     *[]int64
}

// UpdateIncident applies p, and writes one journal entry naming what
// changed. New affected organisations must be in the actor's scope.
func (s *Store) UpdateIncident(ctx context.Context, actor auth.Actor, rules incident.Rules, id int64, p IncidentPatch) (incident.Incident, error) {
	if err := mayDo(actor, auth.WriteIncidents); err != nil {
		return incident.Incident{}, err
	}
	if p.Description != nil && *p.Description == incident.Redacted {
		// A form or client sending back what it was shown redacted does
		// not overwrite the description.
		p.Description = nil
	}
	return s.changeIncident(ctx, actor, rules, id, "incident.update", func(tx *sql.Tx, in *incident.Incident, now time.Time) ([]incident.Entry, error) {
		var changed []string
		set := func(name string, dst *string, v *string) {
			if v != nil && *v != *dst {
				*dst = *v
				changed = append(changed, name)
			}
		}
		set("title", &in.Title, p.Title)
		set("description", &in.Description, p.Description)
		set("taxonomy", &in.Taxonomy, p.Taxonomy)
		if p.Type != nil && p.Taxonomy == nil {
			in.Taxonomy = "" // derived from the new type
		}
		set("type", &in.Type, p.Type)
		set("identifier", &in.Identifier, p.Identifier)
		set("owner_team", &in.OwnerTeam, p.OwnerTeam)
		if p.TLP != nil {
			label := string(in.TLP)
			set("tlp", &label, p.TLP)
			in.TLP = tlp.Label(label)
		}
		if p.PAP != nil {
			pap := string(in.PAP)
			set("pap", &pap, p.PAP)
			in.PAP = incident.PAP(pap)
		}
		if p.Tags != nil {
			in.Tags = *p.Tags
			changed = append(changed, "tags")
		}
		if p.OrgIDs != nil {
			old := slices.Clone(in.OrgIDs)
			in.OrgIDs = slices.Clone(*p.OrgIDs)
			for _, o := range in.OrgIDs {
				if !slices.Contains(old, o) {
					if err := mayChangeOrg(ctx, tx, actor, o); err != nil {
						return nil, errs.InField("org_ids", err)
					}
				}
			}
			changed = append(changed, "organisations")
		}
		if err := in.Normalize(); err != nil {
			return nil, err
		}
		if len(changed) == 0 {
			return nil, errs.E(errs.Invalid, "nothing to change")
		}
		return []incident.Entry{{At: now, Actor: actorName(actor), Kind: incident.EntryEdit, Text: "changed " + strings.Join(changed, ", ")}}, nil
	})
}

// AddIncidentNote adds a note to an incident's journal. An agency may
// write on the incidents of its organisations.
func (s *Store) AddIncidentNote(ctx context.Context, actor auth.Actor, id int64, text string) (incident.Entry, error) {
	if err := mayDo(actor, auth.CommentIncidents); err != nil {
		return incident.Entry{}, err
	}
	text = strings.TrimSpace(text)
	if text == "" {
		return incident.Entry{}, errs.Field("text", "write the note")
	}
	if len(text) > 20000 {
		return incident.Entry{}, errs.Field("text", "at most 20000 bytes")
	}
	e := incident.Entry{IncidentID: id, Actor: actorName(actor), Kind: incident.EntryNote, Text: text}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if err := s.incidentVisible(ctx, tx, actor.Scope, id); err != nil {
			return err
		}
		e.At = s.Now().UTC()
		if err := tx.QueryRowContext(ctx, `INSERT INTO incident_journal (incident_id, at, actor, kind, text) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
			id, e.At, e.Actor, string(e.Kind), e.Text).Scan(&e.ID); err != nil {
			return fmt.Errorf("storage: incident %d note: %w", id, err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE incidents SET updated_at = $1 WHERE id = $2`, e.At, id); err != nil {
			return fmt.Errorf("storage: incident %d note: %w", id, err)
		}
		return s.audit(ctx, tx, actor, "incident.note", "incident", id, 0, nil, map[string]any{"journal_id": e.ID})
	})
	return e, err
}
