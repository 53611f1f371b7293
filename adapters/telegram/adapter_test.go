package telegram_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"kazbot/adapters/telegram"
	"kazbot/adapters/telegram/telegramfake"
	"kazbot/bot"
	"kazbot/bot/bottest"
)

var (
	alice = telegramfake.NewUser(101)
	bob   = telegramfake.NewUser(102)
)

func TestStartRegistersTheCommandMenu(t *testing.T) {
	h := start(t, bottest.Engine(t))
	reqs := h.fake.Requests("setMyCommands")
	if len(reqs) != 1 || !reqs[0].OK() {
		t.Fatalf("setMyCommands calls = %+v, want one successful call", reqs)
	}
	var cmds []map[string]string
	if err := json.Unmarshal(h.fake.Commands(), &cmds); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range cmds {
		names = append(names, c["command"])
		if len(c["description"]) < 10 {
			t.Errorf("command %q has no clear description: %q", c["command"], c["description"])
		}
	}
	for _, want := range []string{"start", "help", "ask", "fact", "topics", "timeline", "about"} {
		if !slices.Contains(names, want) {
			t.Errorf("command menu %v lacks /%s", names, want)
		}
	}
	golden(t, "setmycommands.json", params(reqs[0]))

	polls, err := h.fake.WaitRequests(waitCtx(t), "getUpdates", 1)
	if err != nil {
		t.Fatal(err)
	}
	gu := polls[0]
	var allowed []string
	if err := gu.Decode("allowed_updates", &allowed); err != nil {
		t.Fatal(err)
	}
	if want := []string{"message", "callback_query", "inline_query"}; !slices.Equal(allowed, want) {
		t.Errorf("getUpdates allowed_updates = %v, want %v (edited messages and channel posts are not wanted)", allowed, want)
	}
}

func TestPrivateQuestionIsAnsweredInHTML(t *testing.T) {
	h := start(t, bottest.Engine(t))
	h.push(telegramfake.Text(telegramfake.PrivateChat(alice), alice, "When did Kazakhstan join the United Nations?"))
	m := h.waitSent(1)[0]

	if m.ChatID != alice.ID || m.ParseMode != "HTML" {
		t.Errorf("sent to chat %d with parse_mode %q, want chat %d and HTML", m.ChatID, m.ParseMode, alice.ID)
	}
	for _, want := range []string{
		"<b>When did Kazakhstan join the United Nations?</b>",
		"168th",
		"<i>Source: Kazakhstan and the United Nations</i>",
	} {
		if !strings.Contains(m.Text, want) {
			t.Errorf("reply %q lacks %q", m.Text, want)
		}
	}
	if !m.Bool("disable_web_page_preview") {
		t.Error("link previews are not disabled")
	}
	if m.ReplyTo != 0 {
		t.Errorf("a private reply quotes message %d; only group replies should", m.ReplyTo)
	}
	var data []string
	for _, b := range m.Keyboard.Buttons() {
		data = append(data, b.CallbackData)
	}
	if !slices.Contains(data, bot.FactButton("unsc-2017")) {
		t.Errorf("keyboard callback data %v lacks the related fact %q", data, bot.FactButton("unsc-2017"))
	}
	golden(t, "private_question.json", params(m.Request))
}

