package collect

import (
	"context"
	"io"
	"strings"
	"testing"
)

// FuzzMailReports feeds arbitrary bytes to the MIME walker: whatever a
// sender puts in a mail, it returns an error or reports, never panics.
func FuzzMailReports(f *testing.F) {
	f.Add([]byte("Subject: x\r\nContent-Type: text/csv; name=\"a.csv\"\r\n\r\na,b\r\n"))
	f.Add([]byte("Subject: =?koi8-r?B?8NLJ18XU?=\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=B\r\n\r\n" +
		"--B\r\nContent-Type: application/zip\r\nContent-Disposition: attachment; filename=\"r.zip\"\r\nContent-Transfer-Encoding: base64\r\n\r\nUEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==\r\n--B--\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		h := func(ctx context.Context, r Report) error {
			if !wanted(r.Name, DefaultAttachmentTypes) || strings.ContainsAny(r.Name, "/\\") {
				t.Fatalf("handed on %q, want only wanted base names", r.Name)
			}
			_, err := io.Copy(io.Discard, io.LimitReader(r.Content, 1<<20))
			return err
		}
		mailReports(context.Background(), strings.NewReader(string(data)), Report{}, DefaultAttachmentTypes, h)
	})
}
