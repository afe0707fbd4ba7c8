package incident

// PublicReport is what a citizen sends without an account, through the
// HTML form (/report) or the JSON API (POST /api/v1/public/reports): both
// turn it into a Report here, so the two cannot drift apart.
type PublicReport struct {
	Category      string
	Description   string
	URL           string
	Phone         string
	ReporterName  string
	ReporterEmail string
	Language      string
}

// Report validates p (Report.Normalize, with region for phone numbers
// without a country code) as a citizen's report from the web.
func (p PublicReport) Report(region string) (Report, error) {
	r := Report{Category: Category(p.Category), Description: p.Description, URL: p.URL, Phone: p.Phone,
		ReporterName: p.ReporterName, ReporterEmail: p.ReporterEmail, Language: p.Language,
		ReporterType: ReporterCitizen, Channel: ChannelWeb}
	err := r.Normalize(region)
	return r, err
}
