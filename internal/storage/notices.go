package storage

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/constituency"
	"github.com/qalxan/qalxan/internal/finding"
	"github.com/qalxan/qalxan/internal/notify"
	"github.com/qalxan/qalxan/internal/tlp"
)

// noticeActive are the finding statuses notices list (finding.Status.Active).
var noticeActive = []finding.Status{finding.Open, finding.Notified, finding.Acknowledged, finding.Reopened}

// inStatuses is "col IN ($1, $2...)" for the statuses.
func inStatuses(a *args, col string, ss ...finding.Status) string {
	ph := make([]string, len(ss))
	for i, s := range ss {
		ph[i] = a.add(string(s))
	}
	return col + " IN (" + strings.Join(ph, ", ") + ")"
}

// noticeCond is the condition on findings f that makes an organisation
// due a notice of kind (trigger) or that a notice of kind lists.
func noticeCond(kind notify.Kind, trigger bool, now time.Time, a *args) string {
	switch {
	case kind == notify.Escalation:
		// Overdue and not escalated before: each finding is escalated once.
		return inStatuses(a, "f.status", noticeActive...) + ` AND f.due_at IS NOT NULL AND f.due_at < ` + a.add(now) + `
			AND NOT EXISTS (SELECT 1 FROM notice_findings nf JOIN notices n ON n.id = nf.notice_id
				WHERE nf.finding_id = f.id AND n.kind = ` + a.add(string(notify.Escalation)) + `)`
	case !trigger:
		return inStatuses(a, "f.status", noticeActive...)
	case kind == notify.Immediate:
		return inStatuses(a, "f.status", finding.Open, finding.Reopened) + ` AND f.severity = ` + a.add(finding.Critical.String())
	default:
		return inStatuses(a, "f.status", finding.Open, finding.Reopened)
	}
}

