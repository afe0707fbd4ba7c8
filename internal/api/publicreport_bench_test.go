package api_test

import (
	"bytes"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/qalxan/qalxan/internal/api"
	"github.com/qalxan/qalxan/internal/server"
	"github.com/qalxan/qalxan/internal/storage/storagetest"
	"github.com/qalxan/qalxan/internal/ui"
)

// BenchmarkPublicReport measures citizens' reports end to end over
// loopback HTTP — middleware, validation, one SQLite transaction each —
// through the JSON route and through the HTML form (with a screenshot).
// The rate limit is lifted: it is the server that is measured.
//
//	go test -run '^$' -bench BenchmarkPublicReport -benchtime 2000x ./internal/api/
func BenchmarkPublicReport(b *testing.B) {
	s := storagetest.SQLite(b)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	lim := server.NewLimiter(1<<30, time.Nanosecond)
	st := server.NewStatusLimiter()
	h := server.New(server.Deps{Store: s, Log: log,
		API: api.New(api.Deps{Store: s, Log: log, ReportLimiter: lim, StatusLimiter: st}),
		UI:  ui.New(ui.Deps{Store: s, Log: log, ReportLimiter: lim, StatusLimiter: st})})
	srv := httptest.NewServer(h)
	defer srv.Close()
	client := srv.Client()
	client.Transport.(*http.Transport).MaxIdleConnsPerHost = 64

	send := func(b *testing.B, req func() *http.Request) {
		b.ReportAllocs()
		b.ResetTimer()
		start := time.Now()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				resp, err := client.Do(req())
				if err != nil {
					b.Error(err)
					return
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusCreated {
					b.Errorf("status %d", resp.StatusCode)
					return
				}
			}
		})
		b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "reports/s")
	}
	body := []byte(`{"category":"vishing","description":"A call from 'the bank' asking for the SMS code","phone":"050 123 45 67","url":"https://kapital-bank.example/login","reporter_email":"citizen@example.az","language":"az"}`)
	b.Run("json", func(b *testing.B) {
		send(b, func() *http.Request {
			req, _ := http.NewRequest(http.MethodPost, srv.URL+"/api/v1/public/reports", bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			return req
		})
	})
	var form bytes.Buffer
	mw := multipart.NewWriter(&form)
	for k, v := range map[string]string{"category": "phishing", "description": "A fake bank page", "url": "https://kapital-bank.example/login",
		"reporter_email": "citizen@example.az"} {
		mw.WriteField(k, v)
	}
	fw, _ := mw.CreateFormFile("screenshots", "screen.png")
	fw.Write(pngScreenshot)
	mw.Close()
	b.Run("form", func(b *testing.B) {
		send(b, func() *http.Request {
			req, _ := http.NewRequest(http.MethodPost, srv.URL+"/report", bytes.NewReader(form.Bytes()))
			req.Header.Set("Content-Type", mw.FormDataContentType())
			return req
		})
	})
}

// pngScreenshot is a small real PNG (1x1).
var pngScreenshot = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89" +
	"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")
