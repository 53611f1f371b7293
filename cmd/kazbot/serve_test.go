package main

import (
	"bytes"
	"context"
	"errors"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"kazbot/adapters/discord/discordfake"
	"kazbot/adapters/telegram"
	"kazbot/adapters/telegram/telegramfake"
	"kazbot/bot"
	"kazbot/knowledge"
)

// TestServeRunsTelegramAndDiscordAtOnce runs serve end to end against
// both fakes, with distinctive tokens, and drives it in order: readiness,
// answers on both platforms, limits, metrics, the stop, and the log.
func TestServeRunsTelegramAndDiscordAtOnce(t *testing.T) {
	tg := newTelegram(t, tgToken)
	releaseGetMe := tg.Hold("getMe") // Telegram stays not ready until released
	defer releaseGetMe()
	tg.FailNext("setMyCommands", telegramfake.Fault{Code: 500, Description: "Internal Server Error"})
	dc := discordfake.New(t, discordfake.WithToken(dcToken))
	s := startServe(t, baseEnv(map[string]string{
		"KAZBOT_TELEGRAM_TOKEN":      tgToken,
		"KAZBOT_TELEGRAM_API_URL":    tg.URL,
		"KAZBOT_DISCORD_TOKEN":       dcToken,
		"KAZBOT_DISCORD_API_URL":     dc.APIURL(),
		"KAZBOT_DISCORD_SHARD_COUNT": "2",
	}), serveHooks{hostname: func() (string, error) { return "kazbot-discord-1", nil }},
		"--config", "testdata/serve/e2e.yaml", "--knowledge", "testdata/pack", "--discord-shard-from-hostname")

	t.Run("the health check answers while the platforms connect", func(t *testing.T) {
		if code, body := s.get("/healthz"); code != http.StatusOK || body != "ok\n" {
			t.Errorf("/healthz = %d %q, want 200 ok", code, body)
		}
	})

	t.Run("readiness names the platform that is not connected yet", func(t *testing.T) {
		if _, err := dc.WaitReady(waitCtx(t)); err != nil {
			t.Fatal(err)
		}
		s.eventually("/readyz to name only telegram", func() bool {
			code, body := s.get("/readyz")
			return code == http.StatusServiceUnavailable && body == "not ready: telegram\n"
		})
	})

	releaseGetMe()
	t.Run("readiness turns ready once both platforms are connected", func(t *testing.T) {
		s.waitReady()
		if _, body := s.get("/readyz"); body != "ready: discord, telegram\n" {
			t.Errorf("/readyz body = %q", body)
		}
	})

	t.Run("the Discord shard id comes from the host name's ordinal", func(t *testing.T) {
		id, err := dc.WaitReady(waitCtx(t))
		if err != nil {
			t.Fatal(err)
		}
		if id.Shard == nil || *id.Shard != [2]int{1, 2} {
			t.Errorf("IDENTIFY shard = %v, want [1 2] (kazbot-discord-1 of 2)", id.Shard)
		}
	})

	t.Run("Telegram answers a question", func(t *testing.T) {
		if got := ask(t, s, tg, alice, unQuestion); !strings.Contains(got, "168th") {
			t.Errorf("Telegram reply = %q, want the UN membership fact", got)
		}
	})

	t.Run("Discord answers a slash command", func(t *testing.T) {
		if err := dc.SendInteraction(discordfake.Command("i-un", "ask", discordfake.Option{Name: "question", Value: unQuestion})); err != nil {
			t.Fatal(err)
		}
		r, err := dc.WaitCallback(waitCtx(t), "i-un")
		if err != nil {
			t.Fatalf("%v\nlogs:\n%s", err, s.logs)
		}
		if !bytes.Contains(r.Body, []byte("168th")) {
			t.Errorf("Discord reply = %s, want the UN membership fact", r.Body)
		}
	})

	t.Run("a user over the rate limit is told once, then ignored", func(t *testing.T) {
		// e2e.yaml: burst 3, one request a minute after that.
		chat := telegramfake.PrivateChat(bob)
		for range 5 {
			tg.Push(telegramfake.Text(chat, bob, "hello"))
		}
		s.eventually("two refused requests", func() bool {
			return s.metric(`kazbot_rate_limited_total{platform="telegram"}`) == 2
		})
		sent := tg.SentTo(chat.ID)
		if len(sent) != 4 {
			t.Fatalf("bob got %d messages, want 3 answers and 1 notice", len(sent))
		}
		if !strings.Contains(sent[3].Visible, "faster than I can keep up") {
			t.Errorf("4th message = %q, want the rate-limit notice", sent[3].Visible)
		}
	})

	t.Run("an overlong question gets a reply asking for a shorter one", func(t *testing.T) {
		long := strings.Repeat("Kazakhstan and the United Nations ", 10) // 340 characters; e2e.yaml caps at 200
		if got := ask(t, s, tg, carol, long); !strings.Contains(got, "fewer than 200 characters") {
			t.Errorf("reply to a long question = %q", got)
		}
	})

	t.Run("a dropped Discord connection comes back", func(t *testing.T) {
		dc.Drop()
		if err := dc.WaitResumed(waitCtx(t), 1); err != nil {
			t.Fatal(err)
		}
		s.eventually("the reconnect to be counted", func() bool {
			return s.metric(`kazbot_platform_reconnects_total{platform="discord"}`) == 1
		})
		s.waitReady()
	})

	t.Run("the metrics count both platforms", func(t *testing.T) {
		code, body := s.get("/metrics")
		if code != http.StatusOK {
			t.Fatalf("/metrics = %d", code)
		}
		want := map[string]float64{
			`kazbot_questions_total{kind="fact",platform="telegram"}`:                  1,
			`kazbot_questions_total{kind="smalltalk",platform="telegram"}`:             3,
			`kazbot_questions_total{kind="notice",platform="telegram"}`:                1,
			`kazbot_questions_total{kind="silent",platform="telegram"}`:                1,
			`kazbot_questions_total{kind="fallback",platform="telegram"}`:              1,
			`kazbot_questions_total{kind="fact",platform="discord"}`:                   1,
			`kazbot_answer_seconds_count{platform="telegram"}`:                         7,
			`kazbot_answer_seconds_count{platform="discord"}`:                          1,
			`kazbot_fallbacks_total{platform="telegram"}`:                              1,
			`kazbot_fallbacks_total{platform="discord"}`:                               0,
			`kazbot_rate_limited_total{platform="telegram"}`:                           2,
			`kazbot_rate_limited_total{platform="discord"}`:                            0,
			`kazbot_platform_reconnects_total{platform="discord"}`:                     1,
			`kazbot_platform_reconnects_total{platform="telegram"}`:                    0,
			`kazbot_platform_api_errors_total{op="setMyCommands",platform="telegram"}`: 1,
			`kazbot_platform_ready{platform="telegram"}`:                               1,
			`kazbot_platform_ready{platform="discord"}`:                                1,
			`kazbot_knowledge_facts`:                                                   3,
		}
		for sample, v := range want {
			if got := metricIn(body, sample); got != v {
				t.Errorf("%s = %v, want %v", sample, got, v)
			}
		}
		for _, name := range []string{"go_goroutines", "process_cpu_seconds_total", "kazbot_answer_seconds_bucket"} {
			if !strings.Contains(body, "\n# TYPE "+name) && !strings.Contains(body, "\n"+name) {
				t.Errorf("/metrics has no %s", name)
			}
		}
	})

	t.Run("a stop exits 0 after closing both platforms", func(t *testing.T) {
		if code := s.stop(); code != 0 {
			t.Fatalf("exit code %d, want 0\n%s", code, s.logs)
		}
		for _, p := range []string{"discord", "telegram"} {
			if !hasLog(s, "platform stopped", "platform", p) {
				t.Errorf("no log that %s stopped", p)
			}
		}
		s.waitLog("kazbot stopped")
	})

	t.Run("every log line is JSON with a component, and no line holds a secret", func(t *testing.T) {
		components := map[string]bool{}
		for _, l := range s.logLines() {
			c, ok := l["component"].(string)
			if !ok {
				t.Errorf("log line without a component: %v", l)
				continue
			}
			components[c] = true
		}
		for _, c := range []string{"serve", "discord", "telegram"} {
			if !components[c] {
				t.Errorf("no log line from component %s (have %v)", c, components)
			}
		}
		for _, secret := range secrets {
			if strings.Contains(s.logs.String(), secret) {
				t.Errorf("the log holds %q", secret)
			}
		}
	})
}