// NoticeBatches returns, per organisation due a notice of kind at now,
// the organisation, its contacts and the findings to list: for immediate
// notices the organisations with new critical findings, for digests those
// with any new finding (each listing all its still-open findings), for
// escalations the overdue findings not escalated before. Ordered by
// short name.
func (s *Store) NoticeBatches(ctx context.Context, kind notify.Kind, now time.Time) ([]notify.Batch, error) {
	// Each query builds its own arguments: PostgreSQL refuses unused ones.
	due := func(a *args) string {
		return `SELECT f.org_id FROM findings f WHERE ` + noticeCond(kind, true, now, a)
	}
	var batches []notify.Batch
	index := map[int64]int{}
	var a args
	rows, err := s.db.QueryContext(ctx, `SELECT `+orgColumns+` FROM orgs o LEFT JOIN orgs p ON p.id = o.parent_id
		WHERE o.id IN (`+due(&a)+`) ORDER BY o.short_name`, a...)
	if err != nil {
		return nil, fmt.Errorf("storage: notice batches: %w", err)
	}
	for rows.Next() {
		var o constituency.Org
		if err := scanOrg(rows, &o); err != nil {
			rows.Close()
			return nil, fmt.Errorf("storage: notice batches: %w", err)
		}
		index[o.ID] = len(batches)
		batches = append(batches, notify.Batch{Org: o})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("storage: notice batches: %w", err)
	}
	if len(batches) == 0 {
		return nil, nil
	}
	a = nil
	cs, err := s.queryContacts(ctx, s.db, `SELECT `+contactColumns+` FROM contacts WHERE org_id IN (`+due(&a)+`) ORDER BY org_id, email`, a...)
	if err != nil {
		return nil, err
	}
	for _, c := range cs {
		if i, ok := index[c.OrgID]; ok {
			batches[i].Contacts = append(batches[i].Contacts, c)
		}
	}
	a = nil
	orgs := due(&a) // its alias f shadows the outer one
	listed := noticeCond(kind, false, now, &a)
	rows, err = s.db.QueryContext(ctx, `SELECT `+noticeFindingColumns+` FROM findings f
		WHERE f.org_id IN (`+orgs+`) AND `+listed+` ORDER BY f.org_id, f.severity_rank DESC, f.id`, a...)
	if err != nil {
		return nil, fmt.Errorf("storage: notice findings: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		f, err := scanNoticeFinding(rows)
		if err != nil {
			return nil, fmt.Errorf("storage: notice findings: %w", err)
		}
		if i, ok := index[f.OrgID]; ok {
			batches[i].Findings = append(batches[i].Findings, f)
		}
	}
	return batches, rows.Err()
}

const noticeFindingColumns = `f.id, f.org_id, f.resource, f.identifier, f.taxonomy, f.type, f.source, f.severity, f.status,
	f.first_seen, f.last_seen, f.seen_count, f.due_at, f.notified_at`

func scanNoticeFinding(sc interface{ Scan(...any) error }) (finding.Finding, error) {
	var f finding.Finding
	var sev, status string
	var due, notified sql.NullTime
	if err := sc.Scan(&f.ID, &f.OrgID, &f.Resource, &f.Identifier, &f.Taxonomy, &f.Type, &f.Source, &sev, &status,
		&f.FirstSeen, &f.LastSeen, &f.Count, &due, &notified); err != nil {
		return f, err
	}
	f.Severity, _ = finding.ParseSeverity(sev)
	f.Status = finding.Status(status)
	f.FirstSeen, f.LastSeen = f.FirstSeen.UTC(), f.LastSeen.UTC()
	if due.Valid {
		f.DueAt = due.Time.UTC()
	}
	if notified.Valid {
		f.NotifiedAt = notified.Time.UTC()
	}
	return f, nil
}

// QueueNotice stores n as queued, due now, with its findings, and moves
// those of its findings that are open or reopened to notified (with a
// history row by "notify"), all in one transaction. render fills the
// subject and bodies once the reference is known. It returns false, and
// stores nothing, when an immediate or digest notice has no finding left
// to notify: another run queued them first.
func (s *Store) QueueNotice(ctx context.Context, n *notify.Notice, render func(*notify.Notice) error) (bool, error) {
	now := s.Now()
	queued := false
	err := s.tx(ctx, func(tx *sql.Tx) error {
		queued = false
		b := make([]byte, 8)
		rand.Read(b)
		err := tx.QueryRowContext(ctx, `INSERT INTO notices (org_id, reference, kind, status, attempts, next_attempt_at, recipients, subject,
			language, tlp, body_text, body_html, highest_severity, findings_count, created_at)
			VALUES ($1, $2, $3, $4, 0, $5, $6, '', $7, $8, '', '', $9, $10, $5) RETURNING id`,
			n.OrgID, "pending-"+hex.EncodeToString(b), string(n.Kind), string(notify.Queued), now, strings.Join(n.To, ", "),
			string(n.Language), string(n.TLP), n.HighestSeverity.String(), len(n.FindingIDs)).Scan(&n.ID)
		if err != nil {
			return fmt.Errorf("storage: queue notice for org %d: %w", n.OrgID, err)
		}
		n.Reference, n.Status, n.CreatedAt, n.NextAttemptAt, n.FindingsCount = notify.Reference(now.Year(), n.ID), notify.Queued, now, now, len(n.FindingIDs)
		if err := render(n); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE notices SET reference = $1, subject = $2, body_text = $3, body_html = $4 WHERE id = $5`,
			n.Reference, n.Subject, n.Text, n.HTML, n.ID); err != nil {
			return fmt.Errorf("storage: queue notice %s: %w", n.Reference, err)
		}
		for start := 0; start < len(n.FindingIDs); start += 400 {
			part := n.FindingIDs[start:min(start+400, len(n.FindingIDs))]
			var a args
			vals := make([]string, len(part))
			nid := a.add(n.ID)
			for i, id := range part {
				vals[i] = "(" + nid + ", " + a.add(id) + ")"
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO notice_findings (notice_id, finding_id) VALUES `+strings.Join(vals, ", "), a...); err != nil {
				return fmt.Errorf("storage: queue notice %s: findings: %w", n.Reference, err)
			}
		}
		moved := 0
		for _, from := range []finding.Status{finding.Open, finding.Reopened} {
			k, err := s.markNotified(ctx, tx, n, from, now)
			if err != nil {
				return err
			}
			moved += k
		}
		if moved == 0 && n.Kind != notify.Escalation {
			return errNothingToNotify
		}
		queued = true
		return nil
	})
	if err == errNothingToNotify {
		return false, nil
	}
	return queued, err
}

var errNothingToNotify = fmt.Errorf("storage: nothing left to notify")

