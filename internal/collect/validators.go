package collect

import "sync"

// Validators remembers, per URL, the ETag and Last-Modified of the last
// download that was handed on successfully, for conditional requests.
// A store that survives restarts spares a re-download after each one.
type Validators interface {
	Get(url string) (etag, lastModified string)
	Put(url, etag, lastModified string)
}

// MemoryValidators keeps validators for the life of the process.
type MemoryValidators struct {
	mu sync.Mutex
	m  map[string][2]string
}

var _ Validators = (*MemoryValidators)(nil)

func (v *MemoryValidators) Get(url string) (string, string) {
	v.mu.Lock()
	defer v.mu.Unlock()
	e := v.m[url]
	return e[0], e[1]
}

func (v *MemoryValidators) Put(url, etag, lastModified string) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.m == nil {
		v.m = map[string][2]string{}
	}
	v.m[url] = [2]string{etag, lastModified}
}
