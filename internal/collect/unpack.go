package collect

import (
	"archive/zip"
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/qalxan/qalxan/internal/errs"
)

// UnpackLimits bound what an archive may unpack to, so that a zip bomb (a
// small file that unpacks to gigabytes) is refused instead of filling
// memory or disk. Zero fields take the defaults.
type UnpackLimits struct {
	MaxArchive int64 // bytes of a ZIP file itself; default 256 MiB
	MaxTotal   int64 // bytes unpacked from one archive, all members together; default 1 GiB
	MaxMembers int   // files in one ZIP; default 1000
}

func (l UnpackLimits) withDefaults() UnpackLimits {
	if l.MaxArchive <= 0 {
		l.MaxArchive = 256 << 20
	}
	if l.MaxTotal <= 0 {
		l.MaxTotal = 1 << 30
	}
	if l.MaxMembers <= 0 {
		l.MaxMembers = 1000
	}
	return l
}

var (
	zipMagic      = []byte("PK\x03\x04")
	emptyZipMagic = []byte("PK\x05\x06")
	gzipMagic     = []byte{0x1f, 0x8b}
)

// Unpack wraps h so that a ZIP or GZIP report (recognised by its first
// bytes, not its name) reaches h as its member files, one report each, with
// the archive's name in Meta[MetaArchive]. Anything else passes through.
// Archives inside archives are handed on as they are, not unpacked: a
// report is never nested in practice, and following them would multiply
// the work a hostile file can cause.
func Unpack(lim UnpackLimits, h Handler) Handler {
	lim = lim.withDefaults()
	return func(ctx context.Context, r Report) error {
		br := bufio.NewReaderSize(r.Content, 64<<10)
		magic, _ := br.Peek(4) // a short or failing read shows up when h reads
		switch {
		case bytes.HasPrefix(magic, zipMagic) || bytes.HasPrefix(magic, emptyZipMagic):
			return unzip(ctx, lim, r, br, h)
		case bytes.HasPrefix(magic, gzipMagic):
			return gunzip(ctx, lim, r, br, h)
		default:
			r.Content = br
			return h(ctx, r)
		}
	}
}

func gunzip(ctx context.Context, lim UnpackLimits, r Report, content io.Reader, h Handler) error {
	zr, err := gzip.NewReader(content)
	if err != nil {
		return invalid(err, "%s: not a readable GZIP file", r.Name)
	}
	defer zr.Close()
	name := memberName(zr.Name)
	if name == "" {
		name = strings.TrimSuffix(strings.TrimSuffix(r.Name, ".gz"), ".gzip")
	}
	b := &budget{left: lim.MaxTotal}
	m := member(r, name, "", b.reader(zr))
	err = h(ctx, m)
	if b.over {
		return invalid(ErrTooLarge, "%s: unpacks to more than %d bytes (a zip bomb?)", r.Name, lim.MaxTotal)
	}
	return err
}

func unzip(ctx context.Context, lim UnpackLimits, r Report, content io.Reader, h Handler) error {
	ra, size, done, err := spool(content, lim.MaxArchive)
	if errors.Is(err, ErrTooLarge) {
		return invalid(err, "%s", r.Name)
	}
	if err != nil {
		return fmt.Errorf("collect: %s: %w", r.Name, err)
	}
	defer done()
	zr, err := zip.NewReader(ra, size)
	if err != nil {
		return invalid(err, "%s: not a readable ZIP file", r.Name)
	}
	if len(zr.File) > lim.MaxMembers {
		return invalid(ErrTooLarge, "%s: holds %d files, more than the limit of %d", r.Name, len(zr.File), lim.MaxMembers)
	}
	b := &budget{left: lim.MaxTotal}
	for _, f := range zr.File {
		name := memberName(f.Name)
		if f.FileInfo().IsDir() || name == "" || strings.HasPrefix(f.Name, "__MACOSX/") {
			continue // folders and the resource forks macOS adds
		}
		// The declared size may lie, so the budget reader counts too; but
		// an honest bomb is refused before a byte is inflated.
		if f.UncompressedSize64 > uint64(b.left) {
			return invalid(ErrTooLarge, "%s: unpacks to more than %d bytes (a zip bomb?)", r.Name, lim.MaxTotal)
		}
		if err := unzipMember(ctx, r, f, name, b, h); err != nil {
			if b.over {
				return invalid(ErrTooLarge, "%s: unpacks to more than %d bytes (a zip bomb?)", r.Name, lim.MaxTotal)
			}
			return err
		}
		if b.over {
			return invalid(ErrTooLarge, "%s: unpacks to more than %d bytes (a zip bomb?)", r.Name, lim.MaxTotal)
		}
	}
	return nil
}

func unzipMember(ctx context.Context, r Report, f *zip.File, name string, b *budget, h Handler) error {
	rc, err := f.Open()
	if err != nil {
		return invalid(err, "%s: member %s", r.Name, f.Name)
	}
	defer rc.Close()
	return h(ctx, member(r, name, f.Name, b.reader(rc)))
}

// member is the report for one file of archive r.
func member(r Report, name, fullName string, content io.Reader) Report {
	meta := copyMeta(r.Meta, MetaArchive, r.Name)
	if fullName != "" {
		meta[MetaArchiveMember] = fullName
	}
	return Report{Name: name, Source: r.Source, ReceivedAt: r.ReceivedAt, Meta: meta, Content: content}
}

// memberName is the base name of an archive member, whatever separator
// the archiver used.
func memberName(n string) string {
	b := path.Base(strings.ReplaceAll(n, `\`, "/"))
	if b == "." || b == "/" {
		return ""
	}
	return b
}

// budget is the number of bytes an archive may still unpack to, shared by
// its members.
type budget struct {
	left int64
	over bool
}

func (b *budget) reader(r io.Reader) io.Reader { return &budgetReader{r: r, b: b} }

type budgetReader struct {
	r io.Reader
	b *budget
}

func (br *budgetReader) Read(p []byte) (int, error) {
	if br.b.over {
		return 0, ErrTooLarge
	}
	// Ask for one byte more than is left, to tell "exactly at the limit"
	// from "over it".
	if int64(len(p)) > br.b.left+1 {
		p = p[:br.b.left+1]
	}
	n, err := br.r.Read(p)
	if int64(n) > br.b.left {
		br.b.over = true
		br.b.left = 0
		return 0, ErrTooLarge
	}
	br.b.left -= int64(n)
	return n, err
}

// invalid builds an error with the Invalid code: the report itself is at
// fault, so a drop folder sets it aside rather than retrying.
func invalid(cause error, format string, args ...any) error {
	msg := "collect: " + fmt.Sprintf(format, args...)
	return &errs.Error{Code: errs.Invalid, Message: msg, Format: format, Args: args, Err: cause}
}