// hasLog reports whether a log line has message msg and attribute key set
// to value.
func hasLog(s *serving, msg, key, value string) bool {
	for _, l := range s.logLines() {
		if l["msg"] == msg && l[key] == value {
			return true
		}
	}
	return false
}

// gatedEngine holds Discord requests until released, so a test can stop
// serve while a reply is in flight.
type gatedEngine struct {
	*bot.Engine
	entered chan struct{}
	release chan struct{}
	once    sync.Once
}

func (e *gatedEngine) Handle(ctx context.Context, req bot.Request) bot.Reply {
	if req.Platform == "discord" {
		e.once.Do(func() { close(e.entered) })
		<-e.release
	}
	return e.Engine.Handle(ctx, req)
}

func TestAStopFinishesTheRepliesInFlight(t *testing.T) {
	tg := newTelegram(t, tgToken)
	dc := discordfake.New(t, discordfake.WithToken(dcToken))
	gate := &gatedEngine{entered: make(chan struct{}), release: make(chan struct{})}
	s := startServe(t, baseEnv(map[string]string{
		"KAZBOT_TELEGRAM_TOKEN":   tgToken,
		"KAZBOT_TELEGRAM_API_URL": tg.URL,
		"KAZBOT_DISCORD_TOKEN":    dcToken,
		"KAZBOT_DISCORD_API_URL":  dc.APIURL(),
	}), serveHooks{wrap: func(e *bot.Engine) engine { gate.Engine = e; return gate }}, "--knowledge", "testdata/pack")
	s.waitReady()

	// Telegram: the fake holds the reply on the wire. Discord: the engine
	// holds the answer.
	releaseSend := tg.Hold("sendMessage")
	defer releaseSend()
	chat := telegramfake.PrivateChat(alice)
	tg.Push(telegramfake.Text(chat, alice, unQuestion))
	if err := tg.Wait(waitCtx(t), func() bool { return tg.InFlight("sendMessage") == 1 }); err != nil {
		t.Fatal(err)
	}
	if err := dc.SendInteraction(discordfake.Command("i-slow", "ask", discordfake.Option{Name: "question", Value: unQuestion})); err != nil {
		t.Fatal(err)
	}
	select {
	case <-gate.entered:
	case <-time.After(waitTimeout):
		t.Fatal("the Discord request never reached the engine")
	}

	s.cancel() // SIGTERM
	s.eventually("/readyz to say serve is stopping", func() bool {
		code, body := s.get("/readyz")
		return code == http.StatusServiceUnavailable && body == "not ready: stopping\n"
	})
	// An update that arrives now is not taken.
	tg.Push(telegramfake.Text(telegramfake.PrivateChat(dave), dave, "hello"))
	time.Sleep(100 * time.Millisecond) // the replies stay held a moment into the stop
	releaseSend()
	close(gate.release)

	if code := s.wait(); code != 0 {
		t.Fatalf("exit code %d, want 0\n%s", code, s.logs)
	}
	if sent := tg.SentTo(chat.ID); len(sent) != 1 || !strings.Contains(sent[0].Visible, "168th") {
		t.Errorf("the Telegram reply in flight was lost: %d messages sent to alice", len(sent))
	}
	r, err := dc.WaitCallback(waitCtx(t), "i-slow")
	if err != nil || !bytes.Contains(r.Body, []byte("168th")) {
		t.Errorf("the Discord reply in flight was lost: %v %s", err, r.Body)
	}
	if n := len(tg.SentTo(dave.ID)); n != 0 {
		t.Errorf("an update that arrived during the stop was answered (%d messages)", n)
	}
}

