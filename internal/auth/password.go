package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"
	"sync"

	"golang.org/x/crypto/argon2"

	"github.com/qalxan/qalxan/internal/errs"
)

// Argon2id parameters: RFC 9106's second recommended option (64 MiB, 3
// passes), with 2 lanes to match small servers. Parameters travel inside the
// hash, so raising them later does not invalidate existing passwords.
const (
	argonTime    = 3
	argonMemory  = 64 * 1024
	argonThreads = 2
	argonKeyLen  = 32
	saltLen      = 16

	MinPasswordLen = 12
	MaxPasswordLen = 1024 // hashing cost is bounded; refuse absurd inputs
)

// CheckPasswordPolicy refuses passwords too short to resist guessing.
func CheckPasswordPolicy(pw string) error {
	if n := len([]rune(pw)); n < MinPasswordLen {
		return errs.Field("password", "must be at least %d characters", MinPasswordLen)
	}
	if len(pw) > MaxPasswordLen {
		return errs.Field("password", "must be at most %d bytes", MaxPasswordLen)
	}
	return nil
}

// HashPassword returns an argon2id hash in the PHC string format
// ($argon2id$v=19$m=65536,t=3,p=2$salt$key).
func HashPassword(pw string) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("auth: salt: %w", err)
	}
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, argonMemory, argonTime, argonThreads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// VerifyPassword reports whether pw matches the PHC-format hash.
func VerifyPassword(hash, pw string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" || len(pw) > MaxPasswordLen {
		return false
	}
	var version int
	var mem, iter uint32
	var threads uint8
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &mem, &iter, &threads); err != nil || mem > 1<<21 || iter > 64 || threads == 0 {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	want, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(pw), salt, iter, mem, threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// dummyHash is verified against when a login names no existing user, so a
// failed login takes the same time whether or not the user exists. It is
// made on first use: hashing costs 64 MiB and a third of a second, which
// every command would otherwise pay at start.
var dummyHash = sync.OnceValue(func() string {
	h, _ := HashPassword("qalxan-dummy-password-for-timing")
	return h
})

// VerifyNothing burns the time of one verification.
func VerifyNothing(pw string) { VerifyPassword(dummyHash(), pw) }
