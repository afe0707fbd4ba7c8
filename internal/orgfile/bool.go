package orgfile

import "strings"

// parseBool reads the cii flag. YAML 1.2 no longer treats yes/no as
// booleans and spreadsheets write 1/0, so all the common spellings are
// accepted; an empty value is false.
func parseBool(line int, field, s string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "yes", "1":
		return true, nil
	case "false", "no", "0", "":
		return false, nil
	}
	return false, fieldAt(line, field, "want true or false (or yes/no, 1/0), got %q", s)
}