func TestEveryCommandAnswers(t *testing.T) {
	tests := []struct {
		name    string
		text    string
		want    []string // fragments of the HTML sent
		buttons []string // callback data that must be offered
	}{
		{"start explains the bot", "/start", []string{"<b>Help</b>", "/ask", "In a group"}, []string{"f:un-membership"}},
		{"help explains the bot", "/help", []string{"<b>Help</b>", "/timeline"}, nil},
		{"ask answers its argument", "/ask What share of the Tengiz oil field did Chevron get?", []string{"50%", "<b>What share of the Tengiz oil field did Chevron get?</b>"}, nil},
		{"ask without a question says how to ask", "/ask", []string{"Put your question after /ask"}, nil},
		{"fact with a topic picks from it", "/fact china", []string{"<i>Source: Big neighbor</i>"}, nil},
		{"fact without a topic picks any", "/fact", []string{"<i>Source: "}, nil},
		{"topics lists the topics as lines and buttons", "/topics", []string{"<b>Topics</b>", "<b>United Nations</b> — "}, []string{"t:united-nations", "t:china"}},
		{"timeline lists dated facts", "/timeline", []string{"<b>Timeline</b>", "<b>March 1992</b> — Kazakhstan joined"}, nil},
		{"about says where facts come from", "/about", []string{"<b>About kazbot</b>", "Where the facts come from"}, nil},
		{"an unknown command gets a notice", "/nosuch", []string{"I don&#39;t know the command /nosuch"}, nil},
	}
	h := start(t, bottest.Engine(t))
	for i, tt := range tests {
		u := telegramfake.NewUser(int64(200 + i))
		h.push(telegramfake.Text(telegramfake.PrivateChat(u), u, tt.text))
	}
	h.waitSent(len(tests))
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sent := h.fake.SentTo(int64(200 + i))
			if len(sent) != 1 {
				t.Fatalf("%q got %d messages, want 1:%s", tt.text, len(sent), visible(sent))
			}
			for _, want := range tt.want {
				if !strings.Contains(sent[0].Text, want) {
					t.Errorf("%q: reply %q lacks %q", tt.text, sent[0].Text, want)
				}
			}
			var data []string
			for _, b := range sent[0].Keyboard.Buttons() {
				data = append(data, b.CallbackData)
			}
			for _, want := range tt.buttons {
				if !slices.Contains(data, want) {
					t.Errorf("%q: buttons %v lack %q", tt.text, data, want)
				}
			}
		})
	}
}

func TestGroupsAnswerOnlyWhatIsAddressedToTheBot(t *testing.T) {
	h := start(t, bottest.Engine(t))
	group := telegramfake.GroupChat(-100500)
	botUser := telegramfake.User{ID: 77, IsBot: true, FirstName: "Other", Username: "other_bot"}

	first := h.push(
		telegramfake.Text(group, alice, "When did Kazakhstan join the United Nations?"),           // not addressed
		telegramfake.Text(group, alice, "@test_bot When did Kazakhstan join the United Nations?"), // mention
	)
	botMsg := h.waitSent(1)[0]
	if botMsg.ReplyTo != first[1].Message.MessageID {
		t.Fatalf("the first group reply quotes message %d, want the mention %d", botMsg.ReplyTo, first[1].Message.MessageID)
	}

	later := h.push(
		telegramfake.Text(group, bob, "/ask@other_bot When did Kazakhstan join the United Nations?"),            // another bot's command
		telegramfake.Text(group, botUser, "@test_bot When did Kazakhstan join the United Nations?"),             // from a bot
		telegramfake.Text(group, bob, "/nosuch"),                                                                // unknown, not ours
		telegramfake.ReplyTo(group, bob, "What share of the Tengiz oil field did Chevron get?", botMsg.Message), // reply to the bot
		telegramfake.Text(group, bob, "/ask@test_bot What share of the Tengiz oil field did Chevron get?"),      // our command by name
		telegramfake.Text(group, bob, "/ask What share of the Tengiz oil field did Chevron get?"),               // our command
		telegramfake.Text(group, bob, "/nosuch@test_bot"),                                                       // unknown, ours
		telegramfake.Text(group, alice, "🇰🇿 what share of tengiz did chevron get, @TEST_BOT?"),                  // mention mid-text
	)
	sent := h.waitSent(6)
	answered := map[int]string{}
	for _, s := range sent {
		answered[s.ReplyTo] = s.Visible
	}
	tests := []struct {
		name   string
		msg    telegramfake.Update
		answer string // "" means no reply
	}{
		{"a message without a mention is ignored", first[0], ""},
		{"a mention is answered", first[1], "168th"},
		{"a command for another bot is ignored", later[0], ""},
		{"a message from a bot is ignored", later[1], ""},
		{"an unknown command without the bot's name is ignored", later[2], ""},
		{"a reply to the bot is answered", later[3], "50%"},
		{"a command with the bot's name is answered", later[4], "50%"},
		{"a plain command is answered", later[5], "50%"},
		{"an unknown command with the bot's name gets a notice", later[6], "I don't know the command /nosuch"},
		{"a mention mid-text is removed from the question", later[7], "50%"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := answered[tt.msg.Message.MessageID]
			switch {
			case tt.answer == "" && ok:
				t.Errorf("message %q was answered: %q", tt.msg.Message.Text, got)
			case tt.answer != "" && !ok:
				t.Errorf("message %q was not answered", tt.msg.Message.Text)
			case tt.answer != "" && !strings.Contains(got, tt.answer):
				t.Errorf("message %q got %q, want it to contain %q", tt.msg.Message.Text, got, tt.answer)
			}
		})
	}
	if len(sent) != 6 {
		t.Errorf("sent %d messages, want 6:%s", len(sent), visible(sent))
	}
}

