package event

import (
	"encoding/base64"
	"encoding/binary"
	"slices"
)

// base64Pairs maps 12 bits to their two characters of standard base64,
// so that encoding takes one lookup per two characters, not one per
// character: raw is most of a Shadowserver event's JSON, and encoding
// it was a tenth of the parse's CPU.
var base64Pairs = func() (t [4096]uint16) {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	for i := range t {
		t[i] = uint16(alphabet[i>>6]) | uint16(alphabet[i&63])<<8
	}
	return t
}()

// appendBase64 appends the standard base64 encoding of src (with padding),
// as base64.StdEncoding.AppendEncode does.
func appendBase64(b []byte, src string) []byte {
	n, size := len(b), base64.StdEncoding.EncodedLen(len(src))
	b = slices.Grow(b, size)[:n+size]
	dst := b[n:]
	i, j := 0, 0
	// Six bytes to eight characters at a time, reading eight bytes
	// (the last two unused) while there are that many: as one big-endian
	// word, which the compiler loads with one instruction, where six bytes
	// took six loads, and their bounds checks, each.
	for ; len(src)-i >= 8; i, j = i+6, j+8 {
		s := src[i : i+8]
		v := (uint64(s[0])<<56 | uint64(s[1])<<48 | uint64(s[2])<<40 | uint64(s[3])<<32 |
			uint64(s[4])<<24 | uint64(s[5])<<16 | uint64(s[6])<<8 | uint64(s[7])) >> 16
		binary.LittleEndian.PutUint64(dst[j:j+8], uint64(base64Pairs[v>>36&0xfff])|
			uint64(base64Pairs[v>>24&0xfff])<<16|uint64(base64Pairs[v>>12&0xfff])<<32|
			uint64(base64Pairs[v&0xfff])<<48)
	}
	for ; i+3 <= len(src); i, j = i+3, j+4 {
		v := uint(src[i])<<16 | uint(src[i+1])<<8 | uint(src[i+2])
		binary.LittleEndian.PutUint32(dst[j:], uint32(base64Pairs[v>>12])|uint32(base64Pairs[v&0xfff])<<16)
	}
	if i < len(src) {
		// The last one or two bytes: let the standard encoder pad them.
		var last [3]byte
		base64.StdEncoding.Encode(dst[j:], last[:copy(last[:], src[i:])])
	}
	return b
}
