package ui

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
)

//go:embed static
var staticFS embed.FS

// asset is one static file with the hash that names its version.
type asset struct {
	body  []byte
	hash  string
	ctype string
}

// assets are the static files, read and hashed once at start-up. URLs carry
// the content hash (/static/<hash>/app.css), so browsers may cache a file
// for a year and still fetch the new one as soon as it changes.
type assets struct{ files map[string]*asset }

func loadAssets() *assets {
	a := &assets{files: map[string]*asset{}}
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		ctype := mime.TypeByExtension(path.Ext(p))
		if ctype == "" {
			ctype = "application/octet-stream"
		}
		a.files[path.Base(p)] = &asset{body: b, hash: hex.EncodeToString(sum[:6]), ctype: ctype}
		return nil
	})
	if err != nil {
		panic("ui: static files: " + err.Error())
	}
	return a
}

// url is the versioned URL of a static file, for the template func "static".
func (a *assets) url(name string) string {
	f, ok := a.files[name]
	if !ok {
		panic("ui: no static file " + name) // a template bug: fail the first render, loudly
	}
	return "/static/" + f.hash + "/" + name
}

// static serves /static/<hash>/<name>. A request for an older hash (a page
// rendered by a previous version, during an upgrade) still gets the current
// file, but without the long cache lifetime, so it is not stored under the
// wrong version.
func (h *handler) static(w http.ResponseWriter, r *http.Request) {
	f, ok := h.assets.files[r.PathValue("name")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", f.ctype)
	hd.Set("Content-Length", strconv.Itoa(len(f.body)))
	if r.PathValue("hash") == f.hash {
		hd.Set("Cache-Control", "public, max-age=31536000, immutable")
		hd.Set("ETag", `"`+f.hash+`"`)
	} else {
		hd.Set("Cache-Control", "no-cache")
	}
	if r.Method == http.MethodHead {
		return
	}
	w.Write(f.body)
}