func TestAPlatformThatFailsToStartStopsTheOther(t *testing.T) {
	tests := []struct {
		name       string
		tgAccepts  string
		dcAccepts  string
		failed     string
		stopped    string
		wantInLogs string
	}{
		{"a rejected Telegram token stops Discord too", "777001:another-token", dcToken, "telegram", "discord", telegram.TokenEnv},
		{"a rejected Discord token stops Telegram too", tgToken, "another-discord-token", "discord", "telegram", "KAZBOT_DISCORD_TOKEN"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tg := newTelegram(t, tt.tgAccepts)
			dc := discordfake.New(t, discordfake.WithToken(tt.dcAccepts))
			s := startServe(t, baseEnv(map[string]string{
				"KAZBOT_TELEGRAM_TOKEN":   tgToken,
				"KAZBOT_TELEGRAM_API_URL": tg.URL,
				"KAZBOT_DISCORD_TOKEN":    dcToken,
				"KAZBOT_DISCORD_API_URL":  dc.APIURL(),
			}), serveHooks{})
			if code := s.wait(); code != 1 {
				t.Fatalf("exit code %d, want 1\n%s", code, s.logs)
			}
			var failure map[string]any
			for _, l := range s.logLines() {
				if l["msg"] == "platform failed" && l["platform"] == tt.failed {
					failure = l
				}
			}
			if failure == nil {
				t.Fatalf("no log line says %s failed:\n%s", tt.failed, s.logs)
			}
			if msg, _ := failure["err"].(string); !strings.Contains(msg, "token was rejected") || !strings.Contains(msg, tt.wantInLogs) {
				t.Errorf("the failure does not say the token was rejected and which variable to check: %q", msg)
			}
			if !hasLog(s, "platform stopped", "platform", tt.stopped) {
				t.Errorf("no log line says %s was stopped:\n%s", tt.stopped, s.logs)
			}
			s.waitLog("kazbot stopped after a failure")
		})
	}
}

