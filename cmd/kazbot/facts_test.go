package main

import (
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"testing"
)

func TestFactsOutputMatchesTheGoldenFiles(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		golden string
	}{
		{"every fact is listed as JSON, one per line", []string{"--json"}, "facts-json.golden"},
		{"the facts of a topic are listed as id, topic and question", []string{"--topic", "united-nations"}, "facts-topic.golden"},
		{"every fact is listed as id, topic and question", nil, "facts.golden"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runKazbot(t, append([]string{"facts", "--knowledge", "testdata/pack"}, tt.args...)...)
			if code != 0 || errOut != "" {
				t.Fatalf("exit %d, stderr %q; want 0 and nothing", code, errOut)
			}
			checkGolden(t, tt.golden, out)
		})
	}
}

func TestFactsJSONHasExactlyTheContractKeysAndNoNulls(t *testing.T) {
	_, out, _ := runKazbot(t, "facts", "--json", "--knowledge", "testdata/pack")
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 3 {
		t.Fatalf("got %d lines, want 3:\n%s", len(lines), out)
	}
	want := []string{"alternates", "answer", "date", "id", "question", "related", "source", "topic"}
	for _, line := range lines {
		var obj map[string]json.RawMessage
		if err := json.Unmarshal([]byte(line), &obj); err != nil {
			t.Fatalf("line %q: %v", line, err)
		}
		if got := slices.Sorted(maps.Keys(obj)); !slices.Equal(got, want) {
			t.Errorf("keys = %v, want %v", got, want)
		}
		if strings.Contains(line, "null") {
			t.Errorf("line has a null: %s", line)
		}
	}
	last := lines[2] // un-agencies: no date, no related
	if !strings.Contains(last, `"date":""`) || !strings.Contains(last, `"related":[]`) {
		t.Errorf("undated fact without related = %s, want date \"\" and related []", last)
	}
}

func TestFactsWithAnUnknownTopicListsTheKnownOnes(t *testing.T) {
	code, out, errOut := runKazbot(t, "facts", "--topic", "mars", "--knowledge", "testdata/pack")
	want := "kazbot facts: unknown topic \"mars\"; the topics are russia, united-nations\n"
	if code != 1 || out != "" || errOut != want {
		t.Errorf("exit %d, stdout %q, stderr %q; want 1, nothing, %q", code, out, errOut, want)
	}
}

func TestFactsOfABrokenPackFailsWithItsProblems(t *testing.T) {
	code, out, errOut := runKazbot(t, "facts", "--knowledge", "testdata/broken")
	if code != 1 || out != "" || !strings.Contains(errOut, "testdata/broken/un.yaml:3: facts[0].topic: unknown topic") {
		t.Errorf("exit %d, stdout %q, stderr %q; want 1 and the problems", code, out, errOut)
	}
}
