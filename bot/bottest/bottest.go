// Package bottest gives tests a small knowledge pack and an engine over it,
// so adapter tests do not depend on the contents of the real pack.
package bottest

import (
	"bytes"
	"embed"
	"io/fs"
	"sync"
	"testing"

	"kazbot/bot"
	"kazbot/knowledge"
)

//go:embed pack/*.yaml
var packFS embed.FS

// Pack loads the test pack or fails the test.
func Pack(t testing.TB) *knowledge.Pack {
	t.Helper()
	sub, err := fs.Sub(packFS, "pack")
	if err != nil {
		t.Fatal(err)
	}
	p, err := knowledge.Load(sub)
	if err != nil {
		t.Fatalf("load test pack: %v", err)
	}
	return p
}

// Engine returns an engine over the test pack with opts applied.
func Engine(t testing.TB, opts ...bot.Option) *bot.Engine {
	t.Helper()
	e, err := bot.New(Pack(t), opts...)
	if err != nil {
		t.Fatalf("new engine: %v", err)
	}
	return e
}

// Buffer is an io.Writer that tests may read while other goroutines write
// to it (a log sink for a running adapter or server).
type Buffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// Write appends p.
func (b *Buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// String returns everything written so far.
func (b *Buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
