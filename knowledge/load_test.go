package knowledge_test

import (
	"errors"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"kazbot/knowledge"
)

func TestLoadAcceptsAValidPack(t *testing.T) {
	p, err := knowledge.Load(os.DirFS("testdata/valid"))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if p.Name != "test" || p.Title != "Test pack" || len(p.Sections) != 3 || len(p.Topics) != 2 {
		t.Errorf("header = %q %q, %d sections, %d topics; want test, Test pack, 3, 2", p.Name, p.Title, len(p.Sections), len(p.Topics))
	}

	t.Run("facts are in file order and drafts and other files are ignored", func(t *testing.T) {
		want := []string{"friendship-treaty", "eaeu-founder", "un-membership", "unsc-2017", "un-agencies"}
		if got := ids(p.Facts); !slices.Equal(got, want) {
			t.Errorf("facts = %v, want %v", got, want)
		}
	})
	t.Run("strings are trimmed and folded text is joined", func(t *testing.T) {
		f, _ := p.Fact("eaeu-founder")
		if want := "Is Kazakhstan a founder of the Eurasian Economic Union?"; f.Question != want {
			t.Errorf("question = %q, want %q", f.Question, want)
		}
		if want := "Yes. Kazakhstan, Russia and Belarus founded the Eurasian Economic Union, which started work in 2015."; f.Answer != want {
			t.Errorf("answer = %q, want %q", f.Answer, want)
		}
	})
	t.Run("every field of a fact is loaded", func(t *testing.T) {
		f, ok := p.Fact("un-membership")
		if !ok {
			t.Fatal(`Fact("un-membership") not found`)
		}
		if f.Topic != "united-nations" || f.Source != "Kazakhstan and the United Nations" || f.Date != "1992" ||
			f.Details != "It was the 168th member." || len(f.Alternates) != 4 ||
			!slices.Equal(f.Tags, []string{"un", "membership"}) || !slices.Equal(f.Related, []string{"friendship-treaty", "unsc-2017"}) {
			t.Errorf("fact = %+v", f)
		}
	})
	t.Run("an unknown fact id is not found", func(t *testing.T) {
		if _, ok := p.Fact("nope"); ok {
			t.Error(`Fact("nope") found`)
		}
	})
	t.Run("topics are found by id", func(t *testing.T) {
		if tp, ok := p.Topic("russia"); !ok || tp.Title != "Russia" {
			t.Errorf(`Topic("russia") = %+v, %v`, tp, ok)
		}
		if _, ok := p.Topic("mars"); ok {
			t.Error(`Topic("mars") found`)
		}
	})
	t.Run("facts in a topic are in pack order", func(t *testing.T) {
		if got, want := ids(p.FactsInTopic("united-nations")), []string{"un-membership", "unsc-2017", "un-agencies"}; !slices.Equal(got, want) {
			t.Errorf("FactsInTopic = %v, want %v", got, want)
		}
		if got := p.FactsInTopic("mars"); len(got) != 0 {
			t.Errorf("FactsInTopic(mars) = %v, want none", ids(got))
		}
	})
	t.Run("the timeline holds dated facts by date, a bare year first", func(t *testing.T) {
		if got, want := ids(p.Timeline()), []string{"un-membership", "friendship-treaty", "eaeu-founder", "unsc-2017"}; !slices.Equal(got, want) {
			t.Errorf("Timeline = %v, want %v", got, want)
		}
	})
	t.Run("coverage counts facts per section, zero included", func(t *testing.T) {
		want := map[string]int{"Introduction": 0, "Relations with Russia": 2, "Kazakhstan and the United Nations": 3}
		if got := p.Coverage(); !maps.Equal(got, want) {
			t.Errorf("Coverage = %v, want %v", got, want)
		}
	})
}

func TestLookupsWorkOnAPackNotBuiltByLoad(t *testing.T) {
	p := &knowledge.Pack{Facts: []knowledge.Fact{{ID: "a", Topic: "t"}, {ID: "b", Topic: "u"}}}
	if f, ok := p.Fact("b"); !ok || f.Topic != "u" {
		t.Errorf(`Fact("b") = %+v, %v`, f, ok)
	}
	if got := ids(p.FactsInTopic("t")); !slices.Equal(got, []string{"a"}) {
		t.Errorf(`FactsInTopic("t") = %v`, got)
	}
}

// want is one expected problem; msg is a part of its message.
type want struct {
	file  string
	line  int
	field string
	msg   string
}

