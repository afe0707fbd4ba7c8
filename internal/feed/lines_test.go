package feed

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/qalxan/qalxan/internal/event"
)

func TestLineParser(t *testing.T) {
	p := &LineParser{
		Comment: "#",
		Base:    func(rep Report, e *event.Event) error { return e.Set("classification.type", "scanner") },
		Line:    func(e *event.Event, line string) error { return e.Set("source.ip", line) },
	}
	in := "# header\n\n192.0.2.1\r\n  192.0.2.2  \nnope\n"
	rep := Report{FeedName: "Test", FeedURL: "https://example.org/list.txt", Observed: time.Date(2026, 11, 20, 6, 0, 0, 0, time.UTC)}
	var got []string
	st, err := p.Parse(context.Background(), strings.NewReader(in), rep, func(e *event.Event) error {
		got = append(got, string(e.AppendJSON(nil)))
		return nil
	})
	if err != nil || st.Rows != 3 || st.Events != 2 || st.Bad != 1 || st.BadRows[0].Line != 5 {
		t.Fatalf("got %+v, %v; want 3 rows, 2 events, line 5 bad", st, err)
	}
	want := `{"classification.taxonomy":"information-gathering","classification.type":"scanner","feed.name":"Test","feed.url":"https://example.org/list.txt","raw":"MTkyLjAuMi4y","source.ip":"192.0.2.2","time.observation":"2026-11-20T06:00:00+00:00"}`
	if got[1] != want {
		t.Errorf("got %s\nwant %s", got[1], want)
	}
	if _, err := p.Parse(context.Background(), strings.NewReader(strings.Repeat("x", MaxLine+1)), Report{}, func(*event.Event) error { return nil }); err == nil {
		t.Error("over-long line: got no error, want one")
	}
	stop := errors.New("stop")
	if _, err := p.Parse(context.Background(), strings.NewReader("192.0.2.1\n"), Report{}, func(*event.Event) error { return stop }); !errors.Is(err, stop) {
		t.Errorf("emit error: got %v, want it returned", err)
	}
}
