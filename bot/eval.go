package bot

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// Refuse is the expected id of an evaluation question that must not get a
// fact.
const Refuse = "-"

// Case is one labelled evaluation question.
type Case struct {
	// Line is the line number in the evaluation file.
	Line int
	// Want is the expected fact id, or Refuse.
	Want string
	// Question is the text asked.
	Question string
}

// ParseCases reads an evaluation file: one "<fact id or ->\t<question>" per
// line; blank lines and lines starting with # are skipped.
func ParseCases(r io.Reader) ([]Case, error) {
	var cases []Case
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		want, q, ok := strings.Cut(line, "\t")
		want, q = strings.TrimSpace(want), strings.TrimSpace(q)
		if !ok || want == "" || q == "" {
			return nil, fmt.Errorf("line %d: want \"<fact id or ->\\t<question>\"", n)
		}
		cases = append(cases, Case{Line: n, Want: want, Question: q})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read cases: %w", err)
	}
	return cases, nil
}

// Miss is an evaluation question the engine got wrong.
type Miss struct {
	Case
	Got Reply
}

// TopicScore is the accuracy on one topic's answerable questions.
type TopicScore struct {
	Topic   string
	Total   int
	Correct int
}

// Report is the outcome of an evaluation.
type Report struct {
	// Answerable and Correct count questions with an expected fact and
	// those answered with exactly that fact.
	Answerable, Correct int
	// Refusable and Refused count must-not-answer questions and those that
	// got no fact.
	Refusable, Refused int
	// Wrong counts the questions answered with a fact that is not the
	// expected one, a must-not-answer question's fact included: the worst
	// outcome, a confident wrong answer.
	Wrong int
	// ByTopic holds accuracy per topic of the expected fact.
	ByTopic []TopicScore
	// Misses lists every wrong reply.
	Misses []Miss
}

// Accuracy is top-1 accuracy on answerable questions (1 when there are
// none).
func (r Report) Accuracy() float64 { return ratio(r.Correct, r.Answerable) }

// RefusalRate is the share of must-not-answer questions that got no fact.
func (r Report) RefusalRate() float64 { return ratio(r.Refused, r.Refusable) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// Evaluate asks every case and scores the replies. Cases naming a fact the
// engine's pack lacks are an error, so a stale file is noticed.
func Evaluate(ctx context.Context, e *Engine, cases []Case) (Report, error) {
	var r Report
	byTopic := map[string]*TopicScore{}
	pack := e.Pack()
	for _, c := range cases {
		got := e.Ask(ctx, c.Question)
		if c.Want == Refuse {
			r.Refusable++
			if got.Kind != KindFact {
				r.Refused++
			} else {
				r.Wrong++
				r.Misses = append(r.Misses, Miss{c, got})
			}
			continue
		}
		f, ok := pack.Fact(c.Want)
		if !ok {
			return Report{}, fmt.Errorf("line %d: unknown fact id %q", c.Line, c.Want)
		}
		ts := byTopic[f.Topic]
		if ts == nil {
			ts = &TopicScore{Topic: f.Topic}
			byTopic[f.Topic] = ts
		}
		r.Answerable++
		ts.Total++
		if got.Kind == KindFact && got.FactID == c.Want {
			r.Correct++
			ts.Correct++
		} else {
			if got.Kind == KindFact {
				r.Wrong++
			}
			r.Misses = append(r.Misses, Miss{c, got})
		}
	}
	for _, t := range pack.Topics {
		if ts := byTopic[t.ID]; ts != nil {
			r.ByTopic = append(r.ByTopic, *ts)
		}
	}
	return r, nil
}

// percent formats n/d, or "none asked" when the file has no such question.
func percent(n, d int) string {
	if d == 0 {
		return "none asked"
	}
	return fmt.Sprintf("%.1f%%", 100*ratio(n, d))
}

// Write prints the report: the three headline figures (accuracy, refusals
// and confident wrong answers among all questions), the per-topic table
// and the misses.
func (r Report) Write(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "top-1 accuracy\t%d/%d\t%s\n", r.Correct, r.Answerable, percent(r.Correct, r.Answerable))
	fmt.Fprintf(tw, "correct refusals\t%d/%d\t%s\n", r.Refused, r.Refusable, percent(r.Refused, r.Refusable))
	fmt.Fprintf(tw, "wrong answers\t%d/%d\t%s\n", r.Wrong, r.Answerable+r.Refusable, percent(r.Wrong, r.Answerable+r.Refusable))
	fmt.Fprintln(tw, "\ntopic\tcorrect\taccuracy")
	for _, t := range r.ByTopic {
		fmt.Fprintf(tw, "%s\t%d/%d\t%.0f%%\n", t.Topic, t.Correct, t.Total, 100*ratio(t.Correct, t.Total))
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	if len(r.Misses) > 0 {
		fmt.Fprintf(w, "\nmisses (%d):\n", len(r.Misses))
	}
	for _, m := range r.Misses {
		got := string(m.Got.Kind)
		if m.Got.FactID != "" {
			got += " " + m.Got.FactID
		}
		fmt.Fprintf(w, "  line %d: want %s, got %s (%.2f): %s\n", m.Line, m.Want, got, m.Got.Confidence, m.Question)
	}
	return nil
}
