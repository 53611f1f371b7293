package knowledge

import (
	"embed"
	"io/fs"
)

// embedded holds the curated Kazakhstan pack.
//
//go:embed kazakhstan/*.yaml
var embedded embed.FS

// embeddedDir is where the embedded pack lives in the source tree, used to
// name files in its errors.
const embeddedDir = "knowledge/kazakhstan"

// EmbeddedFS returns the files of the curated Kazakhstan pack, rooted at the
// pack directory (pack.yaml is at its root).
func EmbeddedFS() fs.FS {
	sub, err := fs.Sub(embedded, "kazakhstan")
	if err != nil {
		panic(err) // only for an invalid path, and the path is a constant
	}
	return sub
}

// Embedded loads and validates the curated Kazakhstan pack built into the
// binary. It parses the pack on every call; call it once at startup. Its
// errors name files by their path in the source tree
// (knowledge/kazakhstan/...).
func Embedded() (*Pack, error) {
	p, err := Load(EmbeddedFS())
	if err != nil {
		return nil, under(embeddedDir, err)
	}
	return p, nil
}
