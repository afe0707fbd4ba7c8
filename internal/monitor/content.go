package monitor

import (
	"fmt"
	"regexp"
	"strings"
)

var (
	tagRE   = regexp.MustCompile(`(?s)<script.*?</script>|<style.*?</style>|<[^>]*>`)
	spaceRE = regexp.MustCompile(`\s+`)
)

// pageText is a page's visible text, lower-case, whitespace collapsed: what
// a defacer writes is text, and markup must not hide or fake a match.
func pageText(body []byte) string {
	t := tagRE.ReplaceAllString(string(body), " ")
	return strings.TrimSpace(spaceRE.ReplaceAllString(strings.ToLower(t), " "))
}

// defacementResult looks for the configured signs of defacement in the
// page a visitor lands on.
func (c *Checker) defacementResult(p *page) Result {
	words := c.Keywords
	if words == nil {
		words = DefaultKeywords()
	}
	text := p.text()
	for _, w := range words {
		w = strings.ToLower(strings.TrimSpace(w))
		if w == "" {
			continue
		}
		if i := strings.Index(text, w); i >= 0 {
			from, to := max(i-40, 0), min(i+len(w)+40, len(text))
			return result("defacement", Fail, fmt.Sprintf("%s shows %q: …%s…", p.url, w, text[from:to]))
		}
	}
	return result("defacement", Pass, fmt.Sprintf("%s shows none of %d defacement signs", p.url, len(words)))
}
