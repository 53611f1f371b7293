package telegram_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"kazbot/adapters/telegram"
	"kazbot/adapters/telegram/telegramfake"
	"kazbot/bot/bottest"
)

const secret = "webhook_Secret-42"

// webhookMode configures webhook mode on a free loopback port.
func webhookMode(t testing.TB) func(*telegram.Config) {
	addr := freeAddr(t)
	return func(c *telegram.Config) {
		c.Webhook = telegram.WebhookConfig{
			Listen:      addr,
			PublicURL:   "http://" + addr,
			SecretToken: secret,
			Path:        "/tg/hook",
		}
	}
}

func TestWebhookModeRegistersTheWebhookAndAnswersDeliveries(t *testing.T) {
	h := start(t, bottest.Engine(t), webhookMode(t))
	reg := h.fake.Requests("setWebhook")[0]
	if want := "http://" + h.a.WebhookAddr() + "/tg/hook"; reg.Str("url") != want {
		t.Errorf("setWebhook url = %q, want %q", reg.Str("url"), want)
	}
	if reg.Str("secret_token") != secret {
		t.Errorf("setWebhook secret_token = %q, want the configured secret", reg.Str("secret_token"))
	}
	var allowed []string
	if err := reg.Decode("allowed_updates", &allowed); err != nil || !slices.Equal(allowed, []string{"message", "callback_query", "inline_query"}) {
		t.Errorf("setWebhook allowed_updates = %v (%v)", allowed, err)
	}
	eventually(t, "the adapter is ready", h.a.Ready)
	if n := len(h.fake.Requests("getUpdates")); n != 0 {
		t.Errorf("called getUpdates %d times in webhook mode", n)
	}

	chat := telegramfake.PrivateChat(alice)
	h.push(telegramfake.Text(chat, alice, "When did Kazakhstan join the United Nations?"))
	if m := h.waitSent(1)[0]; !strings.Contains(m.Visible, "168th") {
		t.Errorf("webhook reply = %q", m.Visible)
	}
	if err := h.fake.Wait(waitCtx(t), func() bool { return len(h.fake.Deliveries()) == 1 }); err != nil {
		t.Fatal(err)
	}
	if d := h.fake.Deliveries(); len(d) != 1 || d[0].Status != http.StatusOK {
		t.Errorf("deliveries = %+v, want one answered 200", d)
	}

	if err := h.stop(); err != nil {
		t.Fatalf("Run = %v", err)
	}
	if n := len(h.fake.Requests("deleteWebhook")); n != 0 {
		t.Error("a stopping replica deleted the webhook the other replicas use")
	}
}

func TestWebhookRequestsNeedTheSecretToken(t *testing.T) {
	h := start(t, bottest.Engine(t), webhookMode(t))
	chat := telegramfake.PrivateChat(alice)
	h.fake.AddChat(chat)
	url := "http://" + h.a.WebhookAddr() + "/tg/hook"
	body, _ := json.Marshal(telegramfake.Update{
		UpdateID: 9001,
		Message:  &telegramfake.Message{MessageID: 1, From: &alice, Chat: chat, Date: 1, Text: "When did Kazakhstan join the United Nations?"},
	})
	tests := []struct {
		name   string
		secret string
		set    bool
		want   int
	}{
		{"a request without the header is refused", "", false, http.StatusUnauthorized},
		{"a request with a wrong secret is refused", "wrong-secret", true, http.StatusUnauthorized},
		{"a request with the secret's prefix is refused", secret[:5], true, http.StatusUnauthorized},
		{"a request with the right secret is accepted", secret, true, http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(string(body)))
			req.Header.Set("Content-Type", "application/json")
			if tt.set {
				req.Header.Set(telegram.SecretHeader, tt.secret)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.want {
				t.Errorf("status %d, want %d", resp.StatusCode, tt.want)
			}
		})
	}
	// Only the accepted request is answered: a later message in the chat
	// is answered after it, and nothing else is there.
	h.push(telegramfake.Text(chat, alice, "What share of the Tengiz oil field did Chevron get?"))
	sent := h.waitSent(2)
	if len(sent) != 2 || !strings.Contains(sent[0].Visible, "168th") || !strings.Contains(sent[1].Visible, "50%") {
		t.Errorf("want one answer to the accepted request, then the next message:%s", visible(sent))
	}
}