func TestTelegramWebhookModeThroughServeChecksTheSecret(t *testing.T) {
	tg := newTelegram(t, tgToken)
	hookAddr := freeAddr(t)
	s := startServe(t, baseEnv(map[string]string{
		"KAZBOT_TELEGRAM_TOKEN":                tgToken,
		"KAZBOT_TELEGRAM_API_URL":              tg.URL,
		"KAZBOT_TELEGRAM_WEBHOOK_LISTEN":       hookAddr,
		"KAZBOT_TELEGRAM_WEBHOOK_PUBLIC_URL":   "http://" + hookAddr,
		"KAZBOT_TELEGRAM_WEBHOOK_SECRET_TOKEN": hookSecret,
		"KAZBOT_TELEGRAM_WEBHOOK_PATH":         "/tg/hook",
	}), serveHooks{}, "--knowledge", "testdata/pack")
	s.waitReady()
	hookURL := "http://" + hookAddr + "/tg/hook"

	t.Run("serve registers the webhook with the configured URL and secret", func(t *testing.T) {
		regs := tg.Requests("setWebhook")
		if len(regs) != 1 || regs[0].Str("url") != hookURL || regs[0].Str("secret_token") != hookSecret {
			t.Fatalf("setWebhook calls %+v, want one with %s and the secret", regs, hookURL)
		}
		if n := len(tg.Requests("getUpdates")); n != 0 {
			t.Errorf("serve polled getUpdates %d times in webhook mode", n)
		}
	})

	tests := []struct {
		name   string
		secret string // what Telegram sends; "" sends the configured one
		user   telegramfake.User
		status int
		answer bool
	}{
		{"an update with the right secret is answered", "", alice, http.StatusOK, true},
		{"an update with a wrong secret is refused and not answered", "wrong-secret", bob, http.StatusUnauthorized, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.secret != "" {
				tg.SetWebhook(hookURL, tt.secret)
			}
			before := len(tg.Deliveries())
			chat := telegramfake.PrivateChat(tt.user)
			tg.Push(telegramfake.Text(chat, tt.user, unQuestion))
			if err := tg.Wait(waitCtx(t), func() bool { return len(tg.Deliveries()) > before }); err != nil {
				t.Fatal(err)
			}
			if d := tg.Deliveries()[before]; d.Status != tt.status {
				t.Errorf("delivery answered %d (%v), want %d", d.Status, d.Err, tt.status)
			}
			if tt.answer {
				if err := tg.Wait(waitCtx(t), func() bool { return len(tg.SentTo(chat.ID)) == 1 }); err != nil {
					t.Fatalf("no answer: %v\n%s", err, s.logs)
				}
				if got := tg.SentTo(chat.ID)[0].Visible; !strings.Contains(got, "168th") {
					t.Errorf("answer %q", got)
				}
			} else if n := len(tg.SentTo(chat.ID)); n != 0 {
				t.Errorf("a refused update was answered (%d messages)", n)
			}
		})
	}

	t.Run("a request without the secret header is refused", func(t *testing.T) {
		resp, err := http.Post(hookURL, "application/json", strings.NewReader(`{"update_id":99}`))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("status %d, want 401", resp.StatusCode)
		}
		s.waitLog("webhook request refused: wrong or missing secret token")
	})

	if code := s.stop(); code != 0 {
		t.Errorf("exit code %d, want 0\n%s", code, s.logs)
	}
}

