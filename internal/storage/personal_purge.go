package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/errs"
	"github.com/qalxan/qalxan/internal/incident"
)

// Purged replaces a text erased by the retention purge.
const Purged = "[purged]"

// PurgeResult is what a purge of personal data erased (or, in a dry run,
// would erase).
type PurgeResult struct {
	Cutoff         time.Time `json:"cutoff"`          // closed (reports: received) before this
	Incidents      []int64   `json:"incidents"`       // whose personal data went, each with a journal line
	Descriptions   int       `json:"descriptions"`    // of personal-data offences
	Observables    int       `json:"observables"`     // personal observables of personal-data offences, deleted
	JournalEntries int       `json:"journal_entries"` // notes, observable, report and e-mail entries of personal-data offences
	Reports        int       `json:"reports"`         // reports whose reporter and words went
	DryRun         bool      `json:"dry_run"`
}

// errDryRun rolls a dry run's transaction back.
var errDryRun = errors.New("dry run")

// PurgePersonalData erases, in one transaction, the personal data kept
// longer than retention (config incidents.personal_data_retention):
//
//   - of incidents closed, rejected or marked duplicate before now less
//     retention (closed_at, else their last change): the reporter's name,
//     e-mail address and words of every report triaged into them; and, of
//     the personal-data offences among them (incident.Incident.PersonalData),
//     the description, the personal observables (incident.Kind.Personal)
//     and the text of the journal entries that may quote them;
//   - of reports received before then that no incident carries (rejected,
//     or whose incident is gone): the same reporter fields and words.
//
// What statistics count stays: classification, channel, severity, dates,
// the incidents themselves. Each incident purged gets a journal line
// saying so, and the whole purge one audit record. It touches only what
// is still there, so running it again purges nothing.
func (s *Store) PurgePersonalData(ctx context.Context, actor auth.Actor, retention time.Duration, dryRun bool) (PurgeResult, error) {
	if retention <= 0 {
		return PurgeResult{}, errs.Field("retention", "the retention period must be positive")
	}
	var res PurgeResult
	err := s.tx(ctx, func(tx *sql.Tx) error {
		res = PurgeResult{Cutoff: s.Now().UTC().Add(-retention), DryRun: dryRun}
		touched := map[int64][]string{}
		note := func(id int64, what string) { touched[id] = append(touched[id], what) }
		// Incidents closed (rejected, duplicated) before the cutoff, and
		// the personal-data offences among them.
		oldCases := func(a *args) string {
			return `i.status IN ('closed', 'rejected', 'duplicate') AND COALESCE(i.closed_at, i.updated_at) < ` + a.add(res.Cutoff)
		}
		var a args
		personal := oldCases(&a) + ` AND NOT (` + personalCaseExcluded + `)`

		rows, err := tx.QueryContext(ctx, `UPDATE incidents SET description = '' WHERE description <> '' AND id IN (SELECT i.id FROM incidents i WHERE `+
			personal+`) RETURNING id, id`, a...)
		if err := eachID(rows, err, func(id, _ int64) { res.Descriptions++; note(id, "description") }); err != nil {
			return fmt.Errorf("storage: purge descriptions: %w", err)
		}
		var kinds []string
		for _, k := range incident.Kinds {
			if k.Personal() {
				kinds = append(kinds, "'"+string(k)+"'")
			}
		}
		rows, err = tx.QueryContext(ctx, `DELETE FROM incident_observables WHERE kind IN (`+strings.Join(kinds, ", ")+`)
			AND incident_id IN (SELECT i.id FROM incidents i WHERE `+personal+`) RETURNING incident_id, id`, a...)
		if err := eachID(rows, err, func(id, _ int64) { res.Observables++; note(id, "observable") }); err != nil {
			return fmt.Errorf("storage: purge observables: %w", err)
		}
		rows, err = tx.QueryContext(ctx, `UPDATE incident_journal SET text = '`+Purged+`' WHERE kind IN ('note', 'observable', 'report', 'email')
			AND text <> '`+Purged+`' AND incident_id IN (SELECT i.id FROM incidents i WHERE `+personal+`) RETURNING incident_id, id`, a...)
		if err := eachID(rows, err, func(id, _ int64) { res.JournalEntries++; note(id, "journal entry") }); err != nil {
			return fmt.Errorf("storage: purge journal: %w", err)
		}
		var b args
		inOld := oldCases(&b)
		rows, err = tx.QueryContext(ctx, `UPDATE incident_reports SET reporter_name = '', reporter_email = '', description = '`+Purged+`'
			WHERE (reporter_name <> '' OR reporter_email <> '' OR description <> '`+Purged+`') AND (
				(incident_id IN (SELECT i.id FROM incidents i WHERE `+inOld+`))
				OR (incident_id IS NULL AND status <> 'new' AND received_at < `+b.add(res.Cutoff)+`))
			RETURNING COALESCE(incident_id, 0), id`, b...)
		var reportIDs []int64
		if err := eachID(rows, err, func(id, rid int64) {
			res.Reports++
			reportIDs = append(reportIDs, rid)
			if id != 0 {
				note(id, "report")
			}
		}); err != nil {
			return fmt.Errorf("storage: purge reports: %w", err)
		}
		if err := s.purgeIntakeExtras(ctx, tx, reportIDs); err != nil {
			return err
		}
		now := s.Now().UTC()
		for id, what := range touched {
			res.Incidents = append(res.Incidents, id)
			if err := s.insertJournal(ctx, tx, id, []incident.Entry{{At: now, Actor: actorName(actor), Kind: incident.EntryEdit,
				Text: fmt.Sprintf("personal data purged after the retention period (%s): %s", retentionText(retention), countWords(what))}}); err != nil {
				return err
			}
		}
		slices.Sort(res.Incidents)
		if dryRun {
			return errDryRun
		}
		if len(res.Incidents) == 0 && res.Reports == 0 {
			return nil
		}
		return s.audit(ctx, tx, actor, "incident.personal_purge", "incident", 0, 0, nil, res)
	})
	if errors.Is(err, errDryRun) {
		err = nil
	}
	return res, err
}

// eachID reads rows of two ids (the incident, the row).
func eachID(rows *sql.Rows, err error, fn func(a, b int64)) error {
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var a, b int64
		if err := rows.Scan(&a, &b); err != nil {
			return err
		}
		fn(a, b)
	}
	return rows.Err()
}

// retentionText is a retention period in days.
func retentionText(d time.Duration) string {
	if d%(24*time.Hour) == 0 {
		return fmt.Sprintf("%d days", d/(24*time.Hour))
	}
	return d.String()
}

// countWords is "description, 2 observables, 1 report".
func countWords(what []string) string {
	n := map[string]int{}
	var order []string
	for _, w := range what {
		if n[w] == 0 {
			order = append(order, w)
		}
		n[w]++
	}
	var out []string
	for _, w := range order {
		if n[w] == 1 {
			out = append(out, w)
		} else {
			out = append(out, fmt.Sprintf("%d %ss", n[w], strings.Replace(w, "entry", "entrie", 1)))
		}
	}
	return strings.Join(out, ", ")
}
