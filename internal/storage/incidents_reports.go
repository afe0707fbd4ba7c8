package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/errs"
	"github.com/qalxan/qalxan/internal/incident"
)

// SubmitIntake stores a normalised report waiting for triage and returns
// its tracking code, which exists nowhere else: only its hash is kept.
// The public form's reports come with the anonymous actor (no role, an
// empty scope), so they may create nothing but themselves.
// Files (screenshots, checked by incident.CheckScreenshot) are stored
// with it in the same transaction.
func (s *Store) SubmitIntake(ctx context.Context, actor auth.Actor, r *incident.Report, files ...incident.ReportFile) (string, error) {
	return s.submitIntake(ctx, actor, r, files, nil)
}

// submitIntake is SubmitIntake with more to store in its transaction
// (then, which may refuse the whole).
func (s *Store) submitIntake(ctx context.Context, actor auth.Actor, r *incident.Report, files []incident.ReportFile, then func(*sql.Tx) error) (string, error) {
	if actor.Role != "" {
		if err := mayDo(actor, auth.SubmitReports); err != nil {
			return "", err
		}
	}
	code, hash := incident.NewTrackingCode()
	r.Status, r.ReceivedAt = incident.ReportNew, s.Now().UTC()
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if r.OrgID != 0 {
			if err := mayChangeOrg(ctx, tx, actor, r.OrgID); err != nil {
				return errs.InField("org_id", err)
			}
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO incident_reports (tracking_hash, received_at, reporter_type, channel, category, description,
			url, phone, language, org_id, reporter_name, reporter_email, submitted_by, status)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id`,
			hash, r.ReceivedAt, string(r.ReporterType), string(r.Channel), string(r.Category), r.Description, r.URL, r.Phone, r.Language,
			nullID(r.OrgID), r.ReporterName, r.ReporterEmail, r.SubmittedBy, string(r.Status)).Scan(&r.ID)
		if err != nil {
			return fmt.Errorf("storage: submit report: %w", err)
		}
		if r.Files, err = s.insertReportFiles(ctx, tx, r.ID, r.ReceivedAt, files); err != nil {
			return err
		}
		if then != nil {
			if err := then(tx); err != nil {
				return err
			}
		}
		if err := s.mailReceived(ctx, tx, r, code); err != nil {
			return err
		}
		// The reporter's personal data stays out of the audit log.
		return s.audit(ctx, tx, actor, "report.submit", "incident_report", r.ID, r.OrgID, nil,
			map[string]any{"category": r.Category, "channel": r.Channel, "reporter_type": r.ReporterType})
	})
	if err != nil {
		return "", err
	}
	return code, nil
}

// IntakeStatus is what the tracking code reveals: nothing but the
// report's progress (incident.PublicStatus) and when it came in.
type IntakeStatus struct {
	Status     string    `json:"status"`
	ReceivedAt time.Time `json:"received_at"`
}

// IntakeStatusByCode looks a report up by its tracking code.
func (s *Store) IntakeStatusByCode(ctx context.Context, code string) (IntakeStatus, error) {
	var rs IntakeStatus
	var status string
	var inc sql.NullString
	err := s.db.QueryRowContext(ctx, `SELECT r.status, r.received_at, i.status FROM incident_reports r
		LEFT JOIN incidents i ON i.id = r.incident_id WHERE r.tracking_hash = $1`, incident.HashTrackingCode(code)).Scan(&status, &rs.ReceivedAt, &inc)
	if errors.Is(err, sql.ErrNoRows) {
		return rs, errs.E(errs.NotFound, "no report with this tracking code")
	}
	if err != nil {
		return rs, fmt.Errorf("storage: report status: %w", err)
	}
	rs.ReceivedAt = rs.ReceivedAt.UTC().Truncate(time.Second)
	rs.Status = incident.PublicStatus(incident.ReportStatus(status), incident.Status(inc.String))
	return rs, nil
}

const intakeColumns = `r.id, r.received_at, r.reporter_type, r.channel, r.category, r.description, r.url, r.phone, r.language, r.org_id,
	r.reporter_name, r.reporter_email, r.submitted_by, r.status, r.incident_id, COALESCE(i.ref, ''), r.reject_reason, r.triaged_at, r.triaged_by`

const intakeFrom = ` FROM incident_reports r LEFT JOIN incidents i ON i.id = r.incident_id`

func scanIntake(row interface{ Scan(...any) error }) (incident.Report, error) {
	var r incident.Report
	var typ, ch, cat, status string
	var org, inc sql.NullInt64
	var triaged sql.NullTime
	if err := row.Scan(&r.ID, &r.ReceivedAt, &typ, &ch, &cat, &r.Description, &r.URL, &r.Phone, &r.Language, &org,
		&r.ReporterName, &r.ReporterEmail, &r.SubmittedBy, &status, &inc, &r.IncidentRef, &r.RejectReason, &triaged, &r.TriagedBy); err != nil {
		return r, err
	}
	r.ReceivedAt = r.ReceivedAt.UTC()
	r.ReporterType, r.Channel, r.Category, r.Status = incident.ReporterType(typ), incident.Channel(ch), incident.Category(cat), incident.ReportStatus(status)
	r.OrgID, r.IncidentID = org.Int64, inc.Int64
	if triaged.Valid {
		r.TriagedAt = triaged.Time.UTC()
	}
	return r, nil
}

// IntakeFilter selects reports for the triage queue.
type IntakeFilter struct {
	Status   incident.ReportStatus // "" = any
	Category incident.Category
	BeforeID int64
	Limit    int
}

// ListIntake lists reports, newest first: the triage queue. They hold
// the reporters' personal data, so only staff read them, and each read of
// a page is audited.
func (s *Store) ListIntake(ctx context.Context, actor auth.Actor, f IntakeFilter) (out []incident.Report, next int64, err error) {
	if err := mayReadIntake(actor); err != nil {
		return nil, 0, err
	}
	var a args
	conds := []string{"1 = 1"}
	if f.Status != "" {
		conds = append(conds, "r.status = "+a.add(string(f.Status)))
	}
	if f.Category != "" {
		conds = append(conds, "r.category = "+a.add(string(f.Category)))
	}
	if f.BeforeID > 0 {
		conds = append(conds, "r.id < "+a.add(f.BeforeID))
	}
	limit := pageLimit(f.Limit)
	rows, err := s.db.QueryContext(ctx, `SELECT `+intakeColumns+intakeFrom+` WHERE `+strings.Join(conds, " AND ")+
		` ORDER BY r.id DESC LIMIT `+strconv.Itoa(limit+1), a...)
	if err != nil {
		return nil, 0, fmt.Errorf("storage: list reports: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		r, err := scanIntake(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("storage: list reports: %w", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("storage: list reports: %w", err)
	}
	rows.Close()
	if len(out) > limit {
		out = out[:limit]
		next = out[limit-1].ID
	}
	ids := make([]int64, len(out))
	for i, r := range out {
		ids[i] = r.ID
	}
	if err := s.fillReportExtras(ctx, out); err != nil {
		return nil, 0, err
	}
	if err := s.Audit(ctx, actor, "report.read", "incident_report", 0, 0, map[string]any{"ids": ids}); err != nil {
		return nil, 0, err
	}
	return out, next, nil
}

// mayReadIntake refuses actors who may not see reporters' personal data:
// a role without the permission, or a scope limited to organisations or
// by TLP (reports are not labelled, so only unlimited scopes read them).
func mayReadIntake(actor auth.Actor) error {
	if err := mayDo(actor, auth.ReadReports); err != nil {
		return err
	}
	if !actor.Scope.Unlimited() {
		return errs.E(errs.Forbidden, "only CERT staff read incoming reports")
	}
	return nil
}

// GetIntake returns one report (audited like a list).
func (s *Store) GetIntake(ctx context.Context, actor auth.Actor, id int64) (*incident.Report, error) {
	if err := mayReadIntake(actor); err != nil {
		return nil, err
	}
	r, err := scanIntake(s.db.QueryRowContext(ctx, `SELECT `+intakeColumns+intakeFrom+` WHERE r.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.E(errs.NotFound, "report %d not found", id)
	}
	if err != nil {
		return nil, fmt.Errorf("storage: get report %d: %w", id, err)
	}
	if r.Files, err = s.reportFiles(ctx, id); err != nil {
		return nil, err
	}
	if r.Extra, err = s.reportObservables(ctx, s.db, id); err != nil {
		return nil, err
	}
	if err := s.Audit(ctx, actor, "report.read", "incident_report", id, 0, nil); err != nil {
		return nil, err
	}
	return &r, nil
}

