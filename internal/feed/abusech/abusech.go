// Package abusech parses abuse.ch's feeds: Feodo Tracker's botnet C2 list
// (JSON) and URLhaus's CSV feeds.
package abusech

import (
	"github.com/qalxan/qalxan/internal/event"
	"github.com/qalxan/qalxan/internal/feed"
)

func init() {
	feed.Register(feed.Spec{
		Name:        "abusech-feodo",
		Provider:    "abuse.ch",
		DocURL:      "https://feodotracker.abuse.ch/blocklist/",
		Format:      "json",
		Description: "Feodo Tracker IP blocklist (ipblocklist.json): a JSON array of botnet C2 servers.",
		FileNames:   []string{"ipblocklist*.json"},
		Parser:      feed.ParserFunc(parseFeodo),
	})
	feed.Register(feed.Spec{
		Name:        "abusech-urlhaus",
		Provider:    "abuse.ch",
		DocURL:      "https://urlhaus.abuse.ch/feeds/",
		Format:      "csv",
		Description: "URLhaus CSV feeds (full, recent, per TLD/country/ASN): columns named by the last \"#\" comment line.",
		Details:     urlhausDetails,
		Parser:      feed.ParserFunc(parseURLhaus),
	})
}

// setBase sets the fields every event of a report shares.
func setBase(rep feed.Report, e *event.Event, name string, kv ...string) error {
	if err := feed.SetCommon(rep, e); err != nil {
		return err
	}
	if rep.FeedName == "" {
		if err := e.Set("feed.name", name); err != nil {
			return err
		}
	}
	return feed.Constants(e, append([]string{"feed.provider", "abuse.ch"}, kv...)...)
}
