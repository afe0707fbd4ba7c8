package main

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/storage"
)

// monitorAcceptCommand accepts what a resource's landing page shows now
// as its content baseline: the agency changed its site on purpose, and
// content-changed should compare with the new page from now on.
func (a *app) monitorAcceptCommand() *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:   "accept RESOURCE",
		Short: "Accept a resource's current page content as its baseline",
		Long: "The content-changed check compares each resource's landing page with a baseline: the\n" +
			"page of its first run, or the one last accepted. When an agency changed its site on\n" +
			"purpose, accept the content the latest run saw as the new baseline. RESOURCE is the\n" +
			"resource's id or its registered value.",
		Example: "  qalxan monitor accept 42\n  qalxan monitor accept https://portal.mdt.gov.az/",
		Args:    exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, _, err := a.openStore(cmd)
			if err != nil {
				return err
			}
			defer s.Close()
			id, err := resourceByIDOrValue(cmd, s, args[0])
			if err != nil {
				return err
			}
			c, err := s.AcceptMonitorContent(cmd.Context(), auth.CLI, id)
			if err != nil {
				return usageError{fmt.Errorf("monitor accept: %s", oneLine(err))}
			}
			if asJSON {
				return json.NewEncoder(a.stdout).Encode(c)
			}
			_, err = fmt.Fprintf(a.stdout, "resource %d: the content seen %s is the baseline now\n", id, c.BaselineAt.Format(time.RFC3339))
			return err
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print the new baseline's record as JSON")
	return c
}

// resourceByIDOrValue finds a monitored resource by its id or its value;
// a value registered by several organisations must be given by id.
func resourceByIDOrValue(cmd *cobra.Command, s *storage.Store, key string) (int64, error) {
	if id, err := strconv.ParseInt(key, 10, 64); err == nil && id > 0 {
		return id, nil
	}
	targets, err := s.MonitorTargets(cmd.Context(), 0)
	if err != nil {
		return 0, err
	}
	var ids []string
	var found int64
	for _, t := range targets {
		if strings.EqualFold(t.Resource.Value, strings.TrimSpace(key)) {
			found = t.Resource.ID
			ids = append(ids, fmt.Sprintf("%d (%s)", t.Resource.ID, t.Org))
		}
	}
	switch len(ids) {
	case 0:
		return 0, usageError{fmt.Errorf("monitor accept: no monitored resource %q", key)}
	case 1:
		return found, nil
	}
	return 0, usageError{fmt.Errorf("monitor accept: %q is registered %d times: give one of the ids %s", key, len(ids), strings.Join(ids, ", "))}
}
