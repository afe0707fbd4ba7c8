package feed

import (
	"context"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/qalxan/qalxan/internal/errs"
	"github.com/qalxan/qalxan/internal/event"
)

func TestDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"abc", "", 3}, {"", "ab", 2}, {"kitten", "sitting", 3},
		{"scan_rpd", "scan_rdp", 1}, {"scan_rdp", "scan_rdp", 0}, {"ab", "ba", 1},
	}
	for _, tt := range tests {
		if got := Distance(tt.a, tt.b); got != tt.want {
			t.Errorf("Distance(%q, %q): got %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestClosest(t *testing.T) {
	got := Closest("scan_rpd", []string{"scan_ard", "scan_rdp", "event4_sinkhole", "scan_ipp"}, 2)
	if want := []string{"scan_rdp", "scan_ard"}; !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	if got := Closest("zzzzzzzzzz", []string{"scan_rdp"}, 3); len(got) != 0 {
		t.Errorf("far-off name: got %v, want none", got)
	}
}

func nop() Parser {
	return ParserFunc(func(context.Context, io.Reader, Report, Emit) (Stats, error) { return Stats{}, nil })
}

func TestRegistry(t *testing.T) {
	Register(Spec{Name: "zz-test-a", FileNames: []string{"*.zza"}, Parser: nop()})
	Register(Spec{Name: "zz-test-b", Recognise: func(name string, head []byte) bool {
		return strings.HasPrefix(string(head), "ZZB")
	}, Parser: nop()})
	if s, err := Lookup("zz-test-a"); err != nil || s.Name != "zz-test-a" {
		t.Errorf("Lookup: got %v, %v", s.Name, err)
	}
	if _, err := Lookup("zz-test-c"); errs.CodeOf(err) != errs.NotFound || !strings.Contains(err.Error(), "zz-test-a") {
		t.Errorf("Lookup unknown: got %v, want not_found naming zz-test-a", err)
	}
	all := All()
	if !slices.IsSortedFunc(all, func(a, b Spec) int { return strings.Compare(a.Name, b.Name) }) {
		t.Error("All: not sorted")
	}
	if s, err := Detect("/x/report.zza", nil); err != nil || s.Name != "zz-test-a" {
		t.Errorf("Detect by name: got %q, %v", s.Name, err)
	}
	if s, err := Detect("-", []byte("ZZB...")); err != nil || s.Name != "zz-test-b" {
		t.Errorf("Detect by head: got %q, %v", s.Name, err)
	}
	if _, err := Detect("report.unknown", nil); err == nil {
		t.Error("Detect unknown: got no error")
	}
	if _, err := Detect("x.zza", []byte("ZZB")); errs.CodeOf(err) != errs.Conflict {
		t.Errorf("Detect ambiguous: got %v, want conflict", err)
	}
	defer func() {
		if recover() == nil {
			t.Error("duplicate Register: got no panic")
		}
	}()
	Register(Spec{Name: "zz-test-a", Parser: nop()})
}

func TestStatsBoundsBadRows(t *testing.T) {
	var st Stats
	told := 0
	rep := Report{OnBad: func(BadRow) { told++ }}
	for i := 0; i < MaxBadRows+5; i++ {
		st.AddBad(rep, BadRow{Line: i + 2, Reason: "x"})
	}
	if st.Bad != MaxBadRows+5 || len(st.BadRows) != MaxBadRows || told != MaxBadRows+5 {
		t.Errorf("got Bad %d, kept %d, told %d; want %d, %d, %d", st.Bad, len(st.BadRows), told, MaxBadRows+5, MaxBadRows, MaxBadRows+5)
	}
}

func TestSpecFingerprint(t *testing.T) {
	e := event.New(0)
	e.Set("source.ip", "192.0.2.1")
	e.Set("source.port", "80")
	def, custom := Spec{}, Spec{FingerprintKeys: []string{"source.ip"}}
	if def.Fingerprint(e) != e.Fingerprint() {
		t.Error("default spec: got a fingerprint other than the event's default")
	}
	other := e.Clone()
	other.Set("source.port", "81")
	if custom.Fingerprint(e) != custom.Fingerprint(other) || def.Fingerprint(e) == def.Fingerprint(other) {
		t.Error("custom keys: want the port to matter only to the default fingerprint")
	}
}