func TestButtonsShowFactsAndAlwaysAnswerTheCallback(t *testing.T) {
	h := start(t, bottest.Engine(t))
	chat := telegramfake.PrivateChat(alice)
	h.push(telegramfake.Text(chat, alice, "When did Kazakhstan join the United Nations?"))
	q := h.waitSent(1)[0]
	data := bot.FactButton("unsc-2017")
	if !slices.ContainsFunc(q.Keyboard.Buttons(), func(b telegramfake.InlineButton) bool { return b.CallbackData == data }) {
		t.Fatalf("no %q button under %q", data, q.Visible)
	}

	t.Run("a suggestion button sends its fact", func(t *testing.T) {
		press := h.push(telegramfake.Press(alice, q.Message, data))[0]
		fact := h.waitSent(2)[1]
		if !strings.Contains(fact.Visible, "2017") || !strings.Contains(fact.Text, "<b>When was Kazakhstan first elected to the UN Security Council?</b>") {
			t.Errorf("button reply = %q, want the Security Council fact", fact.Text)
		}
		acks := h.fake.Requests("answerCallbackQuery")
		if len(acks) != 1 || acks[0].Str("callback_query_id") != press.CallbackQuery.ID {
			t.Fatalf("answerCallbackQuery calls = %+v, want one for %q", acks, press.CallbackQuery.ID)
		}
		if acks[0].At.After(fact.At) {
			t.Error("the callback was answered after the fact was sent; the client spins meanwhile")
		}
	})

	t.Run("a topic button sends a fact from the topic", func(t *testing.T) {
		h.push(telegramfake.Press(alice, q.Message, bot.TopicButton("china")))
		fact := h.waitSent(3)[2]
		if !strings.Contains(fact.Text, "<i>Source: Big neighbor</i>") {
			t.Errorf("topic button reply = %q, want a China fact", fact.Text)
		}
	})

	t.Run("a stale button gets its notice as the callback answer", func(t *testing.T) {
		press := h.push(telegramfake.Press(alice, q.Message, bot.FactButton("gone-fact")))[0]
		acks, err := h.fake.WaitRequests(waitCtx(t), "answerCallbackQuery", 3)
		if err != nil {
			t.Fatal(err)
		}
		ack := acks[2]
		if ack.Str("callback_query_id") != press.CallbackQuery.ID || !strings.Contains(ack.Str("text"), "no longer in my knowledge base") {
			t.Errorf("callback answer = %v, want the stale-button notice", params(ack))
		}
		// A question after it in the same chat is answered after it, so
		// once its reply is there, the press has been fully handled.
		h.push(telegramfake.Text(chat, alice, "What share of the Tengiz oil field did Chevron get?"))
		sent := h.waitSent(4)
		if len(sent) != 4 || !strings.Contains(sent[3].Visible, "50%") {
			t.Errorf("the stale button sent a message:%s", visible(sent))
		}
	})
}

func TestInlineQueriesReturnArticles(t *testing.T) {
	eng := bottest.Engine(t)
	h := start(t, eng)
	tests := []struct {
		name    string
		query   string
		wantIDs []string
	}{
		{"a question returns matching facts", "Kazakhstan United Nations", nil},
		{"an empty query returns featured facts", "", ids(eng.Search(context.Background(), "", telegram.MaxInlineResults))},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := h.push(telegramfake.Inline(alice, tt.query))[0]
			reqs, err := h.fake.WaitRequests(waitCtx(t), "answerInlineQuery", i+1)
			if err != nil {
				t.Fatal(err)
			}
			r := reqs[i]
			if !r.OK() {
				t.Fatalf("answerInlineQuery refused: %s", r.Description)
			}
			if r.Str("inline_query_id") != u.InlineQuery.ID {
				t.Errorf("answered query %q, want %q", r.Str("inline_query_id"), u.InlineQuery.ID)
			}
			var results []struct {
				Type    string `json:"type"`
				ID      string `json:"id"`
				Title   string `json:"title"`
				Desc    string `json:"description"`
				Content struct {
					Text      string `json:"message_text"`
					ParseMode string `json:"parse_mode"`
				} `json:"input_message_content"`
			}
			if err := r.Decode("results", &results); err != nil {
				t.Fatal(err)
			}
			if len(results) == 0 || len(results) > telegram.MaxInlineResults {
				t.Fatalf("%d results, want 1 to %d", len(results), telegram.MaxInlineResults)
			}
			var got []string
			for _, res := range results {
				got = append(got, res.ID)
				if res.Type != "article" || res.Title == "" || res.Desc == "" || len(res.ID) > 64 {
					t.Errorf("result %+v is not a titled, described article with a short id", res)
				}
				if res.Content.ParseMode != "HTML" || !strings.Contains(res.Content.Text, "<b>"+res.Title+"</b>") {
					t.Errorf("result %q message = %q (%s), want the formatted answer in HTML", res.ID, res.Content.Text, res.Content.ParseMode)
				}
			}
			if tt.wantIDs != nil && !slices.Equal(got, tt.wantIDs) {
				t.Errorf("result ids = %v, want %v", got, tt.wantIDs)
			}
			if tt.query == "" {
				p := params(r)
				delete(p, "inline_query_id") // checked above
				golden(t, "inline_featured.json", p)
			}
			if tt.query != "" && !slices.Contains(got, "un-membership") {
				t.Errorf("result ids = %v, want the UN membership fact among them", got)
			}
		})
	}
}

