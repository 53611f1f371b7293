package bot_test

import (
	"context"
	"os"
	"testing"

	"kazbot/bot"
)

// The evaluation files hold questions written fresh by people who did not
// see the matcher: dev.tsv and dev2.tsv are used to tune it, heldout.tsv is
// never tuned on and measures how kazbot does on questions nobody on the
// team has seen. Both must clear the goals of the engine issue.
const (
	minAccuracy = 0.95
	minRefusal  = 0.95
)

func TestEvaluationGoals(t *testing.T) {
	e := embeddedEngine(t)
	for _, file := range []string{"testdata/eval/dev.tsv", "testdata/eval/dev2.tsv", "testdata/eval/heldout.tsv", "testdata/eval/heldout2.tsv"} {
		t.Run(file, func(t *testing.T) {
			f, err := os.Open(file)
			if os.IsNotExist(err) && file == "testdata/eval/dev2.tsv" {
				t.Skip("no second dev file")
			}
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			cases, err := bot.ParseCases(f)
			if err != nil {
				t.Fatal(err)
			}
			r, err := bot.Evaluate(context.Background(), e, cases)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: accuracy %d/%d = %.3f, refusals %d/%d = %.3f",
				file, r.Correct, r.Answerable, r.Accuracy(), r.Refused, r.Refusable, r.RefusalRate())
			if r.Answerable < 50 || r.Refusable < 10 {
				t.Errorf("too few questions: %d answerable, %d must-not-answer", r.Answerable, r.Refusable)
			}
			if r.Accuracy() < minAccuracy || r.RefusalRate() < minRefusal {
				t.Errorf("accuracy %.3f, refusals %.3f: want at least %.2f and %.2f (run kazbot eval %s for the misses)",
					r.Accuracy(), r.RefusalRate(), minAccuracy, minRefusal, file)
			}
		})
	}
}
