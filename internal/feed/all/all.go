// Package all registers every feed Qalxan knows, by importing each
// provider package for its init(). Import it where the whole catalogue is
// wanted (the CLI); tests import only what they test.
package all

import (
	_ "github.com/qalxan/qalxan/internal/feed/blocklistde"
	_ "github.com/qalxan/qalxan/internal/feed/openphish"
	_ "github.com/qalxan/qalxan/internal/feed/shadowserver"
)
