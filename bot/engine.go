// Package bot is kazbot's platform-neutral engine: it turns a question or a
// command into a Reply. Adapters (Discord, Telegram, console) translate
// platform events into Requests and render Replies; they never score,
// search or word answers themselves.
//
// The engine owns the command set (help, topics, fact, timeline, about,
// ask), small talk, suggestions, per-user rate limits and the input cap,
// so every platform behaves the same. It imports no platform library.
package bot

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"kazbot/bot/match"
	"kazbot/knowledge"
)

// Defaults for the engine's options.
const (
	// DefaultMaxInput is the longest question, in characters, the engine
	// reads.
	DefaultMaxInput = 1000
	// MaxSuggestions is the most suggestions a reply carries.
	MaxSuggestions = 3
)

// Request is one incoming event, already stripped of platform details.
type Request struct {
	// Platform names the adapter ("telegram", "discord", "console").
	Platform string
	// UserID identifies the sender within the platform (rate limits).
	UserID string
	// ChatID identifies the conversation within the platform.
	ChatID string
	// Command is the command name without the slash when the platform
	// parsed it (Discord slash commands); Text then holds its argument.
	// When Command is empty, Text is free text, and a leading "/name" in it
	// is parsed as a command.
	Command string
	// Text is the question, or the command's argument.
	Text string
}

// Observer is told about every handled request, for metrics.
type Observer interface {
	// Answered is called once per request with the reply kind and how long
	// the engine took.
	Answered(platform string, kind Kind, took time.Duration)
	// RateLimited is called when a user's request is refused by the rate
	// limiter.
	RateLimited(platform string)
}

type nopObserver struct{}

func (nopObserver) Answered(string, Kind, time.Duration) {}
func (nopObserver) RateLimited(string)                   {}

// Engine answers requests from one knowledge pack. It is safe for
// concurrent use; Reload swaps the pack without disturbing requests in
// flight.
type Engine struct {
	cur      atomic.Pointer[state]
	log      *slog.Logger
	obs      Observer
	maxInput int
	limits   *limiter

	randMu sync.Mutex
	rand   *rand.Rand
}

// state is everything derived from one pack; it is never modified after
// it is built, so requests read it without locks.
type state struct {
	pack  *knowledge.Pack
	index *match.Index
	comp  *completer
}

// Option configures an Engine.
type Option func(*Engine)

// WithLogger sets the engine's logger (default: discard).
func WithLogger(l *slog.Logger) Option { return func(e *Engine) { e.log = l } }

// WithObserver sets who is told about every request (default: nobody).
func WithObserver(o Observer) Option { return func(e *Engine) { e.obs = o } }

// WithMaxInput sets the longest question in characters (default
// DefaultMaxInput).
func WithMaxInput(n int) Option { return func(e *Engine) { e.maxInput = n } }

// WithRand sets the random source used by /fact, so tests are repeatable.
func WithRand(r *rand.Rand) Option { return func(e *Engine) { e.rand = r } }

// WithRateLimit lets each user (per platform) send perMinute requests on
// average, with bursts of up to burst. perMinute <= 0 disables the limit
// (the default). now is the clock; nil means time.Now.
func WithRateLimit(perMinute float64, burst int, now func() time.Time) Option {
	return func(e *Engine) {
		if perMinute > 0 {
			e.limits = newLimiter(perMinute, burst, now)
		}
	}
}

// New builds an engine over pack.
func New(pack *knowledge.Pack, opts ...Option) (*Engine, error) {
	e := &Engine{
		log:      slog.New(slog.DiscardHandler),
		obs:      nopObserver{},
		maxInput: DefaultMaxInput,
		rand:     rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 0x6b617a)),
	}
	for _, o := range opts {
		o(e)
	}
	if err := e.Reload(pack); err != nil {
		return nil, err
	}
	return e, nil
}

// Reload builds the index for pack and swaps it in atomically: requests in
// flight finish on the old pack, later ones use the new one.
func (e *Engine) Reload(pack *knowledge.Pack) error {
	if pack == nil || len(pack.Facts) == 0 {
		return fmt.Errorf("reload: pack has no facts")
	}
	st := &state{
		pack:  pack,
		index: match.New(pack.Facts),
		comp:  newCompleter(pack),
	}
	e.cur.Store(st)
	return nil
}

// Pack returns the pack currently answering.
func (e *Engine) Pack() *knowledge.Pack { return e.cur.Load().pack }

// Handle answers one request: it applies the rate limit, runs a command or
// answers a question, and reports to the observer. It never returns an
// empty reply: when there is nothing to send, the kind is KindSilent.
func (e *Engine) Handle(ctx context.Context, req Request) Reply {
	start := time.Now()
	r := e.handle(ctx, req)
	e.obs.Answered(req.Platform, r.Kind, time.Since(start))
	if r.Kind == KindFallback {
		e.log.InfoContext(ctx, "unanswered question", "platform", req.Platform, "question", r.Question)
	}
	return r
}

