package server

import (
	"mime"
	"net/http"
	"strconv"
)

// SendAttachment sends a file that came from outside (evidence, a
// reporter's screenshot) for download, never for display: a captured
// phishing page opened in our origin would run its scripts with the
// reader's session. So it is always an attachment, of a type no browser
// renders, in a sandbox; the SHA-256 and the sniffed media type ride in
// headers for the record.
func SendAttachment(w http.ResponseWriter, name, sha256, mediaType string, data []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/octet-stream")
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Evidence-SHA256", sha256)
	h.Set("X-Evidence-Media-Type", mediaType)
	h.Set("Content-Length", strconv.Itoa(len(data)))
	w.WriteHeader(http.StatusOK)
	w.Write(data)
}