func ids(rs []bot.Reply) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.FactID)
	}
	return out
}

func TestHostileInputCannotBreakTheHTML(t *testing.T) {
	hostile := `<b>bold</b> & @everyone <script>alert("x")</script> &amp; </i> <a href="https://evil">x</a>`
	t.Run("text echoed in every part of a reply arrives escaped", func(t *testing.T) {
		h := start(t, echoEngine{})
		h.push(telegramfake.Text(telegramfake.PrivateChat(alice), alice, hostile))
		m := h.waitSent(1)[0]
		// The fake parsed the HTML like Telegram (or refused it); what a
		// user sees must be the text as typed, in every part.
		want := strings.Join([]string{hostile, hostile, hostile + " — " + hostile, "Source: " + hostile}, "\n")
		if m.Visible != want {
			t.Errorf("visible text = %q\nwant %q", m.Visible, want)
		}
		if b := m.Keyboard.Buttons(); len(b) != 1 || b[0].Text != bot.Truncate(hostile, 64) {
			t.Errorf("button = %+v, want the plain text (buttons are not HTML)", b)
		}
	})
	t.Run("an unknown command named with markup gets an escaped notice", func(t *testing.T) {
		h := start(t, bottest.Engine(t))
		h.push(telegramfake.Text(telegramfake.PrivateChat(alice), alice, "/<b>x&y"))
		m := h.waitSent(1)[0]
		if !strings.Contains(m.Visible, "/<b>x&y") || !strings.Contains(m.Text, "/&lt;b&gt;x&amp;y") {
			t.Errorf("notice = %q (visible %q), want the command escaped", m.Text, m.Visible)
		}
	})
	t.Run("a 10,000-character message is capped before the engine", func(t *testing.T) {
		eng := &recordingEngine{Engine: bottest.Engine(t)}
		h := start(t, eng)
		long := strings.Repeat("<b>&amp; @everyone! ", 500) // 10,000 characters
		if n := utf8.RuneCountInString(long); n != 10000 {
			t.Fatalf("test text has %d characters", n)
		}
		h.push(telegramfake.Text(telegramfake.PrivateChat(alice), alice, long))
		m := h.waitSent(1)[0]
		reqs := eng.requests()
		if len(reqs) != 1 || utf8.RuneCountInString(reqs[0].Text) > telegram.MaxInput {
			t.Fatalf("engine got %d requests, text of %d characters; want one of at most %d", len(reqs), utf8.RuneCountInString(reqs[0].Text), telegram.MaxInput)
		}
		if !strings.Contains(m.Visible, "too long") {
			t.Errorf("reply = %q, want the engine's too-long answer", m.Visible)
		}
	})
}

