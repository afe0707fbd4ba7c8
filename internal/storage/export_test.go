package storage

// SetWALRestartFrames lets a test bound the WAL at a few frames; it
// returns a function that puts the bound back.
func SetWALRestartFrames(n int64) (restore func()) {
	old := walRestartFrames.Swap(n)
	return func() { walRestartFrames.Store(old) }
}
