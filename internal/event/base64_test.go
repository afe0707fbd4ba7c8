package event

import (
	"encoding/base64"
	"testing"
)

func TestAppendBase64(t *testing.T) {
	src := make([]byte, 300)
	for i := range src {
		src[i] = byte(i*151 + i>>3)
	}
	for n := range len(src) {
		want := base64.StdEncoding.AppendEncode([]byte("x"), src[:n])
		if got := appendBase64([]byte("x"), string(src[:n])); string(got) != string(want) {
			t.Fatalf("%d bytes: got %s, want %s", n, got, want)
		}
	}
}

func FuzzAppendBase64(f *testing.F) {
	f.Add([]byte("hello, world"))
	f.Fuzz(func(t *testing.T, src []byte) {
		if got, want := appendBase64(nil, string(src)), base64.StdEncoding.AppendEncode(nil, src); string(got) != string(want) {
			t.Fatalf("got %s, want %s", got, want)
		}
	})
}

func BenchmarkAppendBase64(b *testing.B) {
	src := make([]byte, 1200)
	for i := range src {
		src[i] = byte(i)
	}
	s := string(src)
	buf := make([]byte, 0, 2000)
	b.SetBytes(int64(len(src)))
	b.Run("stdlib", func(b *testing.B) {
		for b.Loop() {
			buf = base64.StdEncoding.AppendEncode(buf[:0], src)
		}
	})
	b.Run("pairs", func(b *testing.B) {
		for b.Loop() {
			buf = appendBase64(buf[:0], s)
		}
	})
}