func TestFloodControlWaitsAndResendsOnce(t *testing.T) {
	h := start(t, bottest.Engine(t))
	h.fake.FailNext("sendMessage", telegramfake.Flood(1))
	chat := telegramfake.PrivateChat(alice)
	h.push(telegramfake.Text(chat, alice, "When did Kazakhstan join the United Nations?"))
	h.waitSent(1)
	// A second question in the chat: once it is answered, the first is
	// done and any duplicate would be there.
	h.push(telegramfake.Text(chat, alice, "What share of the Tengiz oil field did Chevron get?"))
	sent := h.waitSent(2)

	calls := h.fake.Requests("sendMessage")
	if len(calls) != 3 || calls[0].Code != 429 || !calls[1].OK() {
		t.Fatalf("sendMessage calls: %d, first answered %d; want a 429 then two successes", len(calls), calls[0].Code)
	}
	if wait := calls[1].At.Sub(calls[0].At); wait < time.Second {
		t.Errorf("resent after %v, want at least retry_after (1s)", wait)
	}
	if calls[0].Str("text") != calls[1].Str("text") {
		t.Error("the resent message differs from the refused one")
	}
	if !strings.Contains(sent[0].Visible, "168th") || !strings.Contains(sent[1].Visible, "50%") || len(sent) != 2 {
		t.Errorf("messages arrived out of order, lost or twice:%s", visible(sent))
	}
	if errs := h.obs.errors(); !slices.Equal(errs, []string{"telegram/sendMessage"}) {
		t.Errorf("observer API errors = %v, want the one 429", errs)
	}
}

func TestAPIErrorsAreLoggedWithoutTheTokenAndTheBotKeepsRunning(t *testing.T) {
	tests := []struct {
		name  string
		fault telegramfake.Fault
		want  string // in the log line
	}{
		{"a Bot API error", telegramfake.Fault{Code: 400, Description: "Bad Request: chat not found"}, "chat not found"},
		{"a dropped connection", telegramfake.Fault{Drop: true}, "sendMessage"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := start(t, bottest.Engine(t))
			h.fake.FailNext("sendMessage", tt.fault)
			chat := telegramfake.PrivateChat(alice)
			h.push(
				telegramfake.Text(chat, alice, "When did Kazakhstan join the United Nations?"),
				telegramfake.Text(chat, alice, "What share of the Tengiz oil field did Chevron get?"),
			)
			sent := h.waitSent(1)
			if !strings.Contains(sent[0].Visible, "50%") {
				t.Errorf("the message after the failure was not answered:%s", visible(sent))
			}
			logs := h.logs.String()
			var line string
			for _, l := range strings.Split(logs, "\n") {
				if strings.Contains(l, "telegram api call failed") {
					line = l
				}
			}
			for _, want := range []string{"method=sendMessage", "chat_id=101", "update_id=", tt.want} {
				if !strings.Contains(line, want) {
					t.Errorf("failure log line %q lacks %q", line, want)
				}
			}
			if strings.Contains(logs, token) || strings.Contains(logs, strings.Split(token, ":")[1]) {
				t.Errorf("the token is in the logs:\n%s", logs)
			}
			if errs := h.obs.errors(); !slices.Equal(errs, []string{"telegram/sendMessage"}) {
				t.Errorf("observer API errors = %v, want one sendMessage", errs)
			}
		})
	}
}

func TestAPanicInOneUpdateIsRecovered(t *testing.T) {
	h := start(t, panicEngine{Engine: bottest.Engine(t), trigger: "boom"})
	chat := telegramfake.PrivateChat(alice)
	us := h.push(
		telegramfake.Text(chat, alice, "boom"),
		telegramfake.Text(chat, alice, "When did Kazakhstan join the United Nations?"),
	)
	sent := h.waitSent(1)
	if !strings.Contains(sent[0].Visible, "168th") {
		t.Errorf("after the panic the bot sent %q", sent[0].Visible)
	}
	logs := h.logs.String()
	if !strings.Contains(logs, "panic while handling an update") || !strings.Contains(logs, fmt.Sprintf("update_id=%d", us[0].UpdateID)) {
		t.Errorf("the panic is not logged with its update id:\n%s", logs)
	}
}

func TestARejectedTokenFailsStartWithAClearMessage(t *testing.T) {
	fake := telegramfake.New("999:the-real-token", telegramfake.User{})
	t.Cleanup(fake.Close)
	a, err := telegram.New(telegram.Config{Token: token, APIURL: fake.URL}, bottest.Engine(t))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err = a.Run(ctx)
	if err == nil {
		t.Fatal("Run succeeded with a rejected token")
	}
	msg := err.Error()
	for _, want := range []string{"token was rejected", "401", telegram.TokenEnv} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q lacks %q", msg, want)
		}
	}
	if strings.Contains(msg, token) {
		t.Errorf("error %q contains the token", msg)
	}
	if a.Ready() {
		t.Error("Ready after a failed start")
	}
}

