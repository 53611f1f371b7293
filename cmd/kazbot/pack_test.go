package main

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// runKazbot runs kazbot with args and buffers for stdio.
func runKazbot(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = Run(context.Background(), args, Stdio{In: new(bytes.Buffer), Out: &out, Err: &errOut})
	return code, out.String(), errOut.String()
}

// checkGolden compares got with testdata/name, rewriting the file instead
// under -update.
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (run go test -update to accept it)\ngot:\n%s\nwant:\n%s", path, got, want)
	}
}

func TestLoadPackReadsTheDirectoryItIsGiven(t *testing.T) {
	p, err := loadPack("testdata/pack")
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != "test" || len(p.Facts) != 3 {
		t.Errorf("loaded pack %q with %d facts, want test with 3", p.Name, len(p.Facts))
	}
}