func TestReloadSwapsInAValidPackAndKeepsTheOldOneOnAnInvalidOne(t *testing.T) {
	tg := newTelegram(t, tgToken)
	dir := copyDir(t, "testdata/pack")
	s := startServe(t, baseEnv(map[string]string{
		"KAZBOT_TELEGRAM_TOKEN":   tgToken,
		"KAZBOT_TELEGRAM_API_URL": tg.URL,
	}), serveHooks{}, "--knowledge", dir)
	s.waitReady()
	if got := ask(t, s, tg, alice, unQuestion); !strings.Contains(got, "168th member.") {
		t.Fatalf("first answer %q", got)
	}
	un := filepath.Join(dir, "un.yaml")
	data, err := os.ReadFile(un)
	if err != nil {
		t.Fatal(err)
	}

	t.Run("a valid pack is swapped in", func(t *testing.T) {
		edited := strings.Replace(string(data), "as its 168th member.", "as its 168th member (reloaded).", 1)
		if err := os.WriteFile(un, []byte(edited), 0o644); err != nil {
			t.Fatal(err)
		}
		s.reload <- syscall.SIGHUP
		line := s.waitLog("knowledge pack reloaded")
		if line["component"] != "reload" || line["facts"] != float64(3) {
			t.Errorf("reload log line %v", line)
		}
		if got := ask(t, s, tg, alice, unQuestion); !strings.Contains(got, "(reloaded)") {
			t.Errorf("answer after the reload %q, want the new pack's", got)
		}
	})

	t.Run("an invalid pack is rejected with every problem logged", func(t *testing.T) {
		broken, err := os.ReadFile("testdata/broken/un.yaml")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(un, broken, 0o644); err != nil {
			t.Fatal(err)
		}
		_, loadErr := knowledge.LoadDir(dir)
		var want knowledge.Errors
		if !errors.As(loadErr, &want) || len(want) < 2 {
			t.Fatalf("the broken pack should have several problems: %v", loadErr)
		}
		s.reload <- syscall.SIGHUP
		line := s.waitLog("reload rejected: the current knowledge pack stays")
		if line["problems"] != float64(len(want)) {
			t.Errorf("rejection line %v, want problems=%d", line, len(want))
		}
		logged := map[string]bool{}
		for _, l := range s.logLines() {
			if l["msg"] == "knowledge pack problem" {
				logged[l["problem"].(string)] = true
			}
		}
		for _, e := range want {
			if !logged[e.Error()] {
				t.Errorf("problem not logged: %s", e)
			}
		}
		if got := ask(t, s, tg, alice, unQuestion); !strings.Contains(got, "(reloaded)") {
			t.Errorf("answer after a rejected reload %q, want the pack that was running", got)
		}
	})

	t.Run("the metrics count each outcome", func(t *testing.T) {
		if ok, bad := s.metric(`kazbot_knowledge_reloads_total{result="ok"}`), s.metric(`kazbot_knowledge_reloads_total{result="rejected"}`); ok != 1 || bad != 1 {
			t.Errorf("reloads ok=%v rejected=%v, want 1 and 1", ok, bad)
		}
	})
}

