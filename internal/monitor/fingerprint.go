package monitor

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// sigSize is how many MinHash values a fingerprint keeps: the estimate of
// the similarity has a standard error of about 1/√128 ≈ 9 points, small
// against the changes that matter (a defacement replaces most of a page;
// a news item changes a tenth of it), and the signature stays 1 KiB as
// text.
const sigSize = 128

// shingle is how many consecutive words make one shingle: three words
// keep word order (a page's paragraphs shuffled is a change) without
// making one changed word cost too much.
const shingle = 3

// Fingerprint is a page's visible text reduced to what content-change
// detection needs: the SHA-256 of the normalised text (unchanged pages
// compare in one step) and a MinHash signature over its word shingles,
// whose share of equal values estimates the Jaccard similarity of two
// pages' shingle sets (Broder, 1997).
type Fingerprint struct {
	Hash  string   // hex SHA-256 of the normalised text
	Words int      // how many words the text has
	Sig   []uint32 // sigSize minimums; nil for a page without text
}

// FingerprintOf is a page body's fingerprint: markup, scripts and styles stripped,
// whitespace and case folded (pageText), then hashed and shingled.
func FingerprintOf(body []byte) Fingerprint {
	return fingerprintText(pageText(body))
}

func fingerprintText(text string) Fingerprint {
	sum := sha256.Sum256([]byte(text))
	words := strings.Fields(text)
	f := Fingerprint{Hash: hex.EncodeToString(sum[:]), Words: len(words)}
	if len(words) == 0 {
		return f
	}
	f.Sig = make([]uint32, sigSize)
	for i := range f.Sig {
		f.Sig[i] = math.MaxUint32
	}
	n := max(len(words)-shingle+1, 1)
	for i := range n {
		// FNV-1a of the shingle's words, each ended by a zero byte;
		// inline, as hash/fnv would allocate for every shingle.
		x := uint64(fnvOffset)
		for _, w := range words[i:min(i+shingle, len(words))] {
			for k := 0; k < len(w); k++ {
				x = (x ^ uint64(w[k])) * fnvPrime
			}
			x *= fnvPrime // ^ 0
		}
		// One base hash, sigSize cheap permutations of it: splitmix64 of
		// the hash mixed with the slot's seed.
		for j := range f.Sig {
			if v := uint32(mix(x ^ seeds[j])); v < f.Sig[j] {
				f.Sig[j] = v
			}
		}
	}
	return f
}

// FNV-1a's 64-bit parameters.
const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

// seeds are the permutations' fixed seeds: a fingerprint stored today
// must compare with one taken next year, so they never change.
var seeds = func() [sigSize]uint64 {
	var s [sigSize]uint64
	x := uint64(0x9e3779b97f4a7c15)
	for i := range s {
		x = mix(x + uint64(i))
		s[i] = x
	}
	return s
}()

// mix is splitmix64's finaliser.
func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	return x ^ x>>31
}

// Similarity estimates how alike two pages' texts are, from 0 (nothing
// in common) to 1 (the same): 1 when the hashes are equal, else the share
// of equal signature values. Two pages without text are alike; one
// without text is nothing like one with.
func (f Fingerprint) Similarity(g Fingerprint) float64 {
	if f.Hash == g.Hash {
		return 1
	}
	if len(f.Sig) == 0 || len(g.Sig) == 0 {
		if len(f.Sig) == len(g.Sig) {
			return 1
		}
		return 0
	}
	if len(f.Sig) != len(g.Sig) {
		return 0
	}
	same := 0
	for i := range f.Sig {
		if f.Sig[i] == g.Sig[i] {
			same++
		}
	}
	return float64(same) / float64(len(f.Sig))
}

// String is the stored form: "HASH:WORDS:SIGNATURE-IN-HEX".
func (f Fingerprint) String() string {
	b := make([]byte, 4*len(f.Sig))
	for i, v := range f.Sig {
		binary.BigEndian.PutUint32(b[4*i:], v)
	}
	return f.Hash + ":" + strconv.Itoa(f.Words) + ":" + hex.EncodeToString(b)
}

// MarshalText writes the stored form.
func (f Fingerprint) MarshalText() ([]byte, error) { return []byte(f.String()), nil }

// ParseFingerprint reads the stored form back.
func ParseFingerprint(s string) (Fingerprint, error) {
	hash, rest, ok1 := strings.Cut(s, ":")
	words, sig, ok2 := strings.Cut(rest, ":")
	n, err := strconv.Atoi(words)
	if !ok1 || !ok2 || err != nil || n < 0 || len(hash) != 64 {
		return Fingerprint{}, fmt.Errorf("monitor: fingerprint %.20q…: want HASH:WORDS:SIGNATURE", s)
	}
	if _, err := hex.DecodeString(hash); err != nil {
		return Fingerprint{}, fmt.Errorf("monitor: fingerprint: hash: %w", err)
	}
	b, err := hex.DecodeString(sig)
	if err != nil || (len(b) != 0 && len(b) != 4*sigSize) {
		return Fingerprint{}, fmt.Errorf("monitor: fingerprint: signature is not %d hex values", sigSize)
	}
	f := Fingerprint{Hash: hash, Words: n}
	if len(b) > 0 {
		f.Sig = make([]uint32, sigSize)
		for i := range f.Sig {
			f.Sig[i] = binary.BigEndian.Uint32(b[4*i:])
		}
	}
	return f, nil
}

// UnmarshalText reads the stored form.
func (f *Fingerprint) UnmarshalText(b []byte) error {
	g, err := ParseFingerprint(string(b))
	if err != nil {
		return err
	}
	*f = g
	return nil
}
