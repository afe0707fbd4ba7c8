package constituency

import (
	"strings"

	"github.com/qalxan/qalxan/internal/errs"
)

// Sector is the field an organisation works in. The list follows the sectors
// national CII regulations (and NIS2's annexes) name.
type Sector string

// Sectors lists the known sectors in display order.
var Sectors = []Sector{
	"government", "finance", "energy", "telecom", "health", "education",
	"transport", "water", "digital-infrastructure", "defence", "media", "other",
}

// ParseSector checks s against Sectors; an empty sector is "other".
func ParseSector(s string) (Sector, error) {
	v := strings.ToLower(strings.TrimSpace(s))
	if v == "" {
		return "other", nil
	}
	for _, x := range Sectors {
		if string(x) == v {
			return x, nil
		}
	}
	return "", errs.Field("sector", "unknown sector %q (known: %s)", s, joinSectors())
}

func joinSectors() string {
	parts := make([]string, len(Sectors))
	for i, s := range Sectors {
		parts[i] = string(s)
	}
	return strings.Join(parts, ", ")
}
