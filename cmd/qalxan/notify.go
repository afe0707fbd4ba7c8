package main

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/qalxan/qalxan/internal/notify"
)

func (a *app) notifyCommand() *cobra.Command {
	var dryRun, asJSON, noSend bool
	var kind string
	c := &cobra.Command{
		Use:   "notify",
		Short: "Tell organisations of their findings by e-mail: queue notices and send them now",
		Long: "Queue the notices due now — immediate ones for new critical findings, the digest of\n" +
			"new and still-open findings, escalations of overdue ones — and send every due notice\n" +
			"through mail.smtp_addr. --dry-run prints what would be sent and changes nothing.",
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			var kinds []notify.Kind
			switch kind {
			case "all":
				kinds = []notify.Kind{notify.Immediate, notify.Digest, notify.Escalation}
			case string(notify.Immediate), string(notify.Digest), string(notify.Escalation):
				kinds = []notify.Kind{notify.Kind(kind)}
			default:
				return usageError{fmt.Errorf("notify: --kind %q: want all, immediate, digest or escalation", kind)}
			}
			s, cfg, err := a.openStore(cmd)
			if err != nil {
				return err
			}
			defer s.Close()
			n, err := newNotifier(cfg, s, a.logger(cfg))
			if err != nil {
				return err
			}
			if !dryRun && !noSend && n.worker == nil {
				return fmt.Errorf("notify: mail.smtp_addr is not configured (use --dry-run to see what would be sent)")
			}
			enc := json.NewEncoder(a.stdout)
			enc.SetEscapeHTML(false)
			count := 0
			emit := func(nt *notify.Notice) {
				count++
				if asJSON {
					enc.Encode(nt)
					return
				}
				fmt.Fprintf(a.stdout, "%s\t%s\t%s\t%s\t%d findings\t%s\t%s\n", nt.Reference, nt.Org, nt.Kind, nt.HighestSeverity,
					nt.FindingsCount, strings.Join(nt.To, ","), nt.Subject)
			}
			// In a dry run nothing moves, so an organisation told at once is
			// left out of the digest by hand.
			var skip map[int64]bool
			if dryRun {
				skip = map[int64]bool{}
			}
			for _, k := range kinds {
				if k == notify.Escalation && skip != nil {
					skip = map[int64]bool{}
				}
				if err := n.queue(cmd.Context(), k, dryRun, skip, emit); err != nil {
					return err
				}
			}
			verb := "queued"
			if dryRun {
				verb = "would be sent"
			}
			fmt.Fprintf(a.stderr, "%d notices %s\n", count, verb)
			if dryRun || noSend {
				return nil
			}
			res, err := n.worker.RunOnce(cmd.Context())
			fmt.Fprintf(a.stderr, "%d sent, %d to retry, %d failed\n", res.Sent, res.Retried, res.Failed)
			return err
		},
	}
	c.Flags().BoolVar(&dryRun, "dry-run", false, "print the notices that would be sent; store and send nothing")
	c.Flags().BoolVar(&asJSON, "json", false, "print one JSON object per notice")
	c.Flags().BoolVar(&noSend, "no-send", false, "queue the notices but leave sending to serve")
	c.Flags().StringVar(&kind, "kind", "all", "which notices: all, immediate, digest or escalation")
	return c
}
