package bot_test

import (
	"context"
	"os"
	"testing"

	"kazbot/bot"
)

// The evaluation files hold questions written fresh by people who did not
// see the matcher (see testdata/eval/README.md). The dev files were used to
// tune it; the held-out files never were: they measure how kazbot does on
// questions nobody on the team has seen.
//
// The engine issue's goal is 95% top-1 accuracy and 95% correct refusals on
// both groups. The floors below are what kazbot reaches today, kept as
// regression guards; the held-out group is below the goal, and the floors
// should rise with the matcher, never fall.
var evalGroups = []struct {
	name        string
	files       []string
	minAccuracy float64
	minRefusal  float64
}{
	{"dev", []string{"testdata/eval/dev.tsv", "testdata/eval/dev2.tsv", "testdata/eval/dev3.tsv", "testdata/eval/dev4.tsv", "testdata/eval/dev5.tsv", "testdata/eval/dev6.tsv"}, 0.95, 0.95},
	{"held-out", []string{"testdata/eval/heldout.tsv", "testdata/eval/heldout2.tsv", "testdata/eval/heldout3.tsv", "testdata/eval/heldout4.tsv", "testdata/eval/heldout5.tsv"}, 0.91, 0.91},
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
				t.Logf("%s: accuracy %d/%d = %.3f, refusals %d/%d = %.3f",
					file, r.Correct, r.Answerable, r.Accuracy(), r.Refused, r.Refusable, r.RefusalRate())
				all = append(all, cases...)
			}
			r, err := bot.Evaluate(context.Background(), e, all)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: accuracy %d/%d = %.3f, refusals %d/%d = %.3f",
				g.name, r.Correct, r.Answerable, r.Accuracy(), r.Refused, r.Refusable, r.RefusalRate())
			if r.Answerable < 100 || r.Refusable < 30 {
				t.Errorf("too few questions: %d answerable, %d must-not-answer", r.Answerable, r.Refusable)
			}
			if r.Accuracy() < g.minAccuracy || r.RefusalRate() < g.minRefusal {
				t.Errorf("accuracy %.3f, refusals %.3f: want at least %.2f and %.2f (kazbot eval lists the misses)",
					r.Accuracy(), r.RefusalRate(), g.minAccuracy, g.minRefusal)
			}
		})
	}
}
