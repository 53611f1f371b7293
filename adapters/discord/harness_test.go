package discord

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"kazbot/adapters/discord/discordfake"
	"kazbot/bot"
	"kazbot/bot/bottest"
)

// Tests in this package that run the adapter change discordgo's endpoint
// globals (setEndpoints): none of them may call t.Parallel. Each session
// costs about a second on close (discordgo sleeps), so the end-to-end tests
// share few sessions.

const waitTimeout = 5 * time.Second

func waitCtx(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	t.Cleanup(cancel)
	return ctx
}

// Test engine hooks: these texts and payloads make the engine behave in
// ways the real one does not on demand.
const (
	textPanic    = "panic please"
	textSilent   = "stay silent"
	textLongList = "long list please"
	payloadQuiet = "f:stay-silent"
)

// testEngine is the test pack's real engine, plus hooks: it can block on a
// text until released, panic, stay silent or return a very long list.
type testEngine struct {
	*bot.Engine

	mu    sync.Mutex
	gates map[string]*gate
}

type gate struct {
	entered chan struct{}
	release chan struct{}
	once    sync.Once
}

func newTestEngine(t *testing.T) *testEngine {
	return &testEngine{Engine: bottest.Engine(t), gates: map[string]*gate{}}
}

// block makes the next requests with text wait until release is called;
// entered is closed when the first one arrives.
func (e *testEngine) block(t *testing.T, text string) (entered <-chan struct{}, release func()) {
	g := &gate{entered: make(chan struct{}), release: make(chan struct{})}
	e.mu.Lock()
	e.gates[text] = g
	e.mu.Unlock()
	rel := func() { g.once.Do(func() { close(g.release) }) }
	t.Cleanup(rel)
	return g.entered, rel
}

func (e *testEngine) wait(text string) {
	e.mu.Lock()
	g := e.gates[text]
	e.mu.Unlock()
	if g == nil {
		return
	}
	select {
	case <-g.entered:
	default:
		close(g.entered)
	}
	<-g.release
}

func (e *testEngine) Handle(ctx context.Context, req bot.Request) bot.Reply {
	e.wait(req.Text)
	switch req.Text {
	case textPanic:
		panic("engine exploded; token " + discordfake.Token)
	case textSilent:
		return bot.Reply{Kind: bot.KindSilent}
	case textLongList:
		r := bot.Reply{Kind: bot.KindInfo, Title: "Timeline"}
		for i := range 80 {
			r.Items = append(r.Items, bot.Item{ID: fmt.Sprint(i), Label: fmt.Sprintf("Year %d", 1900+i),
				Text: strings.Repeat("A long line about a treaty. ", 6)})
		}
		return r
	}
	return e.Engine.Handle(ctx, req)
}

func (e *testEngine) Show(ctx context.Context, req bot.Request, payload string) bot.Reply {
	e.wait(payload)
	if payload == payloadQuiet {
		return bot.Reply{Kind: bot.KindSilent}
	}
	return e.Engine.Show(ctx, req, payload)
}

// countingObserver counts API errors by op and reconnects.
type countingObserver struct {
	mu         sync.Mutex
	apiErrors  map[string]int
	reconnects int
}

func (o *countingObserver) APIError(platform, op string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.apiErrors == nil {
		o.apiErrors = map[string]int{}
	}
	o.apiErrors[platform+"/"+op]++
}

func (o *countingObserver) Reconnected(platform string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if platform == "discord" {
		o.reconnects++
	}
}

func (o *countingObserver) counts() (map[string]int, int) {
	o.mu.Lock()
	defer o.mu.Unlock()
	m := map[string]int{}
	for k, v := range o.apiErrors {
		m[k] = v
	}
	return m, o.reconnects
}

// harness is one adapter running against one fake.
type harness struct {
	t    *testing.T
	fake *discordfake.Server
	a    *Adapter
	eng  *testEngine
	logs *bottest.Buffer
	obs  *countingObserver

	cancel context.CancelFunc
	exited chan struct{} // closed when Run returns
	runErr error         // what Run returned; read after exited is closed
}

