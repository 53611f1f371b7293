package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"kazbot/adapters/telegram/telegramfake"
	"kazbot/bot/bottest"
)

// The tests that run serve with Discord change discordgo's endpoint
// globals: none of them may call t.Parallel. Each Discord session costs
// about a second when it closes, so few tests open one.

// Secrets the serve tests use. They are distinctive so that a test can
// look for them in everything serve wrote.
const (
	tgToken    = "777001:telegram-TOKEN-must-never-be-logged"
	dcToken    = "discord-TOKEN-must-never-be-logged.Zq7"
	hookSecret = "webhook-SECRET-must-never-be-logged"
)

var secrets = []string{tgToken, dcToken, hookSecret}

const waitTimeout = 10 * time.Second

// unQuestion is answered by the UN membership fact of testdata/pack, whose
// answer says "168th".
const unQuestion = "When did Kazakhstan join the United Nations?"

// Telegram users of the tests.
var (
	alice = telegramfake.NewUser(101)
	bob   = telegramfake.NewUser(102)
	carol = telegramfake.NewUser(103)
	dave  = telegramfake.NewUser(104)
)

// baseEnv is the environment every serve test starts from: JSON logs at
// debug level, the HTTP listener on a free loopback port, short timeouts.
func baseEnv(extra map[string]string) map[string]string {
	env := map[string]string{
		"KAZBOT_LOG_FORMAT":            "json",
		"KAZBOT_LOG_LEVEL":             "debug",
		"KAZBOT_HTTP_LISTEN":           "127.0.0.1:0",
		"KAZBOT_SHUTDOWN_TIMEOUT":      "5s",
		"KAZBOT_TELEGRAM_POLL_TIMEOUT": "1s",
	}
	for k, v := range extra {
		env[k] = v
	}
	return env
}

func getenv(env map[string]string) func(string) string {
	return func(k string) string { return env[k] }
}

// serving is one `kazbot serve` running in a test.
type serving struct {
	t      *testing.T
	logs   *bottest.Buffer // standard error: the log
	out    *bottest.Buffer
	addr   string // HTTP listener
	reload chan os.Signal
	cancel context.CancelFunc
	exit   chan int

	once sync.Once
	code int
}

// startServe runs serve with args in env until the test ends, and returns
// once serve is about to serve. hooks fields left nil get test versions:
// reload requests come from s.reload, the host name is kazbot-test.
func startServe(t *testing.T, env map[string]string, hooks serveHooks, args ...string) *serving {
	t.Helper()
	s := &serving{t: t, logs: &bottest.Buffer{}, out: &bottest.Buffer{}, reload: make(chan os.Signal, 1), exit: make(chan int, 1)}
	if hooks.reload == nil {
		hooks.reload = func() (<-chan os.Signal, func()) { return s.reload, func() {} }
	}
	if hooks.hostname == nil {
		hooks.hostname = func() (string, error) { return "kazbot-test", nil }
	}
	started := make(chan string, 1)
	hooks.started = func(addr string) { started <- addr }
	ctx, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	std := Stdio{In: strings.NewReader(""), Out: s.out, Err: s.logs, Getenv: getenv(env)}
	go func() { s.exit <- exitCode("serve", serve(ctx, std, args, hooks), s.logs) }()
	t.Cleanup(func() {
		s.stop()
		for _, secret := range secrets {
			if strings.Contains(s.logs.String(), secret) || strings.Contains(s.out.String(), secret) {
				t.Errorf("serve wrote the secret %q:\n%s", secret, s.logs)
			}
		}
	})
	select {
	case s.addr = <-started:
	case code := <-s.exit:
		s.once.Do(func() { s.code = code })
		t.Fatalf("serve exited with %d before serving:\n%s", code, s.logs)
	case <-time.After(waitTimeout):
		t.Fatalf("serve did not start within %v:\n%s", waitTimeout, s.logs)
	}
	return s
}

// stop cancels serve's context (SIGINT/SIGTERM in main) and returns its
// exit code.
func (s *serving) stop() int {
	s.cancel()
	return s.wait()
}

// wait waits for serve to exit and returns its exit code.
func (s *serving) wait() int {
	s.t.Helper()
	s.once.Do(func() {
		select {
		case s.code = <-s.exit:
		case <-time.After(30 * time.Second):
			s.code = -1
			s.t.Errorf("serve did not exit within 30s:\n%s", s.logs)
		}
	})
	return s.code
}

// get GETs path on serve's HTTP listener.
func (s *serving) get(path string) (int, string) {
	s.t.Helper()
	resp, err := http.Get("http://" + s.addr + path)
	if err != nil {
		s.t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// waitReady waits until /readyz answers 200.
func (s *serving) waitReady() {
	s.t.Helper()
	s.eventually("/readyz to answer 200", func() bool {
		code, _ := s.get("/readyz")
		return code == http.StatusOK
	})
}

// eventually polls cond until it holds (for states only visible by
// asking: HTTP answers, log lines).
func (s *serving) eventually(what string, cond func() bool) {
	s.t.Helper()
	deadline := time.Now().Add(waitTimeout)
	for !cond() {
		if time.Now().After(deadline) {
			s.t.Fatalf("timed out waiting for %s\nlogs:\n%s", what, s.logs)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// waitLog waits for a log line with message msg and returns it.
func (s *serving) waitLog(msg string) map[string]any {
	s.t.Helper()
	var found map[string]any
	s.eventually("a log line "+strconv.Quote(msg), func() bool {
		for _, l := range s.logLines() {
			if l["msg"] == msg {
				found = l
				return true
			}
		}
		return false
	})
	return found
}

// logLines parses the JSON log.
func (s *serving) logLines() []map[string]any {
	var out []map[string]any
	sc := bufio.NewScanner(strings.NewReader(s.logs.String()))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var m map[string]any
		if json.Unmarshal(sc.Bytes(), &m) != nil {
			m = map[string]any{"unparsed": sc.Text()}
		}
		out = append(out, m)
	}
	return out
}

// metric returns the value of one sample of /metrics, written as in the
// exposition format (labels sorted by name), or -1 when it is absent.
func (s *serving) metric(sample string) float64 {
	s.t.Helper()
	_, body := s.get("/metrics")
	return metricIn(body, sample)
}

func metricIn(body, sample string) float64 {
	for _, line := range strings.Split(body, "\n") {
		if v, ok := strings.CutPrefix(line, sample+" "); ok {
			f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err == nil {
				return f
			}
		}
	}
	return -1
}

func waitCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	t.Cleanup(cancel)
	return ctx
}

// newTelegram starts a fake Bot API server that accepts token.
func newTelegram(t *testing.T, token string) *telegramfake.Server {
	fake := telegramfake.New(token, telegramfake.User{})
	t.Cleanup(fake.Close)
	return fake
}

// ask sends text from user in a private chat and returns the visible text
// of the reply (the next message sent to that chat).
func ask(t *testing.T, s *serving, fake *telegramfake.Server, user telegramfake.User, text string) string {
	t.Helper()
	chat := telegramfake.PrivateChat(user)
	before := len(fake.SentTo(chat.ID))
	fake.Push(telegramfake.Text(chat, user, text))
	if err := fake.Wait(waitCtx(t), func() bool { return len(fake.SentTo(chat.ID)) > before }); err != nil {
		t.Fatalf("no reply to %q: %v\nlogs:\n%s", text, err, s.logs)
	}
	return fake.SentTo(chat.ID)[before].Visible
}

// freeAddr returns a loopback address that was free a moment ago.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// copyDir copies the files of src into a new temporary directory.
func copyDir(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dst
}