func (e *Engine) handle(ctx context.Context, req Request) Reply {
	if r, limited := e.limit(req); limited {
		return r
	}
	st := e.cur.Load()
	name, arg := req.Command, req.Text
	if name == "" {
		var ok bool
		if name, arg, ok = ParseCommand(req.Text); !ok {
			return e.ask(ctx, st, req.Text)
		}
	}
	return e.command(ctx, st, req, name, arg)
}

// limit applies the per-user rate limit: the first refused request gets a
// notice, the rest are silent until the user is allowed again.
func (e *Engine) limit(req Request) (Reply, bool) {
	if e.limits == nil {
		return Reply{}, false
	}
	allowed, notify := e.limits.allow(req.Platform + "\x00" + req.UserID)
	if allowed {
		return Reply{}, false
	}
	e.obs.RateLimited(req.Platform)
	if !notify {
		return Reply{Kind: KindSilent}, true
	}
	return Reply{
		Kind:   KindNotice,
		Answer: "You are asking faster than I can keep up. Please wait a moment before the next question.",
	}, true
}

// Ask answers one question with no rate limit, command parsing or
// observer: the contract of `kazbot ask`. The reply kind is KindFact,
// KindSmalltalk or KindFallback.
func (e *Engine) Ask(ctx context.Context, question string) Reply {
	return e.ask(ctx, e.cur.Load(), question)
}

func (e *Engine) ask(_ context.Context, st *state, question string) Reply {
	q, cut := Clean(question, e.maxInput)
	if cut {
		return Reply{
			Question: q,
			Kind:     KindFallback,
			Answer: fmt.Sprintf("That message is too long for me. Please ask in fewer than %d characters, one question at a time.",
				e.maxInput),
			Suggestions: []Suggestion{},
		}
	}
	if q == "" {
		return st.fallback(q, nil, "Ask me something about "+st.pack.Title+", or pick a topic.")
	}
	res := st.index.Match(q, MaxSuggestions+1)
	if res.Smalltalk != "" {
		return st.smalltalk(q, res.Smalltalk)
	}
	if res.Confident {
		c := res.Candidates[0]
		r := st.factReply(st.pack.Facts[c.Fact])
		r.Question = q
		r.Confidence = round2(c.Confidence)
		return r
	}
	return st.fallback(q, res.Candidates, "I don't know that one.")
}

// Show answers a button press or a direct fact lookup: payload is a
// FactButton or TopicButton value, or a bare fact id. A payload that no
// longer resolves (the pack was reloaded) gets a notice.
func (e *Engine) Show(ctx context.Context, req Request, payload string) Reply {
	start := time.Now()
	r := e.show(ctx, req, payload)
	e.obs.Answered(req.Platform, r.Kind, time.Since(start))
	return r
}

func (e *Engine) show(ctx context.Context, req Request, payload string) Reply {
	if r, limited := e.limit(req); limited {
		return r
	}
	st := e.cur.Load()
	factID, topicID, ok := ParseButton(payload)
	if !ok {
		factID = payload
	}
	if topicID != "" {
		return e.randomFact(st, topicID)
	}
	f, ok := st.pack.Fact(factID)
	if !ok {
		return Reply{Kind: KindNotice, Answer: "That fact is no longer in my knowledge base. Try /topics."}
	}
	r := st.factReply(f)
	r.Confidence = 1
	return r
}

// Search returns up to n fact replies for q, best first, for inline search.
// Unlike Ask it does not refuse: it lists whatever looks related. An empty
// q returns featured facts.
func (e *Engine) Search(_ context.Context, q string, n int) []Reply {
	st := e.cur.Load()
	q, _ = Clean(q, e.maxInput)
	var ids []int
	if q == "" {
		ids = st.comp.featured(n)
	} else {
		for _, c := range st.index.Match(q, n).Candidates {
			ids = append(ids, c.Fact)
		}
	}
	out := make([]Reply, 0, len(ids))
	for _, i := range ids {
		r := st.factReply(st.pack.Facts[i])
		r.Question = q
		out = append(out, r)
	}
	return out
}

// Complete suggests up to n fact questions for what the user is typing
// (Discord autocomplete). An empty prefix returns featured facts.
func (e *Engine) Complete(prefix string, n int) []Suggestion {
	prefix, _ = Clean(prefix, 100)
	return e.cur.Load().comp.questions(prefix, n)
}

// CompleteTopic suggests up to n topics for what the user is typing.
func (e *Engine) CompleteTopic(prefix string, n int) []TopicRef {
	prefix, _ = Clean(prefix, 100)
	return e.cur.Load().comp.topics(prefix, n)
}

func (e *Engine) intn(n int) int {
	e.randMu.Lock()
	defer e.randMu.Unlock()
	return e.rand.IntN(n)
}

func round2(f float64) float64 { return float64(int(f*100+0.5)) / 100 }
