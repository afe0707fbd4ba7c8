package auth

// ReadPersonal is the permission to see the personal fields of
// personal-data offences and of reports (incident.Redact says which):
// staff who investigate them, admin and analyst. Without it those fields
// are redacted in every answer; with it, every read is audited
// (incident.personal_read).
const ReadPersonal Permission = "incidents.personal"

// The grant is kept here, with the permission, rather than in the long
// lines of grants.
func init() {
	grants[Admin] = append(grants[Admin], ReadPersonal)
	grants[Analyst] = append(grants[Analyst], ReadPersonal)
}
