package monitor

import (
	"fmt"
	"time"
)

// DefaultChangeThreshold is the share of a landing page's text that may
// change between two runs before the change is reported: half. A news
// item or a new date changes a tenth of a ministry's front page; a
// defacement, a parked domain or a hijacked site replaces nearly all of
// it.
const DefaultChangeThreshold = 0.5

// Baseline is the content a resource's landing page is compared with:
// what it showed on its first run, or what staff last accepted.
type Baseline struct {
	Print Fingerprint
	Taken time.Time
}

func (c *Checker) changeThreshold() float64 {
	if c.ChangeThreshold > 0 {
		return c.ChangeThreshold
	}
	return DefaultChangeThreshold
}

// contentResult compares the page's fingerprint with the baseline. With
// no baseline yet the page passes and becomes one (the caller stores
// Report.Content); a change of more than the threshold fails, with the
// similarity and the baseline's date as evidence.
func (c *Checker) contentResult(p *page, now Fingerprint, b *Baseline) Result {
	if b == nil {
		return result("content-changed", Pass, fmt.Sprintf("%s: no baseline to compare with yet (%d words seen; a monitoring round keeps them as the baseline)", p.url, now.Words))
	}
	sim := now.Similarity(b.Print)
	taken := b.Taken.UTC().Format(time.RFC3339)
	switch {
	case now.Hash == b.Print.Hash:
		return result("content-changed", Pass, fmt.Sprintf("%s: text unchanged since the baseline of %s", p.url, taken))
	case 1-sim <= c.changeThreshold():
		return result("content-changed", Pass, fmt.Sprintf("%s: text %.0f%% similar to the baseline of %s (at least %.0f%% wanted)",
			p.url, 100*sim, taken, 100*(1-c.changeThreshold())))
	}
	return result("content-changed", Fail, fmt.Sprintf("%s: text only %.0f%% similar to the baseline of %s (%d words then, %d now; at least %.0f%% wanted): %s",
		p.url, 100*sim, taken, b.Print.Words, now.Words, 100*(1-c.changeThreshold()), excerpt(p.text(), 120)))
}

// excerpt is the start of s, at most n bytes, cut on a rune boundary.
func excerpt(s string, n int) string {
	if len(s) <= n {
		return "“" + s + "”"
	}
	for n > 0 && !utf8RuneStart(s[n]) {
		n--
	}
	return "“" + s[:n] + "…”"
}

func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }
