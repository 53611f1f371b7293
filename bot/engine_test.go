package bot_test

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"kazbot/bot"
	"kazbot/bot/bottest"
	"kazbot/knowledge"
)

func embeddedEngine(t testing.TB, opts ...bot.Option) *bot.Engine {
	t.Helper()
	p, err := knowledge.Embedded()
	if err != nil {
		t.Fatalf("load embedded pack: %v", err)
	}
	e, err := bot.New(p, opts...)
	if err != nil {
		t.Fatalf("new engine: %v", err)
	}
	return e
}

func TestAskAnswersAndRefuses(t *testing.T) {
	e := embeddedEngine(t)
	tests := []struct {
		name     string
		question string
		kind     bot.Kind
		factID   string
		contains string
	}{
		{"a casual question gets the fact", "when did kz join the UN?", bot.KindFact, "un-membership", "168th"},
		{"a keyword query gets the fact", "chevron tengiz", bot.KindFact, "chevron-tengiz", "50%"},
		{"typos are repaired", "when was the frendship treaty with rusia signed", bot.KindFact, "russia-treaty", "1992"},
		{"another name for a country works", "how much did America give for dissarmament", bot.KindFact, "us-disarmament-aid", "$300 million"},
		{"the same question about another country is refused", "When did Brazil join the UN?", bot.KindFallback, "", "don't know"},
		{"a word the fact lacks is refused", "Who founded Chevron?", bot.KindFallback, "", "don't know"},
		{"out of domain chatter is refused", "what's the weather in almaty tomorrow", bot.KindFallback, "", "don't know"},
		{"a greeting is small talk", "hi there!", bot.KindSmalltalk, "", "Hello"},
		{"thanks is small talk", "thanks a lot", bot.KindSmalltalk, "", "welcome"},
		{"a reaction to an answer is small talk", "hmm interesting", bot.KindSmalltalk, "", "interesting"},
		{"who are you is small talk", "who are you?", bot.KindSmalltalk, "", "kazbot"},
		{"help is small talk", "help", bot.KindSmalltalk, "", "/topics"},
		{"an empty question gets the topics", "   ", bot.KindFallback, "", "topics"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.Ask(context.Background(), tt.question)
			if r.Kind != tt.kind || r.FactID != tt.factID {
				t.Fatalf("Ask(%q) = %s %q (%.2f), want %s %q", tt.question, r.Kind, r.FactID, r.Confidence, tt.kind, tt.factID)
			}
			if !strings.Contains(r.Answer, tt.contains) {
				t.Errorf("answer %q does not contain %q", r.Answer, tt.contains)
			}
			if r.Confidence < 0 || r.Confidence > 1 {
				t.Errorf("confidence %v outside 0..1", r.Confidence)
			}
			if len(r.Suggestions) > bot.MaxSuggestions {
				t.Errorf("%d suggestions, want at most %d", len(r.Suggestions), bot.MaxSuggestions)
			}
		})
	}
}

func TestFallbackOffersTheCandidates(t *testing.T) {
	e := embeddedEngine(t)
	tests := []struct{ name, question, want string }{
		{"a question about another country offers the fact about kazakhstan", "When did Brazil join the United Nations?", "un-membership"},
		{"a question the fact cannot answer still offers it", "Who founded Chevron?", "chevron-tengiz"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.Ask(context.Background(), tt.question)
			if r.Kind != bot.KindFallback {
				t.Fatalf("kind = %s (%s), want fallback", r.Kind, r.FactID)
			}
			found := false
			for _, s := range r.Suggestions {
				found = found || s.FactID == tt.want
			}
			if !found {
				t.Errorf("suggestions %v do not offer %s", r.Suggestions, tt.want)
			}
		})
	}
}

func TestFactReplyCarriesSourceAndRelated(t *testing.T) {
	e := bottest.Engine(t)
	r := e.Ask(context.Background(), "When did Kazakhstan join the United Nations?")
	if r.Kind != bot.KindFact || r.FactID != "un-membership" {
		t.Fatalf("got %s %q", r.Kind, r.FactID)
	}
	if r.Source != "Kazakhstan and the United Nations" || r.Topic != "united-nations" {
		t.Errorf("source %q topic %q", r.Source, r.Topic)
	}
	if r.Title != "When did Kazakhstan join the United Nations?" {
		t.Errorf("title %q, want the fact's question", r.Title)
	}
	if len(r.Suggestions) != 1 || r.Suggestions[0].FactID != "unsc-2017" {
		t.Errorf("suggestions %v, want the related unsc-2017", r.Suggestions)
	}
}

