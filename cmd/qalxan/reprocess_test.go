package main

import (
	"strings"
	"testing"
)

func TestReprocess(t *testing.T) {
	dd := ingestGoodAndBad(t)
	tests := []struct {
		name string
		args []string
		code int
		want string // stdout starts so
		errs string
	}{
		{"by id", []string{"--report", "1"}, 0, "1 reports, 0 events, 2 duplicates, 0 bad rows, ", ""},
		{"by feed", []string{"--feed", "shadowserver", "--since", "2000-01-01"}, 0, "1 reports, 0 events, 2 duplicates, ", ""},
		{"quarantined", []string{"--quarantined", "--since", "7d"}, 1, "1 reports, 0 events, 0 duplicates, ", "no feed recognises"},
		{"unknown id", []string{"--report", "99"}, 1, "1 reports, 0 events", "report 99 not found"},
		{"nothing named", nil, 2, "", "name reports with --report"},
		{"feed without since", []string{"--feed", "shadowserver"}, 2, "", "--since"},
		{"bad since", []string{"--quarantined", "--since", "soon"}, 2, "", "--since"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := cli(t, "", append(append([]string{"reprocess"}, tc.args...), dd...)...)
			if code != tc.code || !strings.HasPrefix(out, tc.want) || !strings.Contains(errOut, tc.errs) {
				t.Errorf("got exit %d, %q, stderr %q; want %d, %q..., stderr with %q", code, out, errOut, tc.code, tc.want, tc.errs)
			}
		})
	}
}
