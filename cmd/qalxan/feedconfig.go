package main

import (
	"fmt"
	"reflect"
	"sync"

	"github.com/spf13/cobra"

	"github.com/qalxan/qalxan/internal/config"
	"github.com/qalxan/qalxan/internal/feed/genericcsv"
)

// The feed catalogue is the process's; configured feeds join it once.
// Tests run many command lines in one process, so a feed registered again
// with the same definition is no error, and one with another definition is.
var (
	configuredMu    sync.Mutex
	configuredFeeds = map[string]genericcsv.Config{}
)

// registerFeeds adds the feeds of the configuration to the catalogue, so
// that --feed NAME and recognition by file name find them.
func registerFeeds(cfg config.Config) error {
	configuredMu.Lock()
	defer configuredMu.Unlock()
	for _, f := range cfg.Feeds {
		if prev, ok := configuredFeeds[f.Name]; ok {
			if !reflect.DeepEqual(prev, f) {
				return fmt.Errorf("config: feed %q: already registered with another definition", f.Name)
			}
			continue
		}
		if err := genericcsv.Register(f); err != nil {
			return fmt.Errorf("config: feed %q: %w", f.Name, err)
		}
		configuredFeeds[f.Name] = f
	}
	return nil
}

// withConfiguredFeeds makes cmd and its subcommands register the
// configured feeds before they run: the commands that parse or list feeds
// are wrapped so where they are added to the root.
func (a *app) withConfiguredFeeds(cmd *cobra.Command) *cobra.Command {
	prev := cmd.PreRunE
	cmd.PreRunE = func(c *cobra.Command, args []string) error {
		cfg, err := a.config(c)
		if err != nil {
			return err
		}
		if err := registerFeeds(cfg); err != nil {
			return err
		}
		if prev != nil {
			return prev(c, args)
		}
		return nil
	}
	for _, sub := range cmd.Commands() {
		a.withConfiguredFeeds(sub)
	}
	return cmd
}
