// Package all registers every feed Qalxan knows, by importing each
// provider package for its init(). Import it where the whole catalogue is
// wanted (the CLI); tests import only what they test.
package all

import (
	_ "github.com/qalxan/qalxan/internal/feed/abusech"
	_ "github.com/qalxan/qalxan/internal/feed/apwg"
	_ "github.com/qalxan/qalxan/internal/feed/blocklistde"
	_ "github.com/qalxan/qalxan/internal/feed/cymru"
	_ "github.com/qalxan/qalxan/internal/feed/dataplane"
	_ "github.com/qalxan/qalxan/internal/feed/microsoft"
	_ "github.com/qalxan/qalxan/internal/feed/openphish"
	_ "github.com/qalxan/qalxan/internal/feed/phishtank"
	_ "github.com/qalxan/qalxan/internal/feed/shadowserver"
	_ "github.com/qalxan/qalxan/internal/feed/spamhaus"
)
