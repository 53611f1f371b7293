package telegram_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"kazbot/adapters/telegram"
	"kazbot/adapters/telegram/telegramfake"
	"kazbot/bot"
	"kazbot/bot/bottest"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/")

// token is the bot token the tests use; no log line may contain it.
const token = "424242:SECRET-token-that-must-never-be-logged"

// harness runs one adapter against one fake Bot API server.
type harness struct {
	t    testing.TB
	fake *telegramfake.Server
	a    *telegram.Adapter
	logs *bottest.Buffer
	obs  *recObserver

	cancel   context.CancelFunc
	done     chan error
	stopOnce sync.Once
	runErr   error
}

// start runs an adapter over eng against a new fake until the test ends;
// mods adjust the configuration. It returns once the adapter is polling
// (or has registered its webhook).
func start(t testing.TB, eng telegram.Engine, mods ...func(*telegram.Config)) *harness {
	t.Helper()
	fake := telegramfake.New(token, telegramfake.User{})
	t.Cleanup(fake.Close)
	return startWith(t, fake, eng, mods...)
}

func startWith(t testing.TB, fake *telegramfake.Server, eng telegram.Engine, mods ...func(*telegram.Config)) *harness {
	t.Helper()
	cfg := telegram.Config{
		Token:           token,
		APIURL:          fake.URL,
		PollTimeout:     time.Second,
		ShutdownTimeout: 5 * time.Second,
	}
	for _, m := range mods {
		m(&cfg)
	}
	h := &harness{t: t, fake: fake, logs: &bottest.Buffer{}, obs: &recObserver{}, done: make(chan error, 1)}
	logger := slog.New(slog.NewTextHandler(h.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	a, err := telegram.New(cfg, eng, telegram.WithLogger(logger), telegram.WithObserver(h.obs))
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	h.a = a
	ctx, cancel := context.WithCancel(context.Background())
	h.cancel = cancel
	go func() { h.done <- a.Run(ctx) }()
	t.Cleanup(func() {
		h.stop()
		if strings.Contains(h.logs.String(), token) {
			t.Errorf("the token appears in the logs:\n%s", h.logs)
		}
	})
	// Polling has started once a getUpdates call reaches the fake; webhook
	// mode once the webhook is registered.
	started := func() bool { return fake.Active("getUpdates") > 0 || len(fake.Requests("getUpdates")) > 0 }
	if cfg.Webhook.Listen != "" {
		started = func() bool { return len(fake.Requests("setWebhook")) > 0 }
	}
	if err := fake.Wait(waitCtx(t), started); err != nil {
		t.Fatalf("adapter did not start: %v\nlogs:\n%s", err, h.logs)
	}
	eventually(t, "the adapter is ready", a.Ready)
	return h
}

// stop cancels Run and waits for it; it returns Run's error.
func (h *harness) stop() error {
	h.stopOnce.Do(func() {
		h.cancel()
		select {
		case h.runErr = <-h.done:
		case <-time.After(20 * time.Second):
			h.runErr = fmt.Errorf("Run did not return within 20s of cancel")
			h.t.Error(h.runErr)
		}
	})
	return h.runErr
}

// push stamps and queues updates at the fake.
func (h *harness) push(us ...telegramfake.Update) []telegramfake.Update {
	return h.fake.Push(us...)
}

// waitSent waits for n sent messages in total.
func (h *harness) waitSent(n int) []telegramfake.Sent {
	h.t.Helper()
	sent, err := h.fake.WaitSent(waitCtx(h.t), n)
	if err != nil {
		h.t.Fatalf("%v\nsent: %s\nlogs:\n%s", err, visible(sent), h.logs)
	}
	return sent
}

// waitCtx is the context tests wait with: a short bound with a clear
// failure instead of a hung test.
func waitCtx(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// eventually waits for cond, which has no channel to wait on.
func eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting until %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func visible(sent []telegramfake.Sent) string {
	var b strings.Builder
	for _, s := range sent {
		fmt.Fprintf(&b, "\n  chat %d: %q", s.ChatID, s.Visible)
	}
	return b.String()
}

// recObserver records observer calls.
type recObserver struct {
	mu          sync.Mutex
	apiErrors   []string
	reconnected int
}

func (o *recObserver) APIError(platform, op string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.apiErrors = append(o.apiErrors, platform+"/"+op)
}

func (o *recObserver) Reconnected(string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.reconnected++
}

func (o *recObserver) errors() []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]string(nil), o.apiErrors...)
}