// start runs an adapter against a new fake and waits until it is ready.
// The config has the fake's token and API URL; configure may change it.
// The adapter is stopped, and the logs checked for the token and the
// requests for broken limits, when the test ends.
func start(t *testing.T, configure func(*Config, *discordfake.Server), fakeOpts ...discordfake.ServerOption) *harness {
	t.Helper()
	h := &harness{t: t, fake: discordfake.New(t, fakeOpts...), eng: newTestEngine(t), logs: &bottest.Buffer{}, obs: &countingObserver{}}
	cfg := Config{Token: discordfake.Token, APIURL: h.fake.APIURL()}
	if configure != nil {
		configure(&cfg, h.fake)
	}
	log := slog.New(slog.NewJSONHandler(h.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	a, err := New(cfg, h.eng, WithLogger(log), WithObserver(h.obs))
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	a.deferAfter = 300 * time.Millisecond
	h.a = a
	ctx, cancel := context.WithCancel(context.Background())
	h.cancel, h.exited = cancel, make(chan struct{})
	go func() {
		h.runErr = a.Run(ctx)
		close(h.exited)
	}()
	t.Cleanup(func() {
		if err := h.stop(15 * time.Second); err != nil {
			t.Errorf("Run: %v", err)
		}
		if strings.Contains(h.logs.String(), discordfake.Token) {
			t.Errorf("the logs contain the bot token:\n%s", h.logs.String())
		}
		if v := h.fake.Violations(); len(v) > 0 {
			t.Errorf("the bot broke Discord's limits:\n%s", strings.Join(v, "\n"))
		}
	})
	h.waitReady()
	return h
}

// stop cancels Run and waits for it to return.
func (h *harness) stop(timeout time.Duration) error {
	h.cancel()
	select {
	case <-h.exited:
		return h.runErr
	case <-time.After(timeout):
		return fmt.Errorf("Run did not return within %v of the stop", timeout)
	}
}

func (h *harness) waitReady() {
	h.t.Helper()
	deadline := time.Now().Add(waitTimeout)
	for !h.a.Ready() {
		select {
		case <-h.exited:
			h.t.Fatalf("Run returned before the adapter was ready: %v\nlogs:\n%s", h.runErr, h.logs.String())
		case <-time.After(5 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			h.t.Fatalf("the adapter was not ready within %v\nlogs:\n%s", waitTimeout, h.logs.String())
		}
	}
}

// eventually polls cond, for states only visible as a boolean (Ready, the
// fake's connection).
func (h *harness) eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(waitTimeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s\nlogs:\n%s", what, h.logs.String())
		}
		time.Sleep(5 * time.Millisecond) // a boolean state: polled
	}
}

// settle waits until every event handed to the adapter so far is handled.
func (h *harness) settle(t *testing.T) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		h.a.inflight.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(waitTimeout):
		t.Fatal("handlers still running after the wait timeout")
	}
}

func (h *harness) interact(t *testing.T, in discordfake.Interaction) {
	t.Helper()
	if err := h.fake.SendInteraction(in); err != nil {
		t.Fatal(err)
	}
}

func (h *harness) message(t *testing.T, m discordfake.Message) {
	t.Helper()
	if err := h.fake.SendMessage(m); err != nil {
		t.Fatal(err)
	}
}

// callback waits for the accepted callback of interaction id and decodes
// it.
func (h *harness) callback(t *testing.T, id string) callbackBody {
	t.Helper()
	r, err := h.fake.WaitCallback(waitCtx(t), id)
	if err != nil {
		t.Fatalf("%v\nlogs:\n%s", err, h.logs.String())
	}
	var cb callbackBody
	if err := r.Decode(&cb); err != nil {
		t.Fatalf("decode callback: %v\n%s", err, r.Body)
	}
	return cb
}

