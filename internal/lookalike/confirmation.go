package lookalike

import "time"

// Confirmation is what the active check of a candidate found: whether the
// name resolves and receives mail, what its web page is, and how much that
// page resembles the brand's real one. Errors are kept as text: "no
// answer" is a finding too.
type Confirmation struct {
	CheckedAt time.Time `json:"checked_at"`

	A        []string `json:"a,omitempty"`
	MX       []string `json:"mx,omitempty"`
	NS       []string `json:"ns,omitempty"`
	DNSError string   `json:"dns_error,omitempty"`

	URL        string `json:"url,omitempty"`    // the page fetched, after redirects
	Status     int    `json:"status,omitempty"` // its HTTP status
	Title      string `json:"title,omitempty"`
	Size       int    `json:"size,omitempty"` // bytes read (at most the limit)
	FetchError string `json:"fetch_error,omitempty"`

	// Similarity of the page to the brand's real page, 0 to 100, and
	// its parts; BrandURL is the page compared with.
	Similarity          int    `json:"similarity"`
	TextSimilarity      int    `json:"text_similarity"`
	StructureSimilarity int    `json:"structure_similarity"`
	BrandURL            string `json:"brand_url,omitempty"`
	BrandError          string `json:"brand_error,omitempty"`

	// Screenshot is the incident evidence holding the page's picture.
	Screenshot      int64  `json:"screenshot_evidence_id,omitempty"`
	ScreenshotError string `json:"screenshot_error,omitempty"`

	Verdict Verdict `json:"verdict"`
}

// Verdict sums a confirmation up for triage.
type Verdict string

const (
	Unresolved Verdict = "unresolved" // no address: not live (yet)
	NoPage     Verdict = "no-page"    // resolves, but serves no page
	Different  Verdict = "different"  // a page unlike the brand's
	Imitation  Verdict = "imitation"  // a page like the brand's: a phishing kit, most likely
)

// ImitationSimilarity is the similarity from which a page counts as an
// imitation of the brand's.
const ImitationSimilarity = 60

// Judge sets the verdict from the findings.
func (c *Confirmation) Judge() {
	switch {
	case len(c.A) == 0:
		c.Verdict = Unresolved
	case c.Status == 0 || c.Status >= 400:
		c.Verdict = NoPage
	case c.Similarity >= ImitationSimilarity:
		c.Verdict = Imitation
	default:
		c.Verdict = Different
	}
}