func (o *recObserver) reconnects() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.reconnected
}

// golden compares got (marshalled as indented JSON) with
// testdata/name; -update rewrites the file.
func golden(t *testing.T, name string, got any) {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // keep the HTML readable
	enc.SetIndent("", "  ")
	if err := enc.Encode(got); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden file (run go test -update to create it): %v", err)
	}
	if !bytes.Equal(want, data) {
		t.Errorf("%s differs from the golden file (go test -update rewrites it)\ngot:\n%s\nwant:\n%s", name, data, want)
	}
}

// params decodes every parameter of a request into plain JSON values,
// unwrapping JSON held in strings (reply_markup), so golden files compare
// what was sent rather than how a client quoted it.
func params(r telegramfake.Request) map[string]any {
	out := map[string]any{}
	for k := range r.Params {
		var v any
		if err := r.Decode(k, &v); err != nil {
			v = r.Str(k)
		}
		out[k] = v
	}
	return out
}

// freeAddr returns a loopback address with a free port.
func freeAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// Engines used by the tests.

// panicEngine panics on one question and otherwise asks inner.
type panicEngine struct {
	telegram.Engine
	trigger string
}

func (e panicEngine) Handle(ctx context.Context, req bot.Request) bot.Reply {
	if req.Text == e.trigger {
		panic("test panic for " + e.trigger)
	}
	return e.Engine.Handle(ctx, req)
}

// recordingEngine records every request and asks inner.
type recordingEngine struct {
	telegram.Engine
	mu   sync.Mutex
	reqs []bot.Request
}

func (e *recordingEngine) Handle(ctx context.Context, req bot.Request) bot.Reply {
	e.mu.Lock()
	e.reqs = append(e.reqs, req)
	e.mu.Unlock()
	return e.Engine.Handle(ctx, req)
}

func (e *recordingEngine) requests() []bot.Request {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]bot.Request(nil), e.reqs...)
}

// echoEngine returns the user's text in every field of a reply, to show
// that nothing a user types reaches Telegram unescaped.
type echoEngine struct{}

func (echoEngine) Handle(_ context.Context, req bot.Request) bot.Reply {
	t := req.Text
	return bot.Reply{
		Kind: bot.KindFact, FactID: "echo", Title: t, Answer: t, Source: t,
		Items:       []bot.Item{{ID: "x", Label: t, Text: t}},
		Suggestions: []bot.Suggestion{{FactID: "echo", Question: t}},
	}
}

func (e echoEngine) Show(ctx context.Context, req bot.Request, payload string) bot.Reply {
	return e.Handle(ctx, bot.Request{Text: payload})
}

func (echoEngine) Search(context.Context, string, int) []bot.Reply { return nil }

// tagEngine serves the burst test: a question "q7|text" is answered by
// inner for "text", and the answer is tagged "[q7]" so the test can tell
// which message a reply answers.
type tagEngine struct{ telegram.Engine }

var tagRx = regexp.MustCompile(`^(q\d+)\|(.*)$`)

func (e tagEngine) Handle(ctx context.Context, req bot.Request) bot.Reply {
	m := tagRx.FindStringSubmatch(req.Text)
	if m == nil {
		return e.Engine.Handle(ctx, req)
	}
	req.Text = m[2]
	r := e.Engine.Handle(ctx, req)
	r.Answer += " [" + m[1] + "]"
	return r
}
