package bot_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"kazbot/bot"
)

// The evaluation files hold questions written fresh by people who did not
// see the matcher (see testdata/eval/README.md). The dev files were used to
// tune it; the held-out files never were: they measure how kazbot does on
// questions nobody on the team has seen.
//
// The engine issue's goal is 95% top-1 accuracy and 95% correct refusals on
// both groups; the held-out floors assert it. The other floors are what
// kazbot reaches today, kept as regression guards; they should rise with the
// matcher, never fall. (The dev refusal floor fell once, from 0.95 to 0.94,
// when dev7 and dev8 with harder lookalike refusals joined the group; it
// is far above that now.) dev10 is a tuning file of 150 lookalike refusals
// and 50 answerable questions, kept in a group of its own so that its
// refusals, the weak side of kazbot, show.
var evalGroups = []struct {
	name                        string
	files                       []string
	minAccuracy                 float64
	minRefusal                  float64
	minAnswerable, minRefusable int
}{
	{"dev", []string{"testdata/eval/dev.tsv", "testdata/eval/dev2.tsv", "testdata/eval/dev3.tsv", "testdata/eval/dev4.tsv", "testdata/eval/dev5.tsv", "testdata/eval/dev6.tsv", "testdata/eval/dev7.tsv", "testdata/eval/dev8.tsv", "testdata/eval/dev9.tsv",
		"testdata/eval/dev11.tsv", "testdata/eval/dev12.tsv", "testdata/eval/dev13.tsv", "testdata/eval/dev14.tsv", "testdata/eval/dev15.tsv",
		"testdata/eval/dev16.tsv", "testdata/eval/dev17.tsv", "testdata/eval/dev18.tsv", "testdata/eval/dev19.tsv"}, 0.96, 0.98, 100, 30},
	{"dev lookalikes", []string{"testdata/eval/dev10.tsv"}, 0.98, 0.81, 40, 100},
	{"held-out", []string{"testdata/eval/heldout.tsv", "testdata/eval/heldout2.tsv", "testdata/eval/heldout3.tsv", "testdata/eval/heldout4.tsv", "testdata/eval/heldout5.tsv", "testdata/eval/heldout6.tsv", "testdata/eval/heldout7.tsv", "testdata/eval/heldout8.tsv",
		"testdata/eval/heldout9.tsv", "testdata/eval/heldout10.tsv"}, 0.95, 0.95, 100, 30},
}

func TestEvaluationGoals(t *testing.T) {
	e := embeddedEngine(t)
	for _, g := range evalGroups {
		t.Run(g.name, func(t *testing.T) {
			var all []bot.Case
			for _, file := range g.files {
				f, err := os.Open(file)
				if err != nil {
					t.Fatal(err)
				}
				cases, err := bot.ParseCases(f)
				f.Close()
				if err != nil {
					t.Fatalf("%s: %v", file, err)
				}
				r, err := bot.Evaluate(context.Background(), e, cases)
				if err != nil {
					t.Fatalf("%s: %v", file, err)
				}
				t.Logf("%s: accuracy %d/%d = %.3f, refusals %d/%d = %.3f, wrong answers %d",
					file, r.Correct, r.Answerable, r.Accuracy(), r.Refused, r.Refusable, r.RefusalRate(), r.Wrong)
				all = append(all, cases...)
			}
			r, err := bot.Evaluate(context.Background(), e, all)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: accuracy %d/%d = %.3f, refusals %d/%d = %.3f, wrong answers %d",
				g.name, r.Correct, r.Answerable, r.Accuracy(), r.Refused, r.Refusable, r.RefusalRate(), r.Wrong)
			if r.Answerable < g.minAnswerable || r.Refusable < g.minRefusable {
				t.Errorf("too few questions: %d answerable, %d must-not-answer", r.Answerable, r.Refusable)
			}
			if r.Accuracy() < g.minAccuracy || r.RefusalRate() < g.minRefusal {
				t.Errorf("accuracy %.3f, refusals %.3f: want at least %.2f and %.2f (kazbot eval lists the misses)",
					r.Accuracy(), r.RefusalRate(), g.minAccuracy, g.minRefusal)
			}
		})
	}
}

func TestReportHeadline(t *testing.T) {
	tests := []struct {
		name string
		r    bot.Report
		want []string
	}{
		{"both kinds asked", bot.Report{Answerable: 4, Correct: 3, Refusable: 2, Refused: 2},
			[]string{"top-1 accuracy    3/4  75.0%", "correct refusals  2/2  100.0%", "wrong answers     0/6  0.0%"}},
		{"only must-not-answer questions", bot.Report{Refusable: 5, Refused: 4, Wrong: 1},
			[]string{"top-1 accuracy    0/0  none asked", "correct refusals  4/5  80.0%", "wrong answers     1/5  20.0%"}},
		{"only answerable questions", bot.Report{Answerable: 2, Correct: 2},
			[]string{"top-1 accuracy    2/2  100.0%", "correct refusals  0/0  none asked", "wrong answers     0/2  0.0%"}},
		{"no questions", bot.Report{},
			[]string{"top-1 accuracy    0/0  none asked", "correct refusals  0/0  none asked", "wrong answers     0/0  none asked"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			if err := tt.r.Write(&b); err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(b.String(), "\n")
			for i, w := range tt.want {
				if lines[i] != w {
					t.Errorf("line %d = %q, want %q", i+1, lines[i], w)
				}
			}
		})
	}
}
