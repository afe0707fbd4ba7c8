package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	"github.com/spf13/cobra"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/storage"
)

func (a *app) incidentPurgePersonalCommand() *cobra.Command {
	var dryRun, asJSON bool
	c := &cobra.Command{
		Use:   "purge-personal",
		Short: "Erase the personal data kept longer than incidents.personal_data_retention",
		Long: "Erase the personal data of incidents closed (rejected, duplicated) longer ago than\n" +
			"incidents.personal_data_retention (default 730 days) and of reports received before then\n" +
			"that no open case carries: reporters' names, addresses, words and screenshots; of personal-data\n" +
			"offences also the description, the personal observables (e-mail, phone, IBAN, card BIN,\n" +
			"social account) and the journal entries that may quote them. Statistics are kept; each\n" +
			"incident's journal says it was purged. serve runs this daily.",
		Example: "  qalxan incident purge-personal --dry-run\n  qalxan incident purge-personal --json",
		Args:    exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, c, err := a.openStore(cmd)
			if err != nil {
				return err
			}
			defer s.Close()
			res, err := s.PurgePersonalData(cmd.Context(), auth.CLI, c.Incidents.Retention(), dryRun)
			if err != nil {
				return err
			}
			if asJSON {
				return json.NewEncoder(a.stdout).Encode(res)
			}
			verb := "purged"
			if dryRun {
				verb = "would purge"
			}
			fmt.Fprintf(a.stdout, "%s the personal data of %d incidents (%d descriptions, %d observables, %d journal entries) and %d reports, closed or received before %s\n",
				verb, len(res.Incidents), res.Descriptions, res.Observables, res.JournalEntries, res.Reports, res.Cutoff.Format(time.DateOnly))
			return nil
		},
	}
	c.Flags().BoolVar(&dryRun, "dry-run", false, "count what would be erased, erase nothing")
	c.Flags().BoolVar(&asJSON, "json", false, "the result as JSON")
	return c
}

// purgePersonalLoop runs the personal-data purge once a day (the first
// an hour after start, so a restart loop does not hammer the database).
func purgePersonalLoop(ctx context.Context, s *storage.Store, retention time.Duration, log *slog.Logger) {
	t := time.NewTimer(time.Hour)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			res, err := s.PurgePersonalData(ctx, auth.System, retention, false)
			if err != nil {
				log.Warn("purge personal data", "err", err)
			} else if len(res.Incidents) > 0 || res.Reports > 0 {
				log.Info("purged personal data past retention", "incidents", len(res.Incidents), "reports", res.Reports, "cutoff", res.Cutoff)
			}
			t.Reset(24 * time.Hour)
		}
	}
}