func TestAskJSONFollowsTheContract(t *testing.T) {
	e := bottest.Engine(t)
	for _, q := range []string{"When did Kazakhstan join the United Nations?", "capital of peru", "hello"} {
		b, err := json.Marshal(e.Ask(context.Background(), q))
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		want := []string{"question", "kind", "fact_id", "answer", "confidence", "topic", "source", "suggestions"}
		if len(m) != len(want) {
			t.Errorf("%q: keys %v, want exactly %v", q, m, want)
		}
		for _, k := range want {
			if _, ok := m[k]; !ok {
				t.Errorf("%q: key %q missing in %s", q, k, b)
			}
		}
		if _, ok := m["suggestions"].([]any); !ok {
			t.Errorf("%q: suggestions is %T, want a list", q, m["suggestions"])
		}
	}
}

func TestOverlongInputIsRefusedQuickly(t *testing.T) {
	e := bottest.Engine(t)
	huge := strings.Repeat("when did kazakhstan join the un ", 100000)
	start := time.Now()
	r := e.Ask(context.Background(), huge)
	if took := time.Since(start); took > 50*time.Millisecond {
		t.Errorf("took %v for a 3 MB question", took)
	}
	if r.Kind != bot.KindFallback || !strings.Contains(r.Answer, "too long") {
		t.Errorf("got %s %q, want a too-long fallback", r.Kind, r.Answer)
	}
	if len(r.Question) > 4*bot.DefaultMaxInput {
		t.Errorf("reply echoes %d bytes of the question", len(r.Question))
	}
}

func TestCommands(t *testing.T) {
	e := bottest.Engine(t, bot.WithRand(rand.New(rand.NewPCG(1, 1))))
	ctx := context.Background()
	tests := []struct {
		name, text string
		kind       bot.Kind
		check      func(t *testing.T, r bot.Reply)
	}{
		{"help lists the commands", "/help", bot.KindInfo, func(t *testing.T, r bot.Reply) {
			for _, c := range []string{"/ask", "/fact", "/topics", "/timeline", "/about"} {
				if !strings.Contains(r.Answer, c) {
					t.Errorf("help lacks %s", c)
				}
			}
			if strings.Contains(r.Answer, "/start") {
				t.Error("help lists /start")
			}
		}},
		{"start is help", "/start", bot.KindInfo, func(t *testing.T, r bot.Reply) {
			if r.Title != "Help" {
				t.Errorf("title %q", r.Title)
			}
		}},
		{"a command addressed to the bot works", "/help@kazbot_bot", bot.KindInfo, nil},
		{"topics lists every topic", "/topics", bot.KindInfo, func(t *testing.T, r bot.Reply) {
			if len(r.Items) != 3 || len(r.Topics) != 3 {
				t.Errorf("items %d topics %d, want 3 each", len(r.Items), len(r.Topics))
			}
		}},
		{"timeline is in date order", "/timeline", bot.KindInfo, func(t *testing.T, r bot.Reply) {
			var got []string
			for _, it := range r.Items {
				got = append(got, it.ID)
			}
			if strings.Join(got, ",") != "young-policy,un-membership,unsc-2017" {
				t.Errorf("timeline %v", got)
			}
			if r.Items[1].Label != "March 1992" {
				t.Errorf("label %q, want March 1992", r.Items[1].Label)
			}
		}},
		{"fact with a topic picks from it", "/fact china", bot.KindFact, func(t *testing.T, r bot.Reply) {
			if r.Topic != "china" {
				t.Errorf("topic %q", r.Topic)
			}
		}},
		{"fact with a topic title works", "/fact United States", bot.KindFact, func(t *testing.T, r bot.Reply) {
			if r.Topic != "usa" {
				t.Errorf("topic %q", r.Topic)
			}
		}},
		{"fact with an unknown topic offers the topics", "/fact brazil", bot.KindNotice, func(t *testing.T, r bot.Reply) {
			if len(r.Topics) != 3 {
				t.Errorf("topics %v", r.Topics)
			}
		}},
		{"fact without a topic picks any fact", "/fact", bot.KindFact, nil},
		{"ask answers its argument", "/ask When did Kazakhstan join the United Nations?", bot.KindFact, func(t *testing.T, r bot.Reply) {
			if r.FactID != "un-membership" {
				t.Errorf("fact %q", r.FactID)
			}
		}},
		{"ask without a question explains itself", "/ask", bot.KindNotice, func(t *testing.T, r bot.Reply) {
			if !strings.Contains(r.Answer, "/ask ") {
				t.Errorf("answer %q", r.Answer)
			}
		}},
		{"about names the origin", "/about", bot.KindInfo, func(t *testing.T, r bot.Reply) {
			if !strings.Contains(r.Answer, "Test fixtures") {
				t.Errorf("answer %q", r.Answer)
			}
		}},
		{"an unknown command is a notice", "/frobnicate now", bot.KindNotice, func(t *testing.T, r bot.Reply) {
			if !strings.Contains(r.Answer, "/frobnicate") || !strings.Contains(r.Answer, "/help") {
				t.Errorf("answer %q", r.Answer)
			}
		}},
		{"command names are case-insensitive", "/TOPICS", bot.KindInfo, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.Handle(ctx, bot.Request{Platform: "test", UserID: "u", Text: tt.text})
			if r.Kind != tt.kind {
				t.Fatalf("%q: kind %s, want %s (%q)", tt.text, r.Kind, tt.kind, r.Answer)
			}
			if tt.check != nil {
				tt.check(t, r)
			}
		})
	}
}

