package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/errs"
	"github.com/qalxan/qalxan/internal/incident"
)

const taskColumns = `id, incident_id, title, status, assignee, due_at, playbook, position, created_at, done_at`

func scanTask(row interface{ Scan(...any) error }) (incident.Task, error) {
	var t incident.Task
	var status string
	var due, done sql.NullTime
	if err := row.Scan(&t.ID, &t.IncidentID, &t.Title, &status, &t.Assignee, &due, &t.Playbook, &t.Position, &t.CreatedAt, &done); err != nil {
		return t, err
	}
	t.Status, t.CreatedAt = incident.TaskStatus(status), t.CreatedAt.UTC()
	if due.Valid {
		t.DueAt = due.Time.UTC()
	}
	if done.Valid {
		t.DoneAt = done.Time.UTC()
	}
	return t, nil
}

func (s *Store) insertTask(ctx context.Context, tx *sql.Tx, t *incident.Task, now time.Time) error {
	if t.Position == 0 {
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(position), 0) + 1 FROM incident_tasks WHERE incident_id = $1`, t.IncidentID).Scan(&t.Position); err != nil {
			return fmt.Errorf("storage: incident %d tasks: %w", t.IncidentID, err)
		}
	}
	t.CreatedAt = now
	if err := tx.QueryRowContext(ctx, `INSERT INTO incident_tasks (incident_id, title, status, assignee, due_at, playbook, position, created_at, done_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`, t.IncidentID, t.Title, string(t.Status), t.Assignee, nullTime(t.DueAt),
		t.Playbook, t.Position, now, nullTime(t.DoneAt)).Scan(&t.ID); err != nil {
		return fmt.Errorf("storage: incident %d tasks: %w", t.IncidentID, err)
	}
	return nil
}

// IncidentTasks lists the tasks of an incident sc may see, in order.
func (s *Store) IncidentTasks(ctx context.Context, sc auth.Scope, id int64) ([]incident.Task, error) {
	if err := s.incidentVisible(ctx, s.db, sc, id); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+taskColumns+` FROM incident_tasks WHERE incident_id = $1 ORDER BY position, id`, id)
	if err != nil {
		return nil, fmt.Errorf("storage: incident %d tasks: %w", id, err)
	}
	defer rows.Close()
	var out []incident.Task
	for rows.Next() {
		t, err := scanTask(rows)
		if err != nil {
			return nil, fmt.Errorf("storage: incident %d tasks: %w", id, err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// AddIncidentTask adds a task to an incident, or, when playbook is not
// "", every step of that playbook; it returns the tasks added.
func (s *Store) AddIncidentTask(ctx context.Context, actor auth.Actor, rules incident.Rules, id int64, t incident.Task) ([]incident.Task, error) {
	if err := mayDo(actor, auth.WriteIncidents); err != nil {
		return nil, err
	}
	var tasks []incident.Task
	if t.Playbook != "" {
		for _, pb := range rules.Playbooks {
			if pb.Name == t.Playbook {
				tasks = pb.Tasks(s.Now().UTC())
			}
		}
		if tasks == nil {
			return nil, errs.Field("playbook", "no playbook %q", t.Playbook)
		}
	} else {
		if err := t.Normalize(); err != nil {
			return nil, err
		}
		t.Position, t.DoneAt = 0, time.Time{}
		tasks = []incident.Task{t}
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if err := s.incidentVisible(ctx, tx, actor.Scope, id); err != nil {
			return err
		}
		now := s.Now().UTC()
		var pos int
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(position), 0) FROM incident_tasks WHERE incident_id = $1`, id).Scan(&pos); err != nil {
			return fmt.Errorf("storage: incident %d tasks: %w", id, err)
		}
		var titles []string
		for i := range tasks {
			if err := s.checkAssignee(ctx, tx, tasks[i].Assignee); err != nil {
				return err
			}
			tasks[i].IncidentID, tasks[i].Position = id, pos+i+1
			if err := s.insertTask(ctx, tx, &tasks[i], now); err != nil {
				return err
			}
			titles = append(titles, tasks[i].Title)
		}
		text := "task added: " + titles[0]
		if len(tasks) > 1 {
			text = fmt.Sprintf("%d tasks from the %s playbook", len(tasks), t.Playbook)
		}
		if err := s.insertJournal(ctx, tx, id, []incident.Entry{{At: now, Actor: actorName(actor), Kind: incident.EntryTask, Text: text}}); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "incident.task_add", "incident", id, 0, nil, map[string]any{"tasks": titles})
	})
	return tasks, err
}

// TaskChange changes a task; nil fields stay.
type TaskChange struct {
	Status   *incident.TaskStatus
	Assignee *string
	DueAt    *time.Time
}

// UpdateIncidentTask changes a task of an incident in the actor's scope.
func (s *Store) UpdateIncidentTask(ctx context.Context, actor auth.Actor, taskID int64, c TaskChange) (incident.Task, error) {
	if err := mayDo(actor, auth.WriteIncidents); err != nil {
		return incident.Task{}, err
	}
	var t incident.Task
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		t, err = scanTask(tx.QueryRowContext(ctx, `SELECT `+taskColumns+` FROM incident_tasks WHERE id = $1`, taskID))
		if errors.Is(err, sql.ErrNoRows) {
			return errs.E(errs.NotFound, "task %d not found", taskID)
		}
		if err != nil {
			return fmt.Errorf("storage: task %d: %w", taskID, err)
		}
		if err := s.incidentVisible(ctx, tx, actor.Scope, t.IncidentID); err != nil {
			return errs.E(errs.NotFound, "task %d not found", taskID)
		}
		before := t
		now := s.Now().UTC()
		var what []string
		if c.Status != nil && *c.Status != t.Status {
			if _, err := incident.ParseTaskStatus(string(*c.Status)); err != nil {
				return err
			}
			t.Status = *c.Status
			t.DoneAt = time.Time{}
			if t.Status == incident.TaskDone {
				t.DoneAt = now
			}
			what = append(what, string(t.Status))
		}
		if c.Assignee != nil && strings.TrimSpace(*c.Assignee) != t.Assignee {
			t.Assignee = strings.TrimSpace(*c.Assignee)
			if err := s.checkAssignee(ctx, tx, t.Assignee); err != nil {
				return err
			}
			what = append(what, "assigned to "+orNobody(t.Assignee))
		}
		if c.DueAt != nil && !c.DueAt.Equal(t.DueAt) {
			t.DueAt = c.DueAt.UTC()
			what = append(what, "due "+t.DueAt.Format(time.DateOnly))
		}
		if len(what) == 0 {
			return errs.E(errs.Invalid, "nothing to change")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE incident_tasks SET status = $1, assignee = $2, due_at = $3, done_at = $4 WHERE id = $5`,
			string(t.Status), t.Assignee, nullTime(t.DueAt), nullTime(t.DoneAt), t.ID); err != nil {
			return fmt.Errorf("storage: task %d: %w", taskID, err)
		}
		if err := s.insertJournal(ctx, tx, t.IncidentID, []incident.Entry{{At: now, Actor: actorName(actor), Kind: incident.EntryTask,
			Text: fmt.Sprintf("task %q: %s", t.Title, strings.Join(what, ", "))}}); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "incident.task_update", "incident_task", t.ID, 0,
			map[string]any{"status": before.Status, "assignee": before.Assignee}, map[string]any{"status": t.Status, "assignee": t.Assignee})
	})
	return t, err
}