func TestLoadRejectsABadPack(t *testing.T) {
	tests := []struct {
		name string
		dir  string
		want []want
	}{
		{"a YAML syntax error is reported with its line, and ids it may hold are not called unknown", "syntax-error", []want{
			// yaml.v3 names the line where the broken block starts, not
			// the line that breaks it (line 4 here).
			{"un.yaml", 1, "", "invalid YAML: did not find expected '-' indicator"},
		}},
		{"a colon in plain text is reported with a hint to quote the text", "colon-in-text", []want{
			{"un.yaml", 10, "", `mapping values are not allowed in this context (put text holding ": " in quotes or use >-)`},
		}},
		{"unknown fields in the pack, a topic, a fact and a facts file are all reported", "unknown-field", []want{
			{"pack.yaml", 6, "author", "unknown field"},
			{"pack.yaml", 15, "topics[0].emoji", "unknown field (want one of id, title, description)"},
			{"un.yaml", 12, "facts[0].colour", "unknown field"},
			{"un.yaml", 13, "meta", "unknown field (want one of facts)"},
		}},
		{"missing and empty fields of a fact are reported", "missing-field", []want{
			{"un.yaml", 2, "facts[0].answer", "is missing"},
			{"un.yaml", 2, "facts[0].source", "is missing"},
			{"un.yaml", 12, "facts[1].question", "is empty"},
			{"un.yaml", 13, "facts[1].alternates", "is empty"},
		}},
		{"missing fields of the pack and of a topic are reported", "pack-missing-field", []want{
			{"pack.yaml", 1, "title", "is missing"},
			{"pack.yaml", 4, "topics[0].description", "is missing"},
		}},
		{"a repeated or empty section is reported", "bad-sections", []want{
			{"pack.yaml", 8, "sections[1]", "repeats sections[0]"},
			{"pack.yaml", 9, "sections[2]", "is empty"},
		}},
		{"an id not in kebab-case or too long for callback data is reported", "bad-id", []want{
			{"un.yaml", 2, "facts[0].id", `"UN_Membership" is not kebab-case`},
			{"un.yaml", 12, "facts[1].id", "is 49 bytes, longer than 48"},
		}},
		{"a duplicate fact id names where the first one is", "duplicate-id", []want{
			{"b.yaml", 2, "facts[0].id", `duplicate id "un-membership"; first defined at a.yaml:2`},
		}},
		{"a duplicate topic id names where the first one is", "duplicate-topic", []want{
			{"pack.yaml", 17, "topics[2].id", `duplicate topic id "russia"; first defined at pack.yaml:11`},
		}},
		{"an unknown topic is reported", "unknown-topic", []want{
			{"un.yaml", 3, "facts[0].topic", `unknown topic "rusia"`},
		}},
		{"a source that is not a section is reported, with a hint when only the case differs", "unknown-source", []want{
			{"un.yaml", 11, "facts[0].source", `did you mean "Kazakhstan and the United Nations"?`},
			{"un.yaml", 21, "facts[1].source", `"Chapter 9" is not one of the sections in pack.yaml`},
		}},
		{"a related id naming no fact is reported", "dangling-related", []want{
			{"un.yaml", 13, "facts[0].related[0]", `unknown fact id "no-such-fact"`},
		}},
		{"a featured id naming no fact is reported", "dangling-featured", []want{
			{"pack.yaml", 7, "featured[0]", `unknown fact id "no-such-fact"`},
		}},
		{"a fact related to itself is reported", "self-related", []want{
			{"un.yaml", 13, "facts[0].related[0]", "points at the fact itself"},
		}},
		{"malformed dates are reported and both YAML forms of good dates accepted", "bad-date", []want{
			{"un.yaml", 12, "facts[0].date", `malformed date "1992-13"`},
			{"un.yaml", 23, "facts[1].date", `malformed date "92"`},
			{"un.yaml", 34, "facts[2].date", `malformed date "1992-03-02"`},
		}},
		{"fewer than MinAlternates alternates are reported", "few-alternates", []want{
			{"un.yaml", 6, "facts[0].alternates", "has 3, want at least 4"},
		}},
		{"an alternate repeating another up to case and spaces is reported", "duplicate-alternates", []want{
			{"un.yaml", 8, "facts[0].alternates[2]", "repeats facts[0].alternates[0]"},
		}},
		{"an answer over MaxAnswer characters is reported, counting runes", "long-answer", []want{
			{"un.yaml", 20, "facts[1].answer", "is 601 characters, longer than a chat message should be"},
		}},
		{"a question over 200 characters is reported", "long-question", []want{
			{"un.yaml", 14, "facts[1].question", "is 201 characters, longer than 200"},
		}},
		{"a value of the wrong kind is reported once", "wrong-type", []want{
			{"un.yaml", 5, "facts[0].alternates", "must be a list, not text"},
			{"un.yaml", 7, "facts[0].answer", "must be text, not a list"},
		}},
		{"a field given twice and a second YAML document are reported", "repeated-field", []want{
			{"a.yaml", 12, "facts[0].answer", "appears twice"},
			{"b.yaml", 12, "", "holds a second YAML document"},
		}},
		{"facts files without facts are reported", "empty-facts-file", []want{
			{"a.yaml", 1, "facts", "has no facts"},
			{"b.yaml", 0, "", "has no facts"},
			{"c.yaml", 0, "", "has no facts"},
			{"d.yaml", 1, "facts", "has no facts"},
			{"e.yaml", 1, "fact", "unknown field"},
			{"e.yaml", 1, "facts", "is missing"},
		}},
		{"a pack without facts files is reported", "empty-pack", []want{
			{"pack.yaml", 0, "", "the pack has no facts"},
		}},
		{"a pack with several problems in several files reports them all in order", "many-problems", []want{
			{"pack.yaml", 3, "version", "unknown field"},
			{"a.yaml", 2, "facts[0].answer", "is missing"},
			{"a.yaml", 11, "facts[0].date", `malformed date "1992-3"`},
			{"b.yaml", 3, "facts[0].topic", `unknown topic "rusia"`},
			{"b.yaml", 13, "facts[0].related[0]", `unknown fact id "unsc-2018"`},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := knowledge.Load(os.DirFS(filepath.Join("testdata", tt.dir)))
			if p != nil {
				t.Error("Load returned a pack with the error")
			}
			var errs knowledge.Errors
			if !errors.As(err, &errs) {
				t.Fatalf("Load error = %v, want knowledge.Errors", err)
			}
			if len(errs) != len(tt.want) {
				t.Errorf("got %d problems, want %d:\n%v", len(errs), len(tt.want), err)
			}
			for i, w := range tt.want {
				if i >= len(errs) {
					break
				}
				e := errs[i]
				if e.File != w.file || e.Line != w.line || e.Field != w.field || !strings.Contains(e.Msg, w.msg) {
					t.Errorf("problem %d = %q\nwant %s:%d: %s: ...%s...", i, e, w.file, w.line, w.field, w.msg)
				}
			}
		})
	}
}

