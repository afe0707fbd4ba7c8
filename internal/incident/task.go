package incident

import (
	"embed"
	"path"
	"strings"
	"time"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/qalxan/qalxan/internal/errs"
)

// TaskStatus is where a task stands.
type TaskStatus string

const (
	TaskOpen      TaskStatus = "open"
	TaskDoing     TaskStatus = "in_progress"
	TaskDone      TaskStatus = "done"
	TaskCancelled TaskStatus = "cancelled" // not needed for this case, with a reason
)

// TaskStatuses lists them.
var TaskStatuses = []TaskStatus{TaskOpen, TaskDoing, TaskDone, TaskCancelled}

// ParseTaskStatus reads a task status name.
func ParseTaskStatus(s string) (TaskStatus, error) {
	t := TaskStatus(strings.ToLower(strings.TrimSpace(s)))
	if !oneOf(t, TaskStatuses) {
		return "", errs.Field("status", "%q is not one of open, in_progress, done, cancelled", s)
	}
	return t, nil
}

// Task is one step of the work on an incident: from a playbook, or added
// by hand.
type Task struct {
	ID         int64      `json:"id"`
	IncidentID int64      `json:"incident_id"`
	Title      string     `json:"title"`
	Status     TaskStatus `json:"status"`
	Assignee   string     `json:"assignee,omitempty"`
	DueAt      time.Time  `json:"due_at,omitzero"`
	Playbook   string     `json:"playbook,omitempty"` // the playbook it came from
	Position   int        `json:"position"`
	CreatedAt  time.Time  `json:"created_at"`
	DoneAt     time.Time  `json:"done_at,omitzero"`
}

// Normalize checks a task's title and status.
func (t *Task) Normalize() error {
	t.Title = strings.Join(strings.Fields(t.Title), " ")
	if t.Title == "" {
		return errs.Field("title", "give the task a title")
	}
	if utf8.RuneCountInString(t.Title) > 300 {
		return errs.Field("title", "at most 300 characters")
	}
	if t.Status == "" {
		t.Status = TaskOpen
	}
	if _, err := ParseTaskStatus(string(t.Status)); err != nil {
		return err
	}
	t.Assignee = strings.TrimSpace(t.Assignee)
	return nil
}

// Playbook is the checklist for one kind of incident. Match patterns
// (path.Match) are tried against the identifier, then the type; the
// first playbook with a matching pattern applies.
type Playbook struct {
	Name  string         `yaml:"name" json:"name"`
	Match []string       `yaml:"match" json:"match"`
	Steps []PlaybookStep `yaml:"steps" json:"steps"`
}

// PlaybookStep is one checklist item: the task's title and how long after the
// incident opens it is due (0: no due date of its own).
type PlaybookStep struct {
	Title string        `yaml:"title" json:"title"`
	Due   time.Duration `yaml:"due" json:"due"`
}

//go:embed playbooks.yaml
var playbookFiles embed.FS

// DefaultPlaybooks are the playbooks shipped with Qalxan (playbooks.yaml):
// phishing (and its kin: smishing, fake shops and payment pages), vishing,
// DDoS, personal-data breach, malware.
func DefaultPlaybooks() []Playbook {
	b, err := playbookFiles.ReadFile("playbooks.yaml")
	if err != nil {
		panic(err)
	}
	pbs, err := ParsePlaybooks(b)
	if err != nil {
		panic("incident: the built-in playbooks.yaml is invalid: " + err.Error())
	}
	return pbs
}

// ParsePlaybooks reads and checks a playbook file.
func ParsePlaybooks(b []byte) ([]Playbook, error) {
	var f struct {
		Playbooks []Playbook `yaml:"playbooks"`
	}
	dec := yaml.NewDecoder(strings.NewReader(string(b)))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		return nil, errs.E(errs.Invalid, "playbooks: %v", err)
	}
	seen := map[string]bool{}
	for _, p := range f.Playbooks {
		if p.Name == "" || seen[p.Name] {
			return nil, errs.E(errs.Invalid, "playbooks: every playbook needs a unique name (%q)", p.Name)
		}
		seen[p.Name] = true
		if len(p.Match) == 0 || len(p.Steps) == 0 {
			return nil, errs.E(errs.Invalid, "playbooks: %s needs match patterns and steps", p.Name)
		}
		for _, m := range p.Match {
			if _, err := path.Match(m, ""); err != nil {
				return nil, errs.E(errs.Invalid, "playbooks: %s: bad pattern %q", p.Name, m)
			}
		}
		for _, s := range p.Steps {
			if strings.TrimSpace(s.Title) == "" || s.Due < 0 {
				return nil, errs.E(errs.Invalid, "playbooks: %s has a step without a title or with a negative due time", p.Name)
			}
		}
	}
	return f.Playbooks, nil
}

// PlaybookFor returns the playbook for an incident classified c, if any.
func PlaybookFor(pbs []Playbook, c Classification) (Playbook, bool) {
	for _, cand := range []string{c.Identifier, c.Type} {
		if cand == "" {
			continue
		}
		for _, p := range pbs {
			for _, m := range p.Match {
				if ok, _ := path.Match(m, cand); ok {
					return p, true
				}
			}
		}
	}
	return Playbook{}, false
}

// Tasks are the playbook's steps as tasks of an incident opened at opened.
func (p Playbook) Tasks(opened time.Time) []Task {
	out := make([]Task, len(p.Steps))
	for i, s := range p.Steps {
		out[i] = Task{Title: s.Title, Status: TaskOpen, Playbook: p.Name, Position: i + 1}
		if s.Due > 0 {
			out[i].DueAt = opened.Add(s.Due)
		}
	}
	return out
}