func TestPollingRemovesAStaleWebhook(t *testing.T) {
	fake := telegramfake.New(token, telegramfake.User{})
	t.Cleanup(fake.Close)
	fake.SetWebhook("https://old.example/hook", "old-secret")
	h := startWith(t, fake, bottest.Engine(t))
	if del := fake.Requests("deleteWebhook"); len(del) != 1 || del[0].Bool("drop_pending_updates") {
		t.Fatalf("deleteWebhook calls = %+v, want one that keeps pending updates", del)
	}
	h.push(telegramfake.Text(telegramfake.PrivateChat(alice), alice, "When did Kazakhstan join the United Nations?"))
	h.waitSent(1)
	if !strings.Contains(h.logs.String(), "old.example") {
		t.Error("removing the webhook is not logged with its URL")
	}
}

func TestPollingRecoversFromFailures(t *testing.T) {
	fake := telegramfake.New(token, telegramfake.User{})
	t.Cleanup(fake.Close)
	fake.FailNext("getUpdates",
		telegramfake.Fault{Code: 502, Description: "Bad Gateway"},
		telegramfake.Fault{Code: 409, Description: "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"},
	)
	h := startWith(t, fake, bottest.Engine(t))
	h.push(telegramfake.Text(telegramfake.PrivateChat(alice), alice, "When did Kazakhstan join the United Nations?"))
	h.waitSent(1)
	if n := h.obs.reconnects(); n != 1 {
		t.Errorf("Reconnected called %d times, want 1", n)
	}
	if !strings.Contains(h.logs.String(), "another process is polling") {
		t.Errorf("the 409 conflict is not explained in the logs:\n%s", h.logs)
	}
	if !h.a.Ready() {
		t.Error("not Ready after polling recovered")
	}
}

func TestGracefulStopFinishesRepliesInFlight(t *testing.T) {
	h := start(t, bottest.Engine(t))
	release := h.fake.Hold("sendMessage")
	t.Cleanup(release)
	var last telegramfake.Update
	for i := range 5 {
		u := telegramfake.NewUser(int64(300 + i))
		last = h.push(telegramfake.Text(telegramfake.PrivateChat(u), u, "When did Kazakhstan join the United Nations?"))[0]
	}
	first := telegramfake.NewUser(300)
	for range 2 { // queued behind the held reply in the first chat
		last = h.push(telegramfake.Text(telegramfake.PrivateChat(first), first, "What share of the Tengiz oil field did Chevron get?"))[0]
	}
	if err := h.fake.Wait(waitCtx(t), func() bool { return h.fake.InFlight("sendMessage") == 5 }); err != nil {
		t.Fatalf("replies did not reach the server: %v", err)
	}
	eventually(t, "the last updates are taken", func() bool { return h.fake.Queued() == 0 })

	h.cancel()
	eventually(t, "the adapter reports not ready", func() bool { return !h.a.Ready() })
	release()
	if err := h.stop(); err != nil {
		t.Fatalf("Run = %v, want nil after a clean stop", err)
	}
	sent := h.fake.Sent()
	if len(sent) != 7 {
		t.Fatalf("sent %d messages after the stop, want all 7:%s", len(sent), visible(sent))
	}
	if got := len(h.fake.SentTo(first.ID)); got != 3 {
		t.Errorf("first chat got %d replies, want 3", got)
	}
	if c := h.fake.Confirmed(); c != last.UpdateID {
		t.Errorf("confirmed up to update %d, want %d so a restart does not answer again", c, last.UpdateID)
	}
}

func TestStopGivesUpAtTheShutdownTimeout(t *testing.T) {
	h := start(t, bottest.Engine(t), func(c *telegram.Config) { c.ShutdownTimeout = 200 * time.Millisecond })
	release := h.fake.Hold("sendMessage")
	t.Cleanup(release)
	chat := telegramfake.PrivateChat(alice)
	h.push(
		telegramfake.Text(chat, alice, "When did Kazakhstan join the United Nations?"),
		telegramfake.Text(chat, alice, "What share of the Tengiz oil field did Chevron get?"),
	)
	if err := h.fake.Wait(waitCtx(t), func() bool { return h.fake.InFlight("sendMessage") == 1 }); err != nil {
		t.Fatal(err)
	}
	began := time.Now()
	if err := h.stop(); err != nil {
		t.Fatalf("Run = %v, want nil", err)
	}
	if took := time.Since(began); took > 5*time.Second {
		t.Errorf("stop took %v with a 200ms shutdown timeout", took)
	}
	logs := h.logs.String()
	if !strings.Contains(logs, "shutdown deadline passed") || !strings.Contains(logs, "count=2") {
		t.Errorf("the abandoned replies are not logged:\n%s", logs)
	}
}