func TestErrorFormatsAsFileLineFieldMessage(t *testing.T) {
	tests := []struct {
		name string
		err  knowledge.Error
		want string
	}{
		{"all parts are shown", knowledge.Error{File: "russia.yaml", Line: 42, Field: "facts[3].answer", Msg: "is empty"}, "russia.yaml:42: facts[3].answer: is empty"},
		{"a zero line is left out", knowledge.Error{File: "b.yaml", Field: "facts", Msg: "has no facts"}, "b.yaml: facts: has no facts"},
		{"an empty field is left out", knowledge.Error{File: "b.yaml", Line: 3, Msg: "invalid YAML: oops"}, "b.yaml:3: invalid YAML: oops"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.err.Error(); got != tt.want {
				t.Errorf("Error() = %q, want %q", got, tt.want)
			}
		})
	}
	errs := knowledge.Errors{&tests[0].err, &tests[1].err}
	if got, want := errs.Error(), tests[0].want+"\n"+tests[1].want; got != want {
		t.Errorf("Errors.Error() = %q, want %q", got, want)
	}
	var e *knowledge.Error
	if !errors.As(error(errs), &e) || e != &tests[0].err {
		t.Error("errors.As does not find the first *Error in Errors")
	}
}

func TestLoadWithoutPackYAMLSaysItIsNotAPack(t *testing.T) {
	_, err := knowledge.Load(fstest.MapFS{"un.yaml": {Data: []byte("facts: []\n")}})
	if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), "not a knowledge pack") {
		t.Errorf("Load error = %v, want a not-a-pack error wrapping fs.ErrNotExist", err)
	}
}

func TestLoadDir(t *testing.T) {
	t.Run("a valid directory loads", func(t *testing.T) {
		if _, err := knowledge.LoadDir("testdata/valid"); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("problems name files by their path under the directory", func(t *testing.T) {
		_, err := knowledge.LoadDir("testdata/unknown-topic")
		var errs knowledge.Errors
		if !errors.As(err, &errs) || len(errs) != 1 {
			t.Fatalf("LoadDir error = %v, want one problem", err)
		}
		if want := filepath.Join("testdata", "unknown-topic", "un.yaml") + ":3: facts[0].topic: "; !strings.HasPrefix(errs[0].Error(), want) {
			t.Errorf("problem = %q, want prefix %q", errs[0], want)
		}
	})
	t.Run("a missing directory is a clear error", func(t *testing.T) {
		_, err := knowledge.LoadDir("testdata/no-such-pack")
		if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), "testdata/no-such-pack") {
			t.Errorf("LoadDir error = %v, want not-exist naming the directory", err)
		}
	})
	t.Run("a file instead of a directory is a clear error", func(t *testing.T) {
		_, err := knowledge.LoadDir("testdata/valid/pack.yaml")
		if err == nil || !strings.Contains(err.Error(), "is not a directory") {
			t.Errorf("LoadDir error = %v, want is-not-a-directory", err)
		}
	})
	t.Run("a directory without pack.yaml is a clear error", func(t *testing.T) {
		_, err := knowledge.LoadDir("testdata")
		if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), "not a knowledge pack") || !strings.Contains(err.Error(), "testdata") {
			t.Errorf("LoadDir error = %v, want not-a-pack naming the directory", err)
		}
	})
}

func ids(facts []knowledge.Fact) []string {
	out := make([]string, len(facts))
	for i, f := range facts {
		out[i] = f.ID
	}
	return out
}
