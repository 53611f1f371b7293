package telegramfake

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestParseHTMLAcceptsWhatTelegramAcceptsOnly(t *testing.T) {
	tests := []struct {
		in, want string
		bad      bool
	}{
		{in: "<b>bold</b> &lt;x&gt; &amp; &quot;q&quot; &#39;s &#x41;", want: `bold <x> & "q" 's A`},
		{in: `<a href="https://example.com">link</a> <i><u>x</u></i>`, want: "link x"},
		{in: "a < b", bad: true},
		{in: "a > b", bad: true},
		{in: "fish & chips", bad: true},
		{in: "&nbsp;", bad: true},
		{in: "<script>x</script>", bad: true},
		{in: "<b>unclosed", bad: true},
		{in: "<b><i>crossed</b></i>", bad: true},
		{in: "</b>", bad: true},
	}
	for _, tt := range tests {
		got, err := ParseHTML(tt.in)
		switch {
		case tt.bad && err == nil:
			t.Errorf("ParseHTML(%q) accepted it as %q; Telegram refuses it", tt.in, got)
		case !tt.bad && (err != nil || got != tt.want):
			t.Errorf("ParseHTML(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

// call posts a JSON call to the fake and decodes the answer.
func call(t *testing.T, s *Server, token, method string, params any) map[string]any {
	t.Helper()
	body, _ := json.Marshal(params)
	resp, err := http.Post(s.URL+"/bot"+token+"/"+method, "application/json", strings.NewReader(string(body)))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestServerSpeaksTheBotAPI(t *testing.T) {
	s := New("1:tok", User{})
	defer s.Close()
	s.SetMaxHold(50 * time.Millisecond)

	t.Run("a wrong token gets 401 Unauthorized", func(t *testing.T) {
		out := call(t, s, "2:other", "getMe", nil)
		if out["ok"] != false || out["error_code"] != float64(401) || out["description"] != "Unauthorized" {
			t.Errorf("answer = %v", out)
		}
	})
	t.Run("getMe describes the bot", func(t *testing.T) {
		out := call(t, s, "1:tok", "getMe", nil)
		if r, _ := out["result"].(map[string]any); r["username"] != "test_bot" || r["is_bot"] != true {
			t.Errorf("answer = %v", out)
		}
	})
	t.Run("getUpdates serves pushed updates and offsets confirm them", func(t *testing.T) {
		u := NewUser(5)
		pushed := s.Push(Text(PrivateChat(u), u, "/ask@test_bot hi @someone"))
		out := call(t, s, "1:tok", "getUpdates", map[string]any{"offset": 0, "timeout": 1})
		res := out["result"].([]any)
		if len(res) != 1 {
			t.Fatalf("result = %v", out)
		}
		msg := res[0].(map[string]any)["message"].(map[string]any)
		ents, _ := json.Marshal(msg["entities"])
		if string(ents) != `[{"length":13,"offset":0,"type":"bot_command"},{"length":8,"offset":17,"type":"mention"}]` {
			t.Errorf("entities = %s", ents)
		}
		call(t, s, "1:tok", "getUpdates", map[string]any{"offset": pushed[0].UpdateID + 1, "timeout": 0})
		if s.Confirmed() != pushed[0].UpdateID || s.Queued() != 0 {
			t.Errorf("confirmed %d, queued %d", s.Confirmed(), s.Queued())
		}
	})
	t.Run("a flood fault is a 429 with a numeric retry_after", func(t *testing.T) {
		s.FailNext("sendMessage", Flood(3))
		out := call(t, s, "1:tok", "sendMessage", map[string]any{"chat_id": 5, "text": "x"})
		p, _ := out["parameters"].(map[string]any)
		if out["error_code"] != float64(429) || p["retry_after"] != float64(3) {
			t.Errorf("answer = %v", out)
		}
	})
	t.Run("sendMessage refuses broken HTML and unknown chats", func(t *testing.T) {
		if out := call(t, s, "1:tok", "sendMessage", map[string]any{"chat_id": "5", "text": "a < b", "parse_mode": "HTML"}); out["ok"] != false {
			t.Errorf("broken HTML accepted: %v", out)
		}
		if out := call(t, s, "1:tok", "sendMessage", map[string]any{"chat_id": 99, "text": "x"}); out["description"] != "Bad Request: chat not found" {
			t.Errorf("unknown chat: %v", out)
		}
		if out := call(t, s, "1:tok", "sendMessage", map[string]any{"chat_id": "5", "text": "<b>ok</b>", "parse_mode": "HTML"}); out["ok"] != true {
			t.Errorf("good message refused: %v", out)
		}
		if sent := s.SentTo(5); len(sent) != 1 || sent[0].Visible != "ok" {
			t.Errorf("sent = %+v", sent)
		}
	})
	t.Run("getUpdates conflicts with a webhook", func(t *testing.T) {
		s.SetWebhook("http://127.0.0.1:1/hook", "secret")
		out := call(t, s, "1:tok", "getUpdates", map[string]any{"offset": 0})
		if out["error_code"] != float64(409) {
			t.Errorf("answer = %v", out)
		}
	})
}

func TestWaitReturnsWhenTheConditionHolds(t *testing.T) {
	s := New("1:tok", User{})
	defer s.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	go s.Push(Inline(NewUser(1), "q"))
	if err := s.Wait(ctx, func() bool { return s.Queued() == 1 }); err != nil {
		t.Fatal(err)
	}
}
