package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"time"
)

// Secrets (API tokens and session ids) are 32 random bytes. Only their
// SHA-256 is stored: they have full entropy, so a slow hash buys nothing,
// and a stolen database does not yield usable credentials.

// TokenPrefix marks Qalxan API tokens so secret scanners can find leaked ones.
const TokenPrefix = "qxt_"

// NewSecret returns a fresh random secret with the given prefix.
func NewSecret(prefix string) string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("auth: crypto/rand failed: " + err.Error()) // never happens on supported systems
	}
	return prefix + base64.RawURLEncoding.EncodeToString(b)
}

// HashSecret is the stored form of a secret.
func HashSecret(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// LooksLikeToken reports whether s has the shape of an API token.
func LooksLikeToken(s string) bool {
	return strings.HasPrefix(s, TokenPrefix) && len(s) == len(TokenPrefix)+43
}

// Token is an API token's record; the secret itself is shown once, at creation.
type Token struct {
	ID         int64     `json:"id"`
	UserID     int64     `json:"user_id"`
	UserName   string    `json:"user_name,omitempty"`
	Name       string    `json:"name"`   // what it is for
	Prefix     string    `json:"prefix"` // first characters, to recognise it in lists
	CreatedAt  time.Time `json:"created_at"`
	ExpiresAt  time.Time `json:"expires_at"`
	LastUsedAt time.Time `json:"last_used_at,omitzero"`
	RevokedAt  time.Time `json:"revoked_at,omitzero"`
}

// Active reports whether the token may be used at time now.
func (t *Token) Active(now time.Time) bool {
	return t.RevokedAt.IsZero() && now.Before(t.ExpiresAt)
}

// Session is a signed-in browser.
type Session struct {
	UserID    int64
	CreatedAt time.Time
	ExpiresAt time.Time
}