// reply waits for the bot's accepted reply to message id in channel.
func (h *harness) reply(t *testing.T, channel, id string) messageBody {
	t.Helper()
	r, err := h.fake.WaitChannelMessage(waitCtx(t), channel, id)
	if err != nil {
		t.Fatalf("%v\nlogs:\n%s", err, h.logs.String())
	}
	var m messageBody
	if err := r.Decode(&m); err != nil {
		t.Fatalf("decode message: %v\n%s", err, r.Body)
	}
	return m
}

// requestsTo returns the requests whose path is path.
func (h *harness) requestsTo(method, path string) []discordfake.Request {
	var out []discordfake.Request
	for _, r := range h.fake.Requests() {
		if r.Method == method && r.Path == path {
			out = append(out, r)
		}
	}
	return out
}

// The JSON shapes the tests read back.

type callbackBody struct {
	Type int          `json:"type"`
	Data *messageBody `json:"data"`
}

type messageBody struct {
	Content         string         `json:"content"`
	Embeds          []embedBody    `json:"embeds"`
	Components      []rowBody      `json:"components"`
	Flags           int            `json:"flags"`
	AllowedMentions *mentionsBody  `json:"allowed_mentions"`
	Reference       *referenceBody `json:"message_reference"`
	Choices         []choice       `json:"choices"`
}

type mentionsBody struct {
	Parse       *[]string `json:"parse"`
	Roles       []string  `json:"roles"`
	Users       []string  `json:"users"`
	RepliedUser bool      `json:"replied_user"`
}

type referenceBody struct {
	MessageID string `json:"message_id"`
}

type embedBody struct {
	Title       string `json:"title"`
	Description string `json:"description"`
	Color       int    `json:"color"`
	Footer      *struct {
		Text string `json:"text"`
	} `json:"footer"`
}

type rowBody struct {
	Type       int             `json:"type"`
	Components []componentBody `json:"components"`
}

type componentBody struct {
	Type     int    `json:"type"`
	CustomID string `json:"custom_id"`
	Label    string `json:"label"`
	Options  []struct {
		Label string `json:"label"`
		Value string `json:"value"`
	} `json:"options"`
}

// text is every embed's title and description, for loose content checks.
func (m messageBody) text() string {
	var b strings.Builder
	for _, e := range m.Embeds {
		b.WriteString(e.Title + "\n" + e.Description + "\n")
	}
	return b.String()
}

func (m messageBody) footer() string {
	if len(m.Embeds) == 0 || m.Embeds[len(m.Embeds)-1].Footer == nil {
		return ""
	}
	return m.Embeds[len(m.Embeds)-1].Footer.Text
}

func (m messageBody) customIDs() []string {
	var ids []string
	for _, r := range m.Components {
		for _, c := range r.Components {
			if c.Type == 3 {
				for _, o := range c.Options {
					ids = append(ids, c.CustomID+"="+o.Value)
				}
				continue
			}
			ids = append(ids, c.CustomID)
		}
	}
	return ids
}

func (m messageBody) has(customID string) bool {
	for _, id := range m.customIDs() {
		if id == customID {
			return true
		}
	}
	return false
}

// checkPingsNobody fails unless the message allows no mentions at all.
func checkPingsNobody(t *testing.T, m messageBody) {
	t.Helper()
	am := m.AllowedMentions
	switch {
	case am == nil:
		t.Error("no allowed_mentions: user text could ping")
	case am.Parse == nil:
		t.Error("allowed_mentions.parse is missing or null, want []")
	case len(*am.Parse) != 0 || len(am.Roles) != 0 || len(am.Users) != 0 || am.RepliedUser:
		t.Errorf("allowed_mentions = %+v, want an empty parse list and no replied_user ping", *am)
	}
}

// checkEmbeds fails unless the message is embeds in kazbot's colour.
func checkEmbeds(t *testing.T, m messageBody) {
	t.Helper()
	if len(m.Embeds) == 0 {
		t.Fatalf("message has no embed: %+v", m)
	}
	for _, e := range m.Embeds {
		if e.Color != embedColor {
			t.Errorf("embed colour %#x, want %#x", e.Color, embedColor)
		}
	}
}
