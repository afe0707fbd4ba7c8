package auth_test

import (
	"bytes"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/qalxan/qalxan/internal/auth"
)

func TestLink(t *testing.T) {
	key := bytes.Repeat([]byte{7}, 32)
	now := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	tok := auth.SignLink(key, 42, "soc@mdt.gov.az", now.Add(30*24*time.Hour))
	if strings.ContainsAny(tok, "+/=?&# ") {
		t.Errorf("token %q is not URL-safe", tok)
	}
	org, contact, err := auth.VerifyLink(key, tok, now)
	if err != nil || org != 42 || contact != "soc@mdt.gov.az" {
		t.Fatalf("VerifyLink: got %d, %q, %v; want 42, soc@mdt.gov.az, nil", org, contact, err)
	}

	p64, m64, _ := strings.Cut(tok, ".")
	payload, _ := base64.RawURLEncoding.DecodeString(p64)
	other := append([]byte{}, payload...)
	other[1]++ // another organisation
	forged := base64.RawURLEncoding.EncodeToString(other) + "." + m64
	flipped := []byte(tok)
	flipped[len(flipped)-1] ^= 1
	for _, tc := range []struct {
		name  string
		key   []byte
		token string
		now   time.Time
		want  error
	}{
		{"expired", key, tok, now.Add(31 * 24 * time.Hour), auth.ErrLinkExpired},
		{"at expiry", key, tok, now.Add(30 * 24 * time.Hour), auth.ErrLinkExpired},
		{"wrong key", bytes.Repeat([]byte{8}, 32), tok, now, auth.ErrLinkInvalid},
		{"no key", nil, tok, now, auth.ErrLinkInvalid},
		{"other org, same signature", key, forged, now, auth.ErrLinkInvalid},
		{"signature changed", key, string(flipped), now, auth.ErrLinkInvalid},
		{"no signature", key, p64, now, auth.ErrLinkInvalid},
		{"garbage", key, "%%%.###", now, auth.ErrLinkInvalid},
		{"empty", key, "", now, auth.ErrLinkInvalid},
		// An expired link signed with another key is refused as invalid,
		// not as expired: only a genuine token's claims are believed.
		{"wrong key and expired", bytes.Repeat([]byte{8}, 32), tok, now.Add(40 * 24 * time.Hour), auth.ErrLinkInvalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			org, contact, err := auth.VerifyLink(tc.key, tc.token, tc.now)
			if !errors.Is(err, tc.want) || org != 0 || contact != "" {
				t.Errorf("got %d, %q, %v; want 0, \"\", %v", org, contact, err, tc.want)
			}
		})
	}
}