func TestStructuredCommandsMatchTextCommands(t *testing.T) {
	e := bottest.Engine(t)
	ctx := context.Background()
	a := e.Handle(ctx, bot.Request{Command: "ask", Text: "When did Kazakhstan join the United Nations?"})
	b := e.Handle(ctx, bot.Request{Text: "/ask When did Kazakhstan join the United Nations?"})
	if a.FactID != b.FactID || a.Kind != b.Kind {
		t.Errorf("structured %s %q, text %s %q", a.Kind, a.FactID, b.Kind, b.FactID)
	}
}

func TestShowResolvesButtons(t *testing.T) {
	e := bottest.Engine(t)
	ctx := context.Background()
	req := bot.Request{Platform: "test", UserID: "u"}
	if r := e.Show(ctx, req, bot.FactButton("khorgos")); r.Kind != bot.KindFact || r.FactID != "khorgos" {
		t.Errorf("fact button: %s %q", r.Kind, r.FactID)
	}
	if r := e.Show(ctx, req, bot.TopicButton("usa")); r.Kind != bot.KindFact || r.Topic != "usa" {
		t.Errorf("topic button: %s %q", r.Kind, r.Topic)
	}
	if r := e.Show(ctx, req, bot.FactButton("gone")); r.Kind != bot.KindNotice {
		t.Errorf("stale button: %s", r.Kind)
	}
}

func TestButtonPayloadsFitPlatformLimits(t *testing.T) {
	id := strings.Repeat("a", knowledge.MaxID)
	for _, p := range []string{bot.FactButton(id), bot.TopicButton(id)} {
		if len(p) > 64 {
			t.Errorf("payload %q is %d bytes, over Telegram's 64", p, len(p))
		}
		f, tp, ok := bot.ParseButton(p)
		if !ok || (f != id && tp != id) {
			t.Errorf("ParseButton(%q) = %q %q %v", p, f, tp, ok)
		}
	}
	if _, _, ok := bot.ParseButton("x:1"); ok {
		t.Error("ParseButton accepted a foreign payload")
	}
}

func TestCompleteAndSearch(t *testing.T) {
	e := bottest.Engine(t)
	if got := e.Complete("chevr", 25); len(got) == 0 || got[0].FactID != "chevron-tengiz" {
		t.Errorf("Complete(chevr) = %v", got)
	}
	if got := e.Complete("", 2); len(got) != 2 {
		t.Errorf("Complete('') = %v, want 2 featured", got)
	}
	if got := e.CompleteTopic("chi", 25); len(got) == 0 || got[0].ID != "china" {
		t.Errorf("CompleteTopic(chi) = %v", got)
	}
	if got := e.Search(context.Background(), "tengiz chevron share", 10); len(got) == 0 || got[0].FactID != "chevron-tengiz" {
		t.Errorf("Search = %v", got)
	}
	// A pack with no featured list features the first fact of each topic,
	// in topic order.
	got := e.Search(context.Background(), "", 3)
	var ids []string
	for _, s := range got {
		ids = append(ids, s.FactID)
	}
	if want := []string{"un-membership", "chevron-tengiz", "china-border"}; !slices.Equal(ids, want) {
		t.Errorf("Search('') = %v, want the first fact of each topic %v", ids, want)
	}
}

