package feed

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/qalxan/qalxan/internal/event"
)

// MaxLine bounds one line of a line-based feed.
const MaxLine = 1 << 20

// LineParser is a Parser for the many feeds with one record per line:
// blank lines and comments are skipped, every other line is one event
// (or a bad row), and raw is the line itself.
type LineParser struct {
	Comment string // lines starting with it are skipped; "" for none
	// Base sets the fields every event of the report shares.
	Base func(rep Report, e *event.Event) error
	// Line fills e, which already holds the base fields, from one line
	// (without its line end, trimmed of spaces).
	Line func(e *event.Event, line string) error
	// Raw, when set, gives raw from the line; default the line itself.
	Raw func(line string) string
}

// Parse implements Parser.
func (p *LineParser) Parse(ctx context.Context, r io.Reader, rep Report, emit Emit) (Stats, error) {
	var st Stats
	base := event.New(8)
	if err := SetCommon(rep, base); err != nil {
		return st, err
	}
	if p.Base != nil {
		if err := p.Base(rep, base); err != nil {
			return st, err
		}
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), MaxLine)
	e := event.New(16)
	for n := 1; sc.Scan(); n++ {
		if n%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return st, err
			}
		}
		line := strings.TrimSpace(sc.Text())
		if line == "" || (p.Comment != "" && strings.HasPrefix(line, p.Comment)) {
			continue
		}
		st.Rows++
		e.CopyFrom(base)
		if err := p.Line(e, line); err != nil {
			st.AddBad(rep, BadRow{Line: n, Reason: err.Error()})
			continue
		}
		raw := line
		if p.Raw != nil {
			raw = p.Raw(line)
		}
		e.SetRaw([]byte(raw))
		e.Line = n
		if err := emit(e); err != nil {
			return st, err
		}
		st.Events++
	}
	if err := sc.Err(); err != nil {
		return st, fmt.Errorf("line %d: %w", st.Rows+1, err)
	}
	return st, nil
}

// SetCommon sets the fields every feed takes from the report: feed.name,
// feed.url and time.observation.
func SetCommon(rep Report, e *event.Event) error {
	if err := e.Set("feed.name", rep.FeedName); err != nil {
		return err
	}
	if err := e.Set("feed.url", rep.FeedURL); err != nil {
		return err
	}
	if !rep.Observed.IsZero() {
		return e.Set("time.observation", event.FormatTime(rep.Observed))
	}
	return nil
}

// Constants sets fixed fields, in order (classification.type before a
// taxonomy that must agree with it).
func Constants(e *event.Event, kv ...string) error {
	for i := 0; i+1 < len(kv); i += 2 {
		if err := e.Set(kv[i], kv[i+1]); err != nil {
			return err
		}
	}
	return nil
}