// Triage is the decision on a report: exactly one of open a new incident
// (New, whose empty fields are filled from the report), link it to an
// existing one (IncidentID), or reject it (Reject, the reason).
type Triage struct {
	New        *incident.Incident
	IncidentID int64
	Reject     string
}

// TriageIntake applies the decision: the report's URL and phone number
// become observables of the incident (new or existing) and the journal
// says where they came from, all in one transaction.
func (s *Store) TriageIntake(ctx context.Context, actor auth.Actor, rules incident.Rules, id int64, t Triage) (*incident.Report, error) {
	if err := mayDo(actor, auth.TriageReports); err != nil {
		return nil, err
	}
	n := 0
	for _, set := range []bool{t.New != nil, t.IncidentID != 0, strings.TrimSpace(t.Reject) != ""} {
		if set {
			n++
		}
	}
	if n != 1 {
		return nil, errs.E(errs.Invalid, "decide one thing: open a new incident, link to an existing one (incident_id), or reject with a reason")
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		r, err := scanIntake(tx.QueryRowContext(ctx, `SELECT `+intakeColumns+intakeFrom+` WHERE r.id = $1`+s.dialect.forUpdate("r"), id))
		if errors.Is(err, sql.ErrNoRows) {
			return errs.E(errs.NotFound, "report %d not found", id)
		}
		if err != nil {
			return fmt.Errorf("storage: triage report %d: %w", id, err)
		}
		if r.Status != incident.ReportNew {
			return errs.E(errs.Conflict, "report %d was already triaged (%s)", id, r.Status)
		}
		if r.Extra, err = s.reportObservables(ctx, tx, r.ID); err != nil {
			return err
		}
		now := s.Now().UTC()
		status, incID, reason := incident.ReportAccepted, int64(0), ""
		switch {
		case t.Reject != "":
			status, reason = incident.ReportRejected, strings.TrimSpace(t.Reject)
		case t.New != nil:
			in := *t.New
			if in.Title == "" {
				in.Title = r.Title()
			}
			if in.Description == "" {
				in.Description = r.Description
			}
			if in.Type == "" {
				in.Classification = incident.ClassOf(r.Category)
			}
			if in.Category == "" {
				in.Category = r.Category
			}
			if len(in.OrgIDs) == 0 && r.OrgID != 0 {
				in.OrgIDs = []int64{r.OrgID}
			}
			created, err := s.createIncident(ctx, tx, actor, rules, NewIncident{Incident: in, Observables: r.Observables(), Channel: r.Channel, ReportedAt: r.ReceivedAt})
			if err != nil {
				return err
			}
			incID = created.ID
			if err := s.insertJournal(ctx, tx, incID, []incident.Entry{{At: now, Actor: actorName(actor), Kind: incident.EntryReport,
				Text: fmt.Sprintf("opened from report %d (%s, %s, %s)", r.ID, r.Category, r.ReporterType, r.Channel)}}); err != nil {
				return err
			}
		default:
			incID = t.IncidentID
			if err := s.incidentVisible(ctx, tx, actor.Scope, incID); err != nil {
				return errs.InField("incident_id", err)
			}
			var added []string
			for _, o := range r.Observables() {
				o.IncidentID = incID
				if err := o.Normalize(rules.Region); err != nil {
					return err
				}
				ok, err := s.insertObservable(ctx, tx, &o, actorName(actor), now)
				if err != nil {
					return err
				}
				if ok {
					added = append(added, string(o.Kind)+" "+o.Value)
				}
			}
			text := fmt.Sprintf("report %d (%s, %s, %s) linked", r.ID, r.Category, r.ReporterType, r.Channel)
			if len(added) > 0 {
				text += "; added " + strings.Join(added, ", ")
			}
			if err := s.insertJournal(ctx, tx, incID, []incident.Entry{{At: now, Actor: actorName(actor), Kind: incident.EntryReport, Text: text}}); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE incident_reports SET status = $1, incident_id = $2, reject_reason = $3, triaged_at = $4, triaged_by = $5 WHERE id = $6`,
			string(status), nullID(incID), reason, now, actorName(actor), id); err != nil {
			return fmt.Errorf("storage: triage report %d: %w", id, err)
		}
		if err := s.mailReportStatus(ctx, tx, 0, id); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "report.triage", "incident_report", id, 0, map[string]any{"status": r.Status},
			map[string]any{"status": status, "incident_id": incID, "reason": reason})
	})
	if err != nil {
		return nil, err
	}
	return s.getIntakeNoAudit(ctx, id)
}

func (s *Store) getIntakeNoAudit(ctx context.Context, id int64) (*incident.Report, error) {
	r, err := scanIntake(s.db.QueryRowContext(ctx, `SELECT `+intakeColumns+intakeFrom+` WHERE r.id = $1`, id))
	if err != nil {
		return nil, fmt.Errorf("storage: get report %d: %w", id, err)
	}
	return &r, nil
}