func TestReloadWithTheBuiltInPackSaysThereIsNothingToReload(t *testing.T) {
	tg := newTelegram(t, tgToken)
	s := startServe(t, baseEnv(map[string]string{
		"KAZBOT_TELEGRAM_TOKEN":   tgToken,
		"KAZBOT_TELEGRAM_API_URL": tg.URL,
	}), serveHooks{})
	s.reload <- syscall.SIGHUP
	s.waitLog("reload requested, but the built-in knowledge pack is in use: nothing to reload (set knowledge.dir or --knowledge to reload from disk)")
	if code := s.stop(); code != 0 {
		t.Errorf("exit code %d", code)
	}
}

func TestARealSIGHUPReloadsThePack(t *testing.T) {
	tg := newTelegram(t, tgToken)
	// Serve's own signal.Notify receives SIGHUP from the moment it starts
	// until it returns, so the signal cannot reach the test binary's
	// default handler.
	s := startServe(t, baseEnv(map[string]string{
		"KAZBOT_TELEGRAM_TOKEN":   tgToken,
		"KAZBOT_TELEGRAM_API_URL": tg.URL,
		"KAZBOT_KNOWLEDGE_DIR":    copyDir(t, "testdata/pack"),
	}), serveHooks{reload: defaultServeHooks().reload})
	if err := syscall.Kill(os.Getpid(), syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	s.waitLog("knowledge pack reloaded")
	if code := s.stop(); code != 0 {
		t.Errorf("exit code %d", code)
	}
}

func TestServeWithoutATokenSaysHowToSetOne(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		args []string
	}{
		{"with no configuration at all", nil, nil},
		{"with empty token variables", map[string]string{"KAZBOT_TELEGRAM_TOKEN": "", "KAZBOT_DISCORD_TOKEN": ""}, nil},
		{"with a configuration file and no token", nil, []string{"--config", "testdata/serve/e2e.yaml"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := Run(context.Background(), append([]string{"serve"}, tt.args...),
				Stdio{In: strings.NewReader(""), Out: &out, Err: &errOut, Getenv: getenv(tt.env)})
			if code != 1 {
				t.Errorf("exit code %d, want 1", code)
			}
			for _, want := range []string{"no platform token is set", "export KAZBOT_TELEGRAM_TOKEN=", "export KAZBOT_DISCORD_TOKEN=", "kazbot chat"} {
				if !strings.Contains(errOut.String(), want) {
					t.Errorf("message lacks %q:\n%s", want, errOut.String())
				}
			}
			if out.Len() != 0 {
				t.Errorf("wrote to standard output: %q", out.String())
			}
		})
	}
}

