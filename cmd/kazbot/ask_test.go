package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"
)

func runWithInput(t *testing.T, in string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = Run(context.Background(), args, Stdio{In: strings.NewReader(in), Out: &out, Err: &errOut})
	return code, out.String(), errOut.String()
}

func TestAskPrintsAnswerAndSource(t *testing.T) {
	code, out, errOut := runKazbot(t, "ask", "--knowledge", "testdata/pack", "when did kz join the un?")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "168th") || !strings.Contains(out, "Source: Kazakhstan and the United Nations") {
		t.Errorf("output %q", out)
	}
}

func TestAskJSONFollowsTheContract(t *testing.T) {
	code, out, errOut := runWithInput(t, "when did kz join the un\n\nwhen did brazil join the un\nhi\n",
		"ask", "--json", "--knowledge", "testdata/pack")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 {
		t.Fatalf("%d lines, want 3 (blank input lines skipped):\n%s", len(lines), out)
	}
	want := []struct{ kind, fact string }{{"fact", "un-membership"}, {"fallback", ""}, {"smalltalk", ""}}
	for i, line := range lines {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("line %d: %v", i, err)
		}
		keys := []string{"question", "kind", "fact_id", "answer", "confidence", "topic", "source", "suggestions"}
		if len(m) != len(keys) {
			t.Errorf("line %d has keys %v", i, m)
		}
		for _, k := range keys {
			if _, ok := m[k]; !ok {
				t.Errorf("line %d lacks %q", i, k)
			}
		}
		if m["kind"] != want[i].kind || m["fact_id"] != want[i].fact {
			t.Errorf("line %d: kind %v fact %v, want %s %q", i, m["kind"], m["fact_id"], want[i].kind, want[i].fact)
		}
	}
}

func TestAskRejectsABadPack(t *testing.T) {
	code, _, errOut := runKazbot(t, "ask", "--knowledge", "testdata/broken", "hi")
	if code != 1 || !strings.Contains(errOut, ".yaml:") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
}

func TestEvalReportsAndEnforcesMin(t *testing.T) {
	code, out, errOut := runKazbot(t, "eval", "--knowledge", "testdata/pack", "testdata/eval-small.tsv")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, w := range []string{"top-1 accuracy", "2/2", "correct refusals", "russia", "united-nations"} {
		if !strings.Contains(out, w) {
			t.Errorf("report lacks %q:\n%s", w, out)
		}
	}
	if code, _, _ := runKazbot(t, "eval", "--min", "1", "--knowledge", "testdata/pack", "testdata/eval-small.tsv"); code != 0 {
		t.Errorf("--min 1 on a perfect run exited %d", code)
	}
}

func TestEvalFailsBelowMin(t *testing.T) {
	dir := t.TempDir()
	path := dir + "/hard.tsv"
	writeFile(t, path, "un-agencies\twhen did kz join the un\n")
	code, out, errOut := runKazbot(t, "eval", "--min", "0.9", "--knowledge", "testdata/pack", path)
	if code != 1 || !strings.Contains(errOut, "below --min") || !strings.Contains(out, "misses (1)") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

func TestEvalArgumentErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no file is a usage error", []string{"eval"}, 2, "exactly one"},
		{"a bad ratio is a usage error", []string{"eval", "--min", "2", "x"}, 2, "between 0 and 1"},
		{"a missing file is reported", []string{"eval", "testdata/nope.tsv"}, 1, "open evaluation file"},
		{"an unknown fact id names the line", []string{"eval", "--knowledge", "testdata/pack", "testdata/eval-badid.tsv"}, 1, "line 1: unknown fact id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := runKazbot(t, tt.args...)
			if code != tt.code || !strings.Contains(errOut, tt.want) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, errOut, tt.code, tt.want)
			}
		})
	}
}

func TestChatAnswersUntilEndOfInput(t *testing.T) {
	code, out, errOut := runWithInput(t, "when did kz join the un\n/topics\n", "chat", "--quiet", "--knowledge", "testdata/pack")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, w := range []string{"168th", "1. Russia", "2. United Nations"} {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
