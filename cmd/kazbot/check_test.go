package main

import (
	"strings"
	"testing"
)

func TestCheck(t *testing.T) {
	t.Run("a valid pack prints its summary and exits 0", func(t *testing.T) {
		code, out, errOut := runKazbot(t, "check", "--knowledge", "testdata/pack")
		if code != 0 || errOut != "" {
			t.Errorf("exit %d, stderr %q; want 0 and nothing", code, errOut)
		}
		checkGolden(t, "check-pack.golden", out)
	})
	t.Run("a misspelt alternate is warned about on stderr and exits 0", func(t *testing.T) {
		code, out, errOut := runKazbot(t, "check", "--knowledge", "testdata/typo-pack")
		want := `warning: fact un-membership, alternate "joined the united natoins": "natoins" looks like a typo of "nations"` + "\n"
		if code != 0 || errOut != want {
			t.Errorf("exit %d, stderr %q; want 0 and %q", code, errOut, want)
		}
		checkGolden(t, "check-pack.golden", out)
	})
	t.Run("a broken pack prints every problem and a count and exits 1", func(t *testing.T) {
		code, out, errOut := runKazbot(t, "check", "-knowledge=testdata/broken")
		if code != 1 || out != "" {
			t.Errorf("exit %d, stdout %q; want 1 and nothing", code, out)
		}
		checkGolden(t, "check-broken.golden", errOut)
	})
	t.Run("a missing directory is an error naming it and exits 1", func(t *testing.T) {
		code, _, errOut := runKazbot(t, "check", "--knowledge", "testdata/no-such-pack")
		if code != 1 || !strings.Contains(errOut, "kazbot check: ") || !strings.Contains(errOut, "testdata/no-such-pack") {
			t.Errorf("exit %d, stderr %q; want 1 and the directory named", code, errOut)
		}
	})
	t.Run("-h prints the usage and exits 0", func(t *testing.T) {
		code, _, errOut := runKazbot(t, "check", "-h")
		if code != 0 || !strings.Contains(errOut, "Usage: kazbot check [--knowledge DIR]") || !strings.Contains(errOut, "-knowledge DIR") {
			t.Errorf("exit %d, stderr %q; want 0 and the usage", code, errOut)
		}
	})
	t.Run("a bad flag exits 2", func(t *testing.T) {
		code, _, errOut := runKazbot(t, "check", "--colour")
		if code != 2 || !strings.Contains(errOut, "flag provided but not defined: -colour") {
			t.Errorf("exit %d, stderr %q; want 2 and the flag named", code, errOut)
		}
	})
	t.Run("an argument exits 2", func(t *testing.T) {
		code, _, errOut := runKazbot(t, "check", "testdata/pack")
		if code != 2 || !strings.Contains(errOut, `unexpected argument "testdata/pack"`) {
			t.Errorf("exit %d, stderr %q; want 2 and the argument named", code, errOut)
		}
	})
}