func TestServeRefusesAnInvalidConfigurationBeforeStarting(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		args []string
		want []string
	}{
		{"an unknown key in the file", nil, []string{"--config", "testdata/serve/unknown-key.yaml"},
			[]string{"testdata/serve/unknown-key.yaml:3: limits.burts: unknown key (known here: rate_per_minute, burst, max_input)"}},
		{"a token in the file", nil, []string{"--config", "testdata/serve/token-in-file.yaml"},
			[]string{"testdata/serve/token-in-file.yaml:3: telegram.token: secrets are not read from files; remove it and set KAZBOT_TELEGRAM_TOKEN in the environment"}},
		{"the file named by KAZBOT_CONFIG", map[string]string{"KAZBOT_CONFIG": "testdata/serve/unknown-key.yaml"}, nil,
			[]string{"limits.burts: unknown key"}},
		{"bad values from the environment", map[string]string{"KAZBOT_TELEGRAM_TOKEN": tgToken, "KAZBOT_LIMITS_BURST": "0", "KAZBOT_LOG_LEVEL": "loud"}, nil,
			[]string{"configuration problems:", "log.level: must be debug, info, warn or error", "limits.burst: must be at least 1, got 0"}},
		{"a shard from a host name without an ordinal", map[string]string{"KAZBOT_DISCORD_TOKEN": dcToken, "KAZBOT_DISCORD_SHARD_COUNT": "2"},
			[]string{"--discord-shard-from-hostname"},
			[]string{`discord.shard_from_hostname: host name "kazbot-test" does not end in -<number>`}},
		{"an invalid knowledge pack", map[string]string{"KAZBOT_TELEGRAM_TOKEN": tgToken, "KAZBOT_HTTP_LISTEN": "127.0.0.1:0"},
			[]string{"--knowledge", "testdata/broken"},
			[]string{`"problem":"testdata/broken/un.yaml:3: facts[0].topic: unknown topic`, "cannot start without a valid knowledge pack"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			env := tt.env
			if env == nil {
				env = map[string]string{}
			}
			env["KAZBOT_LOG_FORMAT"] = "json"
			hooks := defaultServeHooks()
			hooks.hostname = func() (string, error) { return "kazbot-test", nil }
			hooks.started = func(string) { t.Error("serve started") }
			err := serve(context.Background(), Stdio{In: strings.NewReader(""), Out: &out, Err: &errOut, Getenv: getenv(env)},
				tt.args, hooks)
			if code := exitCode("serve", err, &errOut); code != 1 {
				t.Errorf("exit code %d, want 1", code)
			}
			for _, w := range tt.want {
				if !strings.Contains(errOut.String(), w) {
					t.Errorf("output lacks %q:\n%s", w, errOut.String())
				}
			}
			if strings.Contains(errOut.String(), tgToken) || strings.Contains(errOut.String(), dcToken) {
				t.Errorf("output holds a token:\n%s", errOut.String())
			}
		})
	}
}

func TestServeSaysWhenTheHTTPAddressIsTaken(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var errOut bytes.Buffer
	code := Run(context.Background(), []string{"serve"}, Stdio{In: strings.NewReader(""), Out: &bytes.Buffer{}, Err: &errOut,
		Getenv: getenv(map[string]string{"KAZBOT_TELEGRAM_TOKEN": tgToken, "KAZBOT_HTTP_LISTEN": ln.Addr().String()})})
	if code != 1 || !strings.Contains(errOut.String(), "cannot open the HTTP listener") || !strings.Contains(errOut.String(), "key=http.listen") {
		t.Errorf("exit %d, output:\n%s", code, errOut.String())
	}
}

func TestAStopWhileConnectingExitsCleanly(t *testing.T) {
	tg := newTelegram(t, tgToken)
	release := tg.Hold("getMe") // Telegram is still connecting when the stop comes
	defer release()
	s := startServe(t, baseEnv(map[string]string{
		"KAZBOT_TELEGRAM_TOKEN":   tgToken,
		"KAZBOT_TELEGRAM_API_URL": tg.URL,
	}), serveHooks{})
	if err := tg.Wait(waitCtx(t), func() bool { return tg.InFlight("getMe") == 1 }); err != nil {
		t.Fatal(err)
	}
	if code := s.stop(); code != 0 {
		t.Errorf("exit code %d, want 0\n%s", code, s.logs)
	}
	if hasLog(s, "platform stopped on its own", "platform", "telegram") {
		t.Error("a requested stop was taken for a failure")
	}
}
