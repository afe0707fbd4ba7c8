package event

import (
	"crypto/sha256"
	"encoding/hex"
)

// DefaultFingerprintKeys are what makes two events "the same observation"
// for deduplication: what was seen, where, on which port, against what,
// and on which day. A feed may choose its own list.
var DefaultFingerprintKeys = []string{
	"classification.identifier",
	"source.ip", "source.fqdn", "source.url", "source.port",
	"source.network", // block lists (DROP, bogons) name networks, not addresses
	"destination.ip", "destination.port",
}

// Fingerprint is FingerprintOf(DefaultFingerprintKeys).
func (e *Event) Fingerprint() string { return e.FingerprintOf(DefaultFingerprintKeys) }

// FingerprintOf returns the SHA-256 (hex) of the given keys' values and the
// UTC day of time.source. Absent keys count as absent (not as empty), so
// moving a value from one key to another changes the fingerprint.
func (e *Event) FingerprintOf(keys []string) string {
	h := sha256.New()
	var buf [1]byte
	for _, k := range keys {
		v, ok := e.Get(k)
		if !ok {
			buf[0] = 0
			h.Write(buf[:])
			continue
		}
		h.Write([]byte(k))
		buf[0] = '='
		h.Write(buf[:])
		h.Write([]byte(v))
		buf[0] = 0
		h.Write(buf[:])
	}
	if t, ok := e.Get("time.source"); ok && len(t) >= 10 {
		h.Write([]byte(t[:10])) // stored as UTC RFC 3339: the first ten bytes are the day
	}
	var sum [sha256.Size]byte
	return hex.EncodeToString(h.Sum(sum[:0]))
}
