package ui

import (
	"encoding/csv"
	"net/http"
)

// streamCSV writes a list export as it is read: the first page, then each
// page from more(cursor) until there is none or maxExportRows are out.
// Once the header is sent an error can only cut the file short: it is
// logged and the connection aborted, so the reader sees a broken download
// rather than a file that looks whole.
func streamCSV[T any](h *handler, w http.ResponseWriter, r *http.Request, what string, columns []string,
	page []T, next int64, more func(before int64) ([]T, int64, error), row func(T) []string) {
	name := "qalxan-" + what + "-" + h.Store.Now().In(h.Location).Format("2006-01-02") + ".csv"
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	cw := csv.NewWriter(w)
	cw.Write(columns)
	rows := 0
	for {
		for _, x := range page {
			cw.Write(row(x))
		}
		rows += len(page)
		cw.Flush()
		if next == 0 || rows >= maxExportRows || cw.Error() != nil {
			return
		}
		var err error
		if page, next, err = more(next); err != nil {
			if r.Context().Err() == nil {
				h.Log.Error("ui: "+what+" export failed", "after_rows", rows, "err", err)
			}
			panic(http.ErrAbortHandler)
		}
	}
}
