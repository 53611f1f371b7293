package bot_test

import (
	"context"
	"encoding/json"
	"testing"
	"unicode/utf8"

	"kazbot/bot"
)

// FuzzAsk proves that no input panics and every reply is well formed: a
// known kind, confidence in 0..1, at most three suggestions that name real
// facts, valid UTF-8 and a non-empty answer. The seed corpus lives in
// testdata/fuzz/FuzzAsk.
func FuzzAsk(f *testing.F) {
	for _, s := range []string{"when did kz join the UN?", "", "/help", "hi", "\x00\xff", "kazakstan chevorn tengiz"} {
		f.Add(s)
	}
	e := embeddedEngine(f)
	f.Fuzz(func(t *testing.T, q string) {
		r := e.Ask(context.Background(), q)
		switch r.Kind {
		case bot.KindFact, bot.KindSmalltalk, bot.KindFallback:
		default:
			t.Fatalf("Ask(%q): kind %q", q, r.Kind)
		}
		if r.Confidence < 0 || r.Confidence > 1 {
			t.Fatalf("Ask(%q): confidence %v", q, r.Confidence)
		}
		if r.Answer == "" || !utf8.ValidString(r.Answer) || !utf8.ValidString(r.Question) {
			t.Fatalf("Ask(%q): answer %q question %q", q, r.Answer, r.Question)
		}
		if (r.Kind == bot.KindFact) != (r.FactID != "") {
			t.Fatalf("Ask(%q): kind %s with fact id %q", q, r.Kind, r.FactID)
		}
		if len(r.Suggestions) > bot.MaxSuggestions {
			t.Fatalf("Ask(%q): %d suggestions", q, len(r.Suggestions))
		}
		for _, s := range r.Suggestions {
			if _, ok := e.Pack().Fact(s.FactID); !ok {
				t.Fatalf("Ask(%q): suggestion %q is no fact", q, s.FactID)
			}
		}
		if _, err := json.Marshal(r); err != nil {
			t.Fatalf("Ask(%q): %v", q, err)
		}
		h := e.Handle(context.Background(), bot.Request{Platform: "fuzz", UserID: "u", Text: q})
		if h.Kind == "" || (h.Kind != bot.KindSilent && h.Answer == "" && h.Title == "") {
			t.Fatalf("Handle(%q): empty reply %+v", q, h)
		}
	})
}
