// Package i18n is the message catalogue of the user interface: every text a
// page shows, in Azerbaijani (the default), English and Russian. Messages are
// JSON files embedded in the binary, one flat object of key → text per
// language; a text may hold fmt verbs filled by T's arguments.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
)

// Default is the language of a user who has not chosen one.
const Default = "az"

//go:embed messages/*.json
var files embed.FS

// languages lists the supported languages in the order a switcher shows them.
var languages = []string{"az", "en", "ru"}

// native names each language in itself, as language switchers do, so a
// reader finds their language whatever the page is currently shown in.
var native = map[string]string{"az": "Azərbaycanca", "en": "English", "ru": "Русский"}

// catalogue maps language → key → text. It is filled once, when first
// needed (decoding the files at start-up cost every command, even those
// that show no text, several milliseconds), and only read afterwards.
var catalogue = sync.OnceValue(load)

func load() map[string]map[string]string {
	c := make(map[string]map[string]string, len(languages))
	for _, lang := range languages {
		b, err := files.ReadFile("messages/" + lang + ".json")
		if err != nil {
			panic("i18n: " + err.Error()) // embedded: cannot happen unless the build is broken
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			panic(fmt.Sprintf("i18n: messages/%s.json: %v", lang, err))
		}
		c[lang] = m
	}
	return c
}

// Languages lists the supported language codes.
func Languages() []string { return slices.Clone(languages) }

// Supported reports whether lang is one of Languages.
func Supported(lang string) bool { return slices.Contains(languages, lang) }

// Name is the language's name in itself ("Русский"), or the code itself.
func Name(lang string) string {
	if n, ok := native[lang]; ok {
		return n
	}
	return lang
}

// Match picks the supported language of a tag such as "ru-RU" or "AZ",
// or returns "" when the tag names none.
func Match(tag string) string {
	base, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(tag)), "-")
	base, _, _ = strings.Cut(base, "_")
	if Supported(base) {
		return base
	}
	return ""
}

// Has reports whether lang's catalogue itself holds key (no fallback).
func Has(lang, key string) bool {
	_, ok := catalogue()[lang][key]
	return ok
}

// T returns the text of key in lang, formatted with args as fmt.Sprintf
// does. A key missing in lang falls back to English, and a key missing
// everywhere to the key itself, so a gap shows up as a readable key on the
// page rather than as an empty space.
func T(lang, key string, args ...any) string {
	c := catalogue()
	msg, ok := c[lang][key]
	if !ok {
		if msg, ok = c["en"][key]; !ok {
			msg = key
		}
	}
	if len(args) == 0 {
		return msg
	}
	return fmt.Sprintf(msg, args...)
}