func TestStopConfirmsOnlyTheUpdatesItHandled(t *testing.T) {
	// One worker holds 64 updates; the poller takes a batch of 100 and
	// blocks on the rest until the stop.
	h := start(t, bottest.Engine(t), func(c *telegram.Config) { c.Workers = 1 })
	release := h.fake.Hold("sendMessage")
	t.Cleanup(release)
	chat := telegramfake.PrivateChat(alice)
	var us []telegramfake.Update
	for i := range 100 {
		us = append(us, telegramfake.Text(chat, alice, fmt.Sprintf("hello %d", i)))
	}
	pushed := h.push(us...)
	if err := h.fake.Wait(waitCtx(t), func() bool { return h.fake.InFlight("sendMessage") == 1 }); err != nil {
		t.Fatal(err)
	}
	h.cancel()
	eventually(t, "the adapter reports not ready", func() bool { return !h.a.Ready() })
	release()
	if err := h.stop(); err != nil {
		t.Fatalf("Run = %v", err)
	}
	handled := len(h.fake.Sent())
	if handled == 0 || handled == 100 {
		t.Fatalf("handled %d of 100 updates; the test needs a stop in the middle", handled)
	}
	if c, want := h.fake.Confirmed(), pushed[handled-1].UpdateID; c != want {
		t.Errorf("confirmed up to update %d, want %d: the %d handled updates and no more", c, want, handled)
	}
	if q := h.fake.Queued(); q != 100-handled {
		t.Errorf("%d updates left for the next start, want %d", q, 100-handled)
	}
}

func TestStartRetriesWhileTheBotAPIIsUnreachable(t *testing.T) {
	fake := telegramfake.New(token, telegramfake.User{})
	t.Cleanup(fake.Close)
	fake.FailNext("getMe", telegramfake.Fault{Drop: true}, telegramfake.Fault{Code: 502, Description: "Bad Gateway"})
	h := startWith(t, fake, bottest.Engine(t))
	h.push(telegramfake.Text(telegramfake.PrivateChat(alice), alice, "When did Kazakhstan join the United Nations?"))
	h.waitSent(1)
	if n := len(fake.Requests("getMe")); n != 3 {
		t.Errorf("getMe called %d times, want 3 (two failures, then success)", n)
	}
	if !strings.Contains(h.logs.String(), "cannot reach the Telegram Bot API") {
		t.Errorf("the failed start-up attempts are not logged:\n%s", h.logs)
	}
}

func TestAButtonInAGroupAnswersUnderItsMessage(t *testing.T) {
	h := start(t, bottest.Engine(t))
	group := telegramfake.GroupChat(-100600)
	h.push(telegramfake.Text(group, alice, "/ask When did Kazakhstan join the United Nations?"))
	q := h.waitSent(1)[0]
	h.push(telegramfake.Press(bob, q.Message, bot.FactButton("unsc-2017")))
	fact := h.waitSent(2)[1]
	if fact.ChatID != group.ID || fact.ReplyTo != q.Message.MessageID || !strings.Contains(fact.Visible, "2017") {
		t.Errorf("button reply went to chat %d quoting %d: %q; want the group, quoting message %d", fact.ChatID, fact.ReplyTo, fact.Visible, q.Message.MessageID)
	}
}

func TestAStopDuringStartUpReturnsPromptly(t *testing.T) {
	fake := telegramfake.New(token, telegramfake.User{})
	t.Cleanup(fake.Close)
	release := fake.Hold("setMyCommands")
	t.Cleanup(release)
	a, err := telegram.New(telegram.Config{Token: token, APIURL: fake.URL}, bottest.Engine(t))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	if err := fake.Wait(waitCtx(t), func() bool { return fake.InFlight("setMyCommands") == 1 }); err != nil {
		t.Fatal(err)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run = %v, want nil for a stop", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after a stop during start-up")
	}
	if n := len(fake.Requests("getUpdates")); n != 0 {
		t.Errorf("polled %d times after the stop", n)
	}
}
