package main

import (
	"errors"
	"fmt"
	"os"
	"os/signal"
	"slices"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/qalxan/qalxan/internal/collect"
	"github.com/qalxan/qalxan/internal/config"
)

// dropSettle is how long collect --once waits between the two looks a
// drop folder needs to see that a file is complete.
var dropSettle = time.Second

func (a *app) collectCommand() *cobra.Command {
	var once bool
	var only string
	c := &cobra.Command{
		Use:   "collect",
		Short: "Run the configured collectors: fetch reports, and archive, parse and store them",
		Long: "Run the collectors of the configuration file (collectors: a list of file, dropfolder, http,\n" +
			"imap and shadowserver_api sources), each on its schedule, until interrupted; or with --once\n" +
			"each one round, then print what each brought in and exit. Every report goes into the\n" +
			"archive and through the pipeline as with 'qalxan ingest'; one that cannot be parsed is\n" +
			"quarantined (see 'qalxan reports --quarantined'). A collector that fails is logged and tried\n" +
			"again at its next time; with --once the exit status is then 1. 'qalxan serve' runs the same\n" +
			"collectors on the same schedules.",
		Example: "  qalxan collect --config qalxan.yaml --once\n" +
			"  qalxan collect --config qalxan.yaml --once --only shadowserver\n" +
			"  qalxan collect --config qalxan.yaml",
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := a.useFeedData(cmd); err != nil {
				return err
			}
			s, cfg, err := a.openStore(cmd)
			if err != nil {
				return err
			}
			defer s.Close()
			if len(cfg.Collectors) == 0 {
				return errors.New("collect: no collectors configured: add a collectors: list to the configuration file (--config)")
			}
			if err := registerFeeds(cfg); err != nil {
				return err
			}
			if only != "" && !slices.ContainsFunc(cfg.Collectors, func(c config.Collector) bool { return c.Name == only }) {
				return usageError{fmt.Errorf("collect: --only %s: no collector of that name in the configuration", only)}
			}
			log := a.logger(cfg)
			col, err := newCollection(cfg, s, log)
			if err != nil {
				return err
			}
			defer col.Close()
			jobs, err := col.jobs(cfg, only)
			if err != nil {
				return err
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			if !once {
				fmt.Fprintf(a.stderr, "collecting with %d collectors until interrupted\n", len(jobs))
				(&collect.Scheduler{Jobs: jobs, Logger: log}).Run(ctx)
				a.printCollected(col, jobs, nil)
				return nil
			}
			failed := map[string]error{}
			kinds := map[string]string{}
			for _, cc := range cfg.Collectors {
				kinds[cc.Name] = cc.Kind
			}
			for _, j := range jobs {
				name := j.Collector.Name()
				err := collect.Round(ctx, j)
				if err == nil && kinds[name] == config.KindDropFolder {
					// The first look only notes the files' sizes.
					select {
					case <-ctx.Done():
						err = ctx.Err()
					case <-time.After(dropSettle):
						err = collect.Round(ctx, j)
					}
				}
				if err != nil {
					failed[name] = err
				}
				if ctx.Err() != nil {
					break
				}
			}
			a.printCollected(col, jobs, failed)
			if len(failed) > 0 {
				var list []error
				for _, j := range jobs {
					if err := failed[j.Collector.Name()]; err != nil {
						list = append(list, err)
					}
				}
				return fmt.Errorf("collect: %d of %d collectors failed: %w", len(failed), len(jobs), errors.Join(list...))
			}
			return nil
		},
	}
	c.Flags().BoolVar(&once, "once", false, "run each collector once, print a summary and exit")
	c.Flags().StringVar(&only, "only", "", "run only the collector of this name")
	return c
}

// printCollected writes one line per collector: what it brought in, or
// why it failed.
func (a *app) printCollected(col *collection, jobs []collect.Job, failed map[string]error) {
	for _, j := range jobs {
		name := j.Collector.Name()
		st := col.statsOf(name)
		fmt.Fprintf(a.stdout, "%s: %d reports, %d events, %d duplicates, %d bad rows, %d quarantined",
			name, st.Reports, st.Events, st.Duplicates, st.Bad, st.Quarantined)
		if err := failed[name]; err != nil {
			fmt.Fprintf(a.stdout, "; failed: %s", oneLine(err))
		}
		fmt.Fprintln(a.stdout)
	}
}