func TestRateLimitNotifiesOnce(t *testing.T) {
	now := time.Unix(0, 0)
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	e := bottest.Engine(t, bot.WithRateLimit(6, 2, clock))
	ctx := context.Background()
	req := bot.Request{Platform: "test", UserID: "alice", Text: "hello"}
	var kinds []bot.Kind
	for range 5 {
		kinds = append(kinds, e.Handle(ctx, req).Kind)
	}
	want := []bot.Kind{bot.KindSmalltalk, bot.KindSmalltalk, bot.KindNotice, bot.KindSilent, bot.KindSilent}
	for i := range want {
		if kinds[i] != want[i] {
			t.Fatalf("kinds %v, want %v", kinds, want)
		}
	}
	if k := e.Handle(ctx, bot.Request{Platform: "test", UserID: "bob", Text: "hello"}).Kind; k != bot.KindSmalltalk {
		t.Errorf("another user got %s", k)
	}
	mu.Lock()
	now = now.Add(10 * time.Second) // 6 per minute: one token back
	mu.Unlock()
	if k := e.Handle(ctx, req).Kind; k != bot.KindSmalltalk {
		t.Errorf("after the wait: %s", k)
	}
	if k := e.Handle(ctx, req).Kind; k != bot.KindNotice {
		t.Errorf("over the limit again: %s, want a new notice", k)
	}
}

type countingObserver struct {
	mu      sync.Mutex
	kinds   map[bot.Kind]int
	limited int
}

func (o *countingObserver) Answered(_ string, k bot.Kind, _ time.Duration) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.kinds[k]++
}

func (o *countingObserver) RateLimited(string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.limited++
}

func TestObserverSeesEveryRequest(t *testing.T) {
	o := &countingObserver{kinds: map[bot.Kind]int{}}
	e := bottest.Engine(t, bot.WithObserver(o), bot.WithRateLimit(60, 1, nil))
	ctx := context.Background()
	e.Handle(ctx, bot.Request{UserID: "a", Text: "hi"})
	e.Handle(ctx, bot.Request{UserID: "b", Text: "what is the capital of peru"})
	e.Handle(ctx, bot.Request{UserID: "b", Text: "again"})
	if o.kinds[bot.KindSmalltalk] != 1 || o.kinds[bot.KindFallback] != 1 || o.kinds[bot.KindNotice] != 1 || o.limited != 1 {
		t.Errorf("observed %v, limited %d", o.kinds, o.limited)
	}
}

func TestReloadSwapsThePack(t *testing.T) {
	e := bottest.Engine(t)
	ctx := context.Background()
	if r := e.Ask(ctx, "What is the Khorgos free trade zone?"); r.FactID != "khorgos" {
		t.Fatalf("before reload: %q", r.FactID)
	}
	if err := e.Reload(embeddedPack(t)); err != nil {
		t.Fatal(err)
	}
	if r := e.Ask(ctx, "What share did Chevron get in the Tengiz oil field consortium?"); r.FactID != "chevron-tengiz" || !strings.Contains(r.Answer, "US company") {
		t.Errorf("after reload: %q %q", r.FactID, r.Answer)
	}
	if err := e.Reload(nil); err == nil {
		t.Error("Reload(nil) succeeded")
	}
}

func TestConcurrentAsksDuringReload(t *testing.T) {
	e := bottest.Engine(t)
	other := embeddedPack(t)
	first := bottest.Pack(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 200 {
				if i == 0 && j%20 == 0 {
					p := other
					if j%40 == 0 {
						p = first
					}
					if err := e.Reload(p); err != nil {
						t.Error(err)
					}
				}
				r := e.Handle(ctx, bot.Request{UserID: "u", Text: "when did kz join the un"})
				if r.Kind == bot.KindFact && r.FactID != "un-membership" {
					t.Errorf("got %q", r.FactID)
				}
			}
		}()
	}
	wg.Wait()
}

func embeddedPack(t testing.TB) *knowledge.Pack {
	t.Helper()
	p, err := knowledge.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestCommandSpecsFitPlatformLimits(t *testing.T) {
	for _, c := range bot.Commands("") {
		if len(c.Name) > 32 || strings.ToLower(c.Name) != c.Name {
			t.Errorf("command name %q", c.Name)
		}
		if n := len([]rune(c.Description)); n < 3 || n > 100 {
			t.Errorf("%s: description of %d characters", c.Name, n)
		}
		if c.Arg != nil && (len(c.Arg.Description) > 100 || c.Arg.Name == "") {
			t.Errorf("%s: argument %+v", c.Name, c.Arg)
		}
	}
	for _, c := range bot.Commands("discord") {
		if c.Name == "start" {
			t.Error("discord gets /start")
		}
	}
}

// TestRepliesNameThePack checks that the replies that mention the subject
// take it from the pack, so another pack's bot does not talk about
// Kazakhstan.
func TestRepliesNameThePack(t *testing.T) {
	e, err := bot.New(bottest.Synthetic(50, 1))
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"thanks", "hmm interesting", "bye", "   "} {
		r := e.Ask(context.Background(), q)
		if !strings.Contains(r.Answer, "Synthetic pack") || strings.Contains(r.Answer, "Kazakhstan") {
			t.Errorf("Ask(%q) = %q, want the pack's title and not Kazakhstan", q, r.Answer)
		}
	}
}