func TestWebhookHandler(t *testing.T) {
	cfg := telegram.Config{Token: token, APIURL: "http://127.0.0.1:1"}
	webhookMode(t)(&cfg)
	a, err := telegram.New(cfg, bottest.Engine(t))
	if err != nil {
		t.Fatal(err)
	}
	handler := a.WebhookHandler()
	update := `{"update_id":1,"message":{"message_id":1,"date":1,"chat":{"id":5,"type":"private"},"from":{"id":5,"is_bot":false,"first_name":"A"},"text":"hi"}}`
	tests := []struct {
		name   string
		method string
		secret string
		body   string
		want   int
	}{
		{"a GET is not allowed", http.MethodGet, secret, "", http.StatusMethodNotAllowed},
		{"a wrong secret is refused before the body is read", http.MethodPost, "nope", "not json", http.StatusUnauthorized},
		{"a body that is not an update is refused", http.MethodPost, secret, "{not json", http.StatusBadRequest},
		{"an update before Run is refused so Telegram retries it", http.MethodPost, secret, update, http.StatusServiceUnavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(tt.method, "/tg/hook", strings.NewReader(tt.body))
			req.Header.Set(telegram.SecretHeader, tt.secret)
			rec := httptest.NewRecorder()
			handler.ServeHTTP(rec, req)
			if rec.Code != tt.want {
				t.Errorf("status %d, want %d", rec.Code, tt.want)
			}
		})
	}
}

func TestWebhookIgnoresEditedMessagesAndChannelPosts(t *testing.T) {
	h := start(t, bottest.Engine(t), webhookMode(t))
	handler := h.a.WebhookHandler()
	chat := telegramfake.PrivateChat(alice)
	for _, body := range []string{
		`{"update_id":7001,"edited_message":{"message_id":1,"date":1,"edit_date":2,"chat":{"id":101,"type":"private"},"from":{"id":101,"is_bot":false,"first_name":"A"},"text":"When did Kazakhstan join the United Nations?"}}`,
		`{"update_id":7002,"channel_post":{"message_id":2,"date":1,"chat":{"id":-100777,"type":"channel","title":"C"},"text":"When did Kazakhstan join the United Nations?"}}`,
	} {
		req := httptest.NewRequest(http.MethodPost, "/tg/hook", strings.NewReader(body))
		req.Header.Set(telegram.SecretHeader, secret)
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			t.Fatalf("status %d for %s", rec.Code, body)
		}
	}
	h.push(telegramfake.Text(chat, alice, "What share of the Tengiz oil field did Chevron get?"))
	sent := h.waitSent(1)
	if len(sent) != 1 || !strings.Contains(sent[0].Visible, "50%") {
		t.Errorf("edited message or channel post answered:%s", visible(sent))
	}
}

func TestWebhookStopFinishesRepliesInFlight(t *testing.T) {
	h := start(t, bottest.Engine(t), webhookMode(t))
	release := h.fake.Hold("sendMessage")
	t.Cleanup(release)
	chat := telegramfake.PrivateChat(alice)
	h.push(
		telegramfake.Text(chat, alice, "When did Kazakhstan join the United Nations?"),
		telegramfake.Text(chat, alice, "What share of the Tengiz oil field did Chevron get?"),
	)
	if err := h.fake.Wait(waitCtx(t), func() bool {
		return h.fake.InFlight("sendMessage") == 1 && len(h.fake.Deliveries()) == 2
	}); err != nil {
		t.Fatalf("updates not delivered and held: %v", err)
	}
	h.cancel()
	eventually(t, "the adapter reports not ready", func() bool { return !h.a.Ready() })
	release()
	if err := h.stop(); err != nil {
		t.Fatalf("Run = %v", err)
	}
	if sent := h.fake.Sent(); len(sent) != 2 {
		t.Errorf("sent %d of 2 accepted updates after the stop:%s\ndeliveries: %+v\nlogs:\n%s", len(sent), visible(sent), h.fake.Deliveries(), h.logs)
	}
}
