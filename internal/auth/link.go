package auth

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"strings"
	"time"
)

// Notice links let an agency's contact open their organisation's findings
// from an e-mail without an account. The token carries the organisation,
// the contact and the expiry, signed with HMAC-SHA256 under a server key:
//
//	base64url(payload) "." base64url(HMAC-SHA256(key, payload))
//	payload = version(1) | org id (uvarint) | expiry, Unix seconds (uvarint) | contact
//
// Nothing is stored per link; a link is as good as the key, so the key is
// secret and a changed key revokes every link at once.

// linkVersion is the first byte of the payload.
const linkVersion = 1

// ErrLinkInvalid is a token that is malformed, was altered, or was signed
// with another key.
var ErrLinkInvalid = errors.New("auth: link is not valid")

// ErrLinkExpired is a genuine token past its expiry.
var ErrLinkExpired = errors.New("auth: link has expired")

// LinkActorPrefix starts the actor name of someone signed in by a notice
// link ("link:soc@example.gov.az"), so history and audit show where the
// action came from.
const LinkActorPrefix = "link:"

// SignLink returns a token for contact of organisation orgID, valid until
// expires.
func SignLink(key []byte, orgID int64, contact string, expires time.Time) string {
	p := make([]byte, 0, 1+2*binary.MaxVarintLen64+len(contact))
	p = append(p, linkVersion)
	p = binary.AppendUvarint(p, uint64(orgID))
	p = binary.AppendUvarint(p, uint64(expires.Unix()))
	p = append(p, contact...)
	enc := base64.RawURLEncoding
	return enc.EncodeToString(p) + "." + enc.EncodeToString(linkMAC(key, p))
}

// VerifyLink checks a token's signature, then its expiry at now, and
// returns the organisation and contact it was made for. A token that fails
// the signature is ErrLinkInvalid whatever it claims; only a genuine one
// can be ErrLinkExpired.
func VerifyLink(key []byte, token string, now time.Time) (orgID int64, contact string, err error) {
	if len(key) == 0 || len(token) > 2048 {
		return 0, "", ErrLinkInvalid
	}
	enc := base64.RawURLEncoding
	p64, m64, ok := strings.Cut(token, ".")
	if !ok {
		return 0, "", ErrLinkInvalid
	}
	p, err1 := enc.DecodeString(p64)
	mac, err2 := enc.DecodeString(m64)
	if err1 != nil || err2 != nil || !hmac.Equal(mac, linkMAC(key, p)) {
		return 0, "", ErrLinkInvalid
	}
	if len(p) < 1 || p[0] != linkVersion {
		return 0, "", ErrLinkInvalid
	}
	rest := p[1:]
	org, n := binary.Uvarint(rest)
	if n <= 0 || org == 0 || org > 1<<62 {
		return 0, "", ErrLinkInvalid
	}
	rest = rest[n:]
	exp, n := binary.Uvarint(rest)
	if n <= 0 || exp > 1<<62 {
		return 0, "", ErrLinkInvalid
	}
	contact = string(rest[n:])
	if contact == "" {
		return 0, "", ErrLinkInvalid
	}
	if !now.Before(time.Unix(int64(exp), 0)) {
		return 0, "", ErrLinkExpired
	}
	return int64(org), contact, nil
}

func linkMAC(key, payload []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("qalxan-link\x00"))
	m.Write(payload)
	return m.Sum(nil)
}
