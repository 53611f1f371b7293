package knowledge_test

import (
	"io/fs"
	"strings"
	"testing"

	"kazbot/knowledge"
)

// TestTheEmbeddedPackIsComplete holds the curated pack to its brief: valid,
// at least 65 facts, every section of the article covered, and every dated
// answer saying its year.
func TestTheEmbeddedPackIsComplete(t *testing.T) {
	p, err := knowledge.Embedded()
	if err != nil {
		t.Fatalf("the embedded pack is invalid:\n%v", err)
	}
	if n := len(p.Facts); n < 65 {
		t.Errorf("the pack has %d facts, want at least 65", n)
	}
	if n := len(p.Sections); n != 13 {
		t.Errorf("pack.yaml lists %d sections, want the article's 13", n)
	}
	for _, s := range p.Sections {
		if p.Coverage()[s] == 0 {
			t.Errorf("no fact comes from section %q", s)
		}
	}
	for _, f := range p.Facts {
		if year := f.Date[:min(4, len(f.Date))]; year != "" && !strings.Contains(f.Answer, year) {
			t.Errorf("fact %s is dated %s but its answer does not say %s: %q", f.ID, f.Date, year, f.Answer)
		}
	}
}

func TestEmbeddedFSHoldsPackYAMLAtItsRoot(t *testing.T) {
	if _, err := fs.Stat(knowledge.EmbeddedFS(), knowledge.PackFile); err != nil {
		t.Error(err)
	}
}