// markNotified moves the notice's findings in status from to notified and
// records each change.
func (s *Store) markNotified(ctx context.Context, tx *sql.Tx, n *notify.Notice, from finding.Status, now time.Time) (int, error) {
	rows, err := tx.QueryContext(ctx, `UPDATE findings SET status = $1, notified_at = $2, updated_at = $2
		WHERE status = $3 AND org_id = $5 AND id IN (SELECT finding_id FROM notice_findings WHERE notice_id = $4) RETURNING id`,
		string(finding.Notified), now, string(from), n.ID, n.OrgID)
	if err != nil {
		return 0, fmt.Errorf("storage: notice %s: mark findings notified: %w", n.Reference, err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return 0, fmt.Errorf("storage: notice %s: mark findings notified: %w", n.Reference, err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("storage: notice %s: mark findings notified: %w", n.Reference, err)
	}
	reason := "notice " + n.Reference
	for start := 0; start < len(ids); start += 150 {
		part := ids[start:min(start+150, len(ids))]
		var a args
		at, actor, fromS, to, why := a.add(now), a.add("notify"), a.add(string(from)), a.add(string(finding.Notified)), a.add(reason)
		vals := make([]string, len(part))
		for i, id := range part {
			vals[i] = "(" + a.add(id) + ", " + at + ", " + actor + ", " + fromS + ", " + to + ", " + why + ")"
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO finding_history (finding_id, at, actor, from_status, to_status, reason) VALUES `+
			strings.Join(vals, ", "), a...); err != nil {
			return 0, fmt.Errorf("storage: notice %s: finding history: %w", n.Reference, err)
		}
	}
	return len(ids), nil
}

const noticeColumns = `id, org_id, reference, kind, status, attempts, next_attempt_at, last_error, recipients, subject,
	language, tlp, highest_severity, findings_count, created_at, sent_at, message_id`

func scanNotice(sc interface{ Scan(...any) error }, withBody bool) (notify.Notice, error) {
	var n notify.Notice
	var kind, status, rcpt, lang, label, sev string
	var sent sql.NullTime
	dst := []any{&n.ID, &n.OrgID, &n.Reference, &kind, &status, &n.Attempts, &n.NextAttemptAt, &n.LastError, &rcpt, &n.Subject,
		&lang, &label, &sev, &n.FindingsCount, &n.CreatedAt, &sent, &n.MessageID}
	if withBody {
		dst = append(dst, &n.Text, &n.HTML)
	}
	if err := sc.Scan(dst...); err != nil {
		return n, err
	}
	n.Kind, n.Status, n.Language, n.TLP = notify.Kind(kind), notify.Status(status), constituency.Language(lang), tlp.Label(label)
	n.HighestSeverity, _ = finding.ParseSeverity(sev)
	for _, r := range strings.Split(rcpt, ",") {
		if r = strings.TrimSpace(r); r != "" {
			n.To = append(n.To, r)
		}
	}
	n.NextAttemptAt, n.CreatedAt = n.NextAttemptAt.UTC(), n.CreatedAt.UTC()
	if sent.Valid {
		n.SentAt = sent.Time.UTC()
	}
	return n, nil
}

// ClaimNotices implements notify.Queue: one UPDATE takes the due notices
// (queued and due, or sending with an ended lease: a worker that crashed
// mid-send) and leases them until now+lease, so no two workers hold one.
func (s *Store) ClaimNotices(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]notify.Notice, error) {
	var out []notify.Notice
	err := s.leaseDue(ctx, "notices", "notices", noticeColumns+", body_text, body_html", now, lease, limit, func(rows *sql.Rows) error {
		n, err := scanNotice(rows, true)
		if err != nil {
			return err
		}
		out = append(out, n)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out, s.fillOrgNames(ctx, out)
}

// fillOrgNames sets the short names of the notices' organisations.
func (s *Store) fillOrgNames(ctx context.Context, ns []notify.Notice) error {
	var a args
	seen := map[int64]bool{}
	var ph []string
	for _, n := range ns {
		if !seen[n.OrgID] {
			seen[n.OrgID] = true
			ph = append(ph, a.add(n.OrgID))
		}
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, short_name FROM orgs WHERE id IN (`+strings.Join(ph, ", ")+`)`, a...)
	if err != nil {
		return fmt.Errorf("storage: notice orgs: %w", err)
	}
	defer rows.Close()
	names := map[int64]string{}
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return fmt.Errorf("storage: notice orgs: %w", err)
		}
		names[id] = name
	}
	for i := range ns {
		ns[i].Org = names[ns[i].OrgID]
	}
	return rows.Err()
}

// MarkNoticeSent implements notify.Queue.
func (s *Store) MarkNoticeSent(ctx context.Context, id int64, messageID string, at time.Time) error {
	if _, err := s.db.ExecContext(ctx, `UPDATE notices SET status = 'sent', sent_at = $1, message_id = $2, last_error = '' WHERE id = $3`,
		at, messageID, id); err != nil {
		return fmt.Errorf("storage: mark notice %d sent: %w", id, err)
	}
	return nil
}

// RetryNotice implements notify.Queue: back to queued until next, or
// failed for good when next is zero.
func (s *Store) RetryNotice(ctx context.Context, id int64, lastError string, next time.Time) error {
	status, at := notify.Queued, next
	if next.IsZero() {
		status, at = notify.Failed, s.Now()
	}
	if len(lastError) > 2000 {
		lastError = lastError[:2000]
	}
	if _, err := s.db.ExecContext(ctx, `UPDATE notices SET status = $1, next_attempt_at = $2, last_error = $3 WHERE id = $4`,
		string(status), at, lastError, id); err != nil {
		return fmt.Errorf("storage: retry notice %d: %w", id, err)
	}
	return nil
}

// NoticeCSVColumns are the columns of the CSV attached to a notice: the
// finding, then the IntelMQ fields of each event behind it.
var NoticeCSVColumns = []string{"finding_id", "finding", "resource", "time.source", "time.observation", "source.ip", "source.port",
	"source.fqdn", "source.url", "source.asn", "source.as_name", "classification.taxonomy", "classification.type",
	"classification.identifier", "malware.name", "protocol.transport", "protocol.application", "feed.name", "feed.provider"}

// WriteNoticeCSV implements notify.Queue: the events behind the notice's
// findings (notice_findings ⨝ finding_events ⨝ events), streamed row by
// row, most severe finding first.
func (s *Store) WriteNoticeCSV(ctx context.Context, noticeID int64, w io.Writer) error {
	rows, err := s.db.QueryContext(ctx, `SELECT f.id, f.identifier, f.resource, e.time_observation, e.data
		FROM notice_findings nf JOIN findings f ON f.id = nf.finding_id
		JOIN finding_events fe ON fe.finding_id = nf.finding_id JOIN events e ON e.id = fe.event_id
		WHERE nf.notice_id = $1 ORDER BY f.severity_rank DESC, f.id, e.id`, noticeID)
	if err != nil {
		return fmt.Errorf("storage: notice %d events: %w", noticeID, err)
	}
	defer rows.Close()
	cw := csv.NewWriter(w)
	if err := cw.Write(NoticeCSVColumns); err != nil {
		return err
	}
	rec := make([]string, len(NoticeCSVColumns))
	for rows.Next() {
		var fid int64
		var ident, res, data string
		var observed time.Time
		if err := rows.Scan(&fid, &ident, &res, &observed, &data); err != nil {
			return fmt.Errorf("storage: notice %d events: %w", noticeID, err)
		}
		var ev map[string]any
		if err := json.Unmarshal([]byte(data), &ev); err != nil {
			return fmt.Errorf("storage: notice %d events: %w", noticeID, err)
		}
		rec[0], rec[1], rec[2] = strconv.FormatInt(fid, 10), ident, res
		for i, k := range NoticeCSVColumns[3:] {
			rec[i+3] = csvValue(ev[k])
		}
		if rec[4] == "" {
			rec[4] = observed.UTC().Format(time.RFC3339)
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("storage: notice %d events: %w", noticeID, err)
	}
	cw.Flush()
	return cw.Error()
}

func csvValue(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	default:
		b, _ := json.Marshal(x)
		return string(b)
	}
}

// NoticeFilter selects notices; zero fields do not filter.
type NoticeFilter struct {
	Statuses []notify.Status
	OrgID    int64
	BeforeID int64 // cursor: the id of the last row of the previous page
	Limit    int   // default 100, at most 1000
}

// ListNotices returns the notices in scope matching f, newest first.
func (s *Store) ListNotices(ctx context.Context, sc auth.Scope, f NoticeFilter) ([]notify.Notice, error) {
	var a args
	q := `SELECT ` + prefixed("n.", noticeColumns) + `, o.short_name FROM notices n JOIN orgs o ON o.id = n.org_id
		WHERE ` + scopeCond(sc, &a, "o.id", "o.tlp_rank")
	if len(f.Statuses) > 0 {
		ph := make([]string, len(f.Statuses))
		for i, st := range f.Statuses {
			ph[i] = a.add(string(st))
		}
		q += ` AND n.status IN (` + strings.Join(ph, ", ") + `)`
	}
	if f.OrgID != 0 {
		q += ` AND n.org_id = ` + a.add(f.OrgID)
	}
	if f.BeforeID > 0 {
		q += ` AND n.id < ` + a.add(f.BeforeID)
	}
	q += ` ORDER BY n.id DESC LIMIT ` + a.add(pageLimit(f.Limit))
	rows, err := s.db.QueryContext(ctx, q, a...)
	if err != nil {
		return nil, fmt.Errorf("storage: list notices: %w", err)
	}
	defer rows.Close()
	var out []notify.Notice
	for rows.Next() {
		var org string
		n, err := scanNotice(scanAppend{rows, &org}, false)
		if err != nil {
			return nil, fmt.Errorf("storage: list notices: %w", err)
		}
		n.Org = org
		out = append(out, n)
	}
	return out, rows.Err()
}

// scanAppend scans into the destinations given and then extra.
type scanAppend struct {
	sc    interface{ Scan(...any) error }
	extra any
}

func (s scanAppend) Scan(dst ...any) error { return s.sc.Scan(append(dst, s.extra)...) }

// prefixed qualifies each column of a comma-separated list with p.
func prefixed(p, cols string) string {
	fs := strings.Split(cols, ",")
	for i, c := range fs {
		fs[i] = p + strings.TrimSpace(c)
	}
	return strings.Join(fs, ", ")
}
