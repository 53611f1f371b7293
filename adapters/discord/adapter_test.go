package discord

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"kazbot/adapters/discord/discordfake"
	"kazbot/bot"
	"kazbot/bot/bottest"
)

// dmChannel is the channel of direct messages in the fake.
var dmChannel = discordfake.DirectMessage("x", "").ChannelID

// TestDiscordEndToEnd runs one adapter session against the fake gateway
// and REST server and drives every feature through it, in order; the last
// subtests drop the gateway and stop the adapter.
func TestDiscordEndToEnd(t *testing.T) {
	h := start(t, nil)
	fake := h.fake

	t.Run("the handshake identifies with unprivileged intents and no shard", func(t *testing.T) {
		id, err := fake.WaitReady(waitCtx(t))
		if err != nil {
			t.Fatal(err)
		}
		if id.Token != "Bot "+discordfake.Token {
			t.Errorf("IDENTIFY token is not the configured one with the Bot prefix")
		}
		want := int(discordgo.IntentGuilds | discordgo.IntentGuildMessages | discordgo.IntentDirectMessages)
		if id.Intents != want {
			t.Errorf("intents = %#x, want %#x (guilds, guild messages, direct messages)", id.Intents, want)
		}
		if id.Intents&int(discordgo.IntentMessageContent) != 0 {
			t.Error("the privileged Message Content intent was requested without message_content")
		}
		if id.Shard != nil {
			t.Errorf("shard = %v, want none without sharding", *id.Shard)
		}
	})

	t.Run("the commands are registered globally within Discord's limits", func(t *testing.T) {
		puts := h.requestsTo("PUT", discordfake.APIPrefix+"applications/"+discordfake.AppID+"/commands")
		if len(puts) != 1 || puts[0].Status != http.StatusOK {
			t.Fatalf("got %d accepted global bulk overwrites, want 1: %+v", len(puts), puts)
		}
		var cmds []map[string]any
		if err := puts[0].Decode(&cmds); err != nil {
			t.Fatal(err)
		}
		if v := discordfake.ValidateCommands(cmds); len(v) > 0 {
			t.Errorf("the commands break Discord's limits: %v", v)
		}
		var names []string
		for _, c := range bot.Commands("discord") {
			names = append(names, c.Name)
		}
		var got []string
		opts := map[string][]any{}
		for _, c := range cmds {
			got = append(got, c["name"].(string))
			opts[c["name"].(string)], _ = c["options"].([]any)
		}
		if !slices.Equal(got, names) {
			t.Errorf("registered %v, want the engine's Discord commands %v", got, names)
		}
		for _, want := range []string{"ask", "fact", "topics", "timeline", "help", "about"} {
			if !slices.Contains(got, want) {
				t.Errorf("/%s is not registered", want)
			}
		}
		wantOpt := map[string]struct {
			name     string
			required bool
		}{"ask": {"question", true}, "fact": {"topic", false}}
		for cmd, w := range wantOpt {
			if len(opts[cmd]) != 1 {
				t.Errorf("/%s has %d options, want 1", cmd, len(opts[cmd]))
				continue
			}
			o := opts[cmd][0].(map[string]any)
			if o["name"] != w.name || o["type"] != float64(3) || o["required"] != w.required || o["autocomplete"] != true {
				t.Errorf("/%s option = %v, want string %q required=%v with autocomplete", cmd, o, w.name, w.required)
			}
		}
		if len(opts["topics"]) != 0 {
			t.Errorf("/topics has options %v, want none", opts["topics"])
		}
	})

	t.Run("the adapter reports ready", func(t *testing.T) {
		if !h.a.Ready() {
			t.Error("Ready() = false after the handshake and registration")
		}
	})

	slash := []struct {
		name  string
		in    discordfake.Interaction
		check func(t *testing.T, m messageBody)
	}{
		{"/ask answers a question with the fact, its source and related buttons",
			discordfake.Command("i-ask", "ask", discordfake.Option{Name: "question", Value: "When did Kazakhstan join the United Nations?"}),
			func(t *testing.T, m messageBody) {
				if !strings.Contains(m.text(), "168th") || !strings.Contains(m.Embeds[0].Title, "United Nations") {
					t.Errorf("embed = %q, want the UN membership fact (168th) titled with its question", m.text())
				}
				if m.footer() != "Source: Kazakhstan and the United Nations" {
					t.Errorf("footer = %q, want the fact's source section", m.footer())
				}
				if !m.has(bot.FactButton("unsc-2017")) {
					t.Errorf("buttons = %v, want the related fact %q", m.customIDs(), bot.FactButton("unsc-2017"))
				}
			}},
		{"/ask from a direct message answers too",
			discordfake.Command("i-ask-dm", "ask", discordfake.Option{Name: "question", Value: "What share of the Tengiz oil field did Chevron get?"}).InDM(),
			func(t *testing.T, m messageBody) {
				if !strings.Contains(m.text(), "50%") {
					t.Errorf("embed = %q, want Chevron's 50%% share", m.text())
				}
			}},
		{"/ask with a question chosen from autocomplete shows exactly that fact",
			discordfake.Command("i-ask-choice", "ask", discordfake.Option{Name: "question", Value: bot.FactButton("khorgos")}),
			func(t *testing.T, m messageBody) {
				if m.Embeds[0].Title != "What is the Khorgos free trade zone?" {
					t.Errorf("title = %q, want the Khorgos fact", m.Embeds[0].Title)
				}
				if !strings.Contains(m.Embeds[0].Description, `\<and\> more flow`) {
					t.Errorf("description = %q, want the fact's <and> escaped so it shows literally", m.Embeds[0].Description)
				}
			}},
		{"/ask about something unknown falls back with suggestions or topics",
			discordfake.Command("i-ask-unknown", "ask", discordfake.Option{Name: "question", Value: "what is the capital of brazil"}),
			func(t *testing.T, m messageBody) {
				if strings.Contains(m.text(), "168th") || strings.Contains(m.text(), "50%") {
					t.Errorf("a fallback stated a fact: %q", m.text())
				}
				if len(m.Components) == 0 {
					t.Error("the fallback offers no buttons or topic menu")
				}
			}},
		{"/fact with a topic shows a fact from that topic",
			discordfake.Command("i-fact-usa", "fact", discordfake.Option{Name: "topic", Value: "usa"}),
			func(t *testing.T, m messageBody) {
				if m.footer() != "Source: America First?" {
					t.Errorf("footer = %q, want a US fact's source", m.footer())
				}
			}},
		{"/fact without a topic shows some fact",
			discordfake.Command("i-fact", "fact"),
			func(t *testing.T, m messageBody) {
				if m.Embeds[0].Title == "" || !strings.HasPrefix(m.footer(), "Source: ") {
					t.Errorf("embed = %+v, want a titled fact with a source", m.Embeds[0])
				}
			}},
		{"/topics lists the topics with a topic menu",
			discordfake.Command("i-topics", "topics"),
			func(t *testing.T, m messageBody) {
				if m.Embeds[0].Title != "Topics" || !strings.Contains(m.text(), "United States") {
					t.Errorf("embed = %q, want the topic list", m.text())
				}
				for _, v := range []string{"topics=t:united-nations", "topics=t:usa", "topics=t:china"} {
					if !m.has(v) {
						t.Errorf("menu = %v, want option %s", m.customIDs(), v)
					}
				}
			}},
		{"/timeline lists dated facts in order",
			discordfake.Command("i-timeline", "timeline"),
			func(t *testing.T, m messageBody) {
				d := m.text()
				i91, i92, i17 := strings.Index(d, "**1991**"), strings.Index(d, "**March 1992**"), strings.Index(d, "**2017**")
				if i91 < 0 || i92 < i91 || i17 < i92 {
					t.Errorf("timeline = %q, want bold dates 1991, March 1992, 2017 in order", d)
				}
			}},
		{"/help explains and offers example questions",
			discordfake.Command("i-help", "help"),
			func(t *testing.T, m messageBody) {
				if m.Embeds[0].Title != "Help" || !strings.Contains(m.text(), "/ask") || len(m.customIDs()) == 0 {
					t.Errorf("help = %q with buttons %v, want the help text and example buttons", m.text(), m.customIDs())
				}
			}},
		{"/about says what kazbot knows",
			discordfake.Command("i-about", "about"),
			func(t *testing.T, m messageBody) {
				if m.Embeds[0].Title != "About kazbot" || m.Embeds[0].Description == "" {
					t.Errorf("about = %q, want the about text", m.text())
				}
			}},
	}
	for _, tt := range slash {
		t.Run(tt.name, func(t *testing.T) {
			h.interact(t, tt.in)
			cb := h.callback(t, tt.in.ID)
			if cb.Type != int(discordgo.InteractionResponseChannelMessageWithSource) || cb.Data == nil {
				t.Fatalf("callback type %d, want a message (4)", cb.Type)
			}
			if cb.Data.Flags != 0 {
				t.Errorf("flags = %d, want a public reply", cb.Data.Flags)
			}
			checkEmbeds(t, *cb.Data)
			checkPingsNobody(t, *cb.Data)
			tt.check(t, *cb.Data)
		})
	}

	t.Run("a notice is ephemeral and offers the topics", func(t *testing.T) {
		h.interact(t, discordfake.Command("i-fact-bad", "fact", discordfake.Option{Name: "topic", Value: "zzqqxxjj"}))
		cb := h.callback(t, "i-fact-bad")
		if cb.Data == nil || cb.Data.Flags != int(discordgo.MessageFlagsEphemeral) {
			t.Fatalf("callback = %+v, want an ephemeral message (flags 64)", cb)
		}
		checkPingsNobody(t, *cb.Data)
		if !cb.Data.has("topics=t:china") {
			t.Errorf("menu = %v, want the topics offered", cb.Data.customIDs())
		}
	})

	t.Run("an unknown command gets an ephemeral notice", func(t *testing.T) {
		h.interact(t, discordfake.Command("i-unknown", "frobnicate"))
		cb := h.callback(t, "i-unknown")
		if cb.Data == nil || cb.Data.Flags != int(discordgo.MessageFlagsEphemeral) || !strings.Contains(cb.Data.text(), "/help") {
			t.Errorf("callback = %+v, want an ephemeral notice pointing to /help", cb)
		}
	})

	t.Run("autocomplete", func(t *testing.T) {
		tests := []struct {
			name      string
			in        discordfake.Interaction
			wantFirst string
			atLeast   int
		}{
			{"/ask suggests the matching question first, as a fact payload",
				discordfake.Autocomplete("i-ac-tengiz", "ask", "question", "Tengiz oil"), bot.FactButton("chevron-tengiz"), 1},
			{"/ask with nothing typed suggests featured questions",
				discordfake.Autocomplete("i-ac-empty", "ask", "question", ""), "", 3},
			{"/fact suggests topics by name, the id as value",
				discordfake.Autocomplete("i-ac-topic", "fact", "topic", "chin"), "china", 1},
			{"/ask with nonsense typed gets an empty list",
				discordfake.Autocomplete("i-ac-none", "ask", "question", "qqqqzzzzxxxx"), "", 0},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				h.interact(t, tt.in)
				r, err := fake.WaitCallback(waitCtx(t), tt.in.ID)
				if err != nil {
					t.Fatal(err)
				}
				var raw map[string]any
				if err := json.Unmarshal(r.Body, &raw); err != nil {
					t.Fatal(err)
				}
				if raw["type"] != float64(8) {
					t.Fatalf("callback type %v, want autocomplete result (8)", raw["type"])
				}
				choices, ok := raw["data"].(map[string]any)["choices"].([]any)
				if !ok {
					t.Fatalf("data = %v, want a choices array (even when empty)", raw["data"])
				}
				if len(choices) < tt.atLeast || len(choices) > 25 {
					t.Fatalf("got %d choices, want %d to 25", len(choices), tt.atLeast)
				}
				for _, c := range choices {
					cm := c.(map[string]any)
					if n := utf8.RuneCountInString(cm["name"].(string)); n < 1 || n > 100 {
						t.Errorf("choice name %q has %d characters", cm["name"], n)
					}
				}
				if tt.wantFirst != "" && choices[0].(map[string]any)["value"] != tt.wantFirst {
					t.Errorf("first choice = %v, want value %q", choices[0], tt.wantFirst)
				}
			})
		}
	})

	t.Run("components", func(t *testing.T) {
		tests := []struct {
			name  string
			in    discordfake.Interaction
			check func(t *testing.T, cb callbackBody)
		}{
			{"a suggestion button shows its fact in a new message",
				discordfake.Button("i-btn", bot.FactButton("unsc-2017")),
				func(t *testing.T, cb callbackBody) {
					if cb.Type != 4 || cb.Data == nil || !strings.Contains(cb.Data.text(), "2017") || cb.Data.Flags != 0 {
						t.Errorf("callback = %+v, want a public message with the 2017 Security Council fact", cb)
					}
				}},
			{"a topic chosen from the menu shows a fact from it",
				discordfake.Select("i-sel", topicsMenuID, bot.TopicButton("china")),
				func(t *testing.T, cb callbackBody) {
					if cb.Type != 4 || cb.Data == nil || cb.Data.footer() != "Source: Big neighbor" {
						t.Errorf("callback = %+v, want a China fact", cb)
					}
				}},
			{"a stale button gets an ephemeral notice",
				discordfake.Button("i-btn-stale", bot.FactButton("no-such-fact")),
				func(t *testing.T, cb callbackBody) {
					if cb.Type != 4 || cb.Data == nil || cb.Data.Flags != 64 {
						t.Errorf("callback = %+v, want an ephemeral notice", cb)
					}
				}},
			{"a foreign component is acknowledged without a message",
				discordfake.Button("i-btn-foreign", "someone-elses-button"),
				func(t *testing.T, cb callbackBody) {
					if cb.Type != int(discordgo.InteractionResponseDeferredMessageUpdate) {
						t.Errorf("callback type %d, want a silent acknowledgement (6)", cb.Type)
					}
				}},
			{"a silent reply to a button is acknowledged without a message",
				discordfake.Button("i-btn-quiet", payloadQuiet),
				func(t *testing.T, cb callbackBody) {
					if cb.Type != int(discordgo.InteractionResponseDeferredMessageUpdate) {
						t.Errorf("callback type %d, want a silent acknowledgement (6)", cb.Type)
					}
				}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				h.interact(t, tt.in)
				cb := h.callback(t, tt.in.ID)
				if cb.Data != nil && cb.Type == 4 {
					checkPingsNobody(t, *cb.Data)
				}
				tt.check(t, cb)
			})
		}
	})

	t.Run("a silent reply to a command acknowledges privately and deletes the acknowledgement", func(t *testing.T) {
		h.interact(t, discordfake.Command("i-quiet", "ask", discordfake.Option{Name: "question", Value: textSilent}))
		cb := h.callback(t, "i-quiet")
		if cb.Type != 5 || cb.Data == nil || cb.Data.Flags != 64 {
			t.Errorf("callback = %+v, want an ephemeral deferral", cb)
		}
		if _, err := fake.WaitRequest(waitCtx(t), "the deletion", func(r discordfake.Request) bool {
			return r.Method == "DELETE" && r.Path == discordfake.WebhookPath("i-quiet")+"/messages/@original"
		}); err != nil {
			t.Error(err)
		}
	})

	t.Run("a long list is split into a response and follow-ups within the limits", func(t *testing.T) {
		h.interact(t, discordfake.Command("i-long", "ask", discordfake.Option{Name: "question", Value: textLongList}))
		cb := h.callback(t, "i-long")
		checkEmbeds(t, *cb.Data)
		follow, err := fake.WaitRequest(waitCtx(t), "a follow-up", func(r discordfake.Request) bool {
			return r.Method == "POST" && r.Path == discordfake.WebhookPath("i-long") && r.Status == 200
		})
		if err != nil {
			t.Fatal(err)
		}
		var m messageBody
		if err := follow.Decode(&m); err != nil {
			t.Fatal(err)
		}
		checkPingsNobody(t, m)
		h.settle(t)
		all := cb.Data.text()
		for _, r := range h.requestsTo("POST", discordfake.WebhookPath("i-long")) {
			var m messageBody
			r.Decode(&m)
			all += m.text()
		}
		for _, year := range []string{"**Year 1900**", "**Year 1940**", "**Year 1979**"} {
			if !strings.Contains(all, year) {
				t.Errorf("the split messages lost %s", year)
			}
		}
	})

	t.Run("a slow answer is deferred, then the response is edited", func(t *testing.T) {
		q := "When was Kazakhstan first elected to the UN Security Council?"
		entered, release := h.eng.block(t, q)
		h.interact(t, discordfake.Command("i-slow", "ask", discordfake.Option{Name: "question", Value: q}))
		<-entered
		cb := h.callback(t, "i-slow")
		if cb.Type != int(discordgo.InteractionResponseDeferredChannelMessageWithSource) {
			t.Fatalf("callback type %d, want a deferral (5)", cb.Type)
		}
		release()
		edit, err := fake.WaitRequest(waitCtx(t), "the edit", func(r discordfake.Request) bool {
			return r.Method == "PATCH" && r.Path == discordfake.WebhookPath("i-slow")+"/messages/@original"
		})
		if err != nil {
			t.Fatal(err)
		}
		var m messageBody
		if err := edit.Decode(&m); err != nil {
			t.Fatal(err)
		}
		checkPingsNobody(t, m)
		if !strings.Contains(m.text(), "2017") {
			t.Errorf("edit = %q, want the Security Council fact", m.text())
		}
	})

	t.Run("a slow notice replaces the deferral with an ephemeral follow-up", func(t *testing.T) {
		entered, release := h.eng.block(t, "qqqzzzxxx")
		h.interact(t, discordfake.Command("i-slow-notice", "fact", discordfake.Option{Name: "topic", Value: "qqqzzzxxx"}))
		<-entered
		h.callback(t, "i-slow-notice")
		release()
		follow, err := fake.WaitRequest(waitCtx(t), "the ephemeral follow-up", func(r discordfake.Request) bool {
			return r.Method == "POST" && r.Path == discordfake.WebhookPath("i-slow-notice")
		})
		if err != nil {
			t.Fatal(err)
		}
		var m messageBody
		follow.Decode(&m)
		if m.Flags != 64 {
			t.Errorf("follow-up flags = %d, want ephemeral (64)", m.Flags)
		}
		if len(h.requestsTo("DELETE", discordfake.WebhookPath("i-slow-notice")+"/messages/@original")) != 1 {
			t.Error("the public deferral was not deleted")
		}
	})

	t.Run("a 429 on the callback is retried and succeeds", func(t *testing.T) {
		fake.RateLimitNext("POST", discordfake.CallbackPath("i-429"), 50*time.Millisecond)
		h.interact(t, discordfake.Command("i-429", "ask", discordfake.Option{Name: "question", Value: "When did Kazakhstan join the United Nations?"}))
		cb := h.callback(t, "i-429")
		if !strings.Contains(cb.Data.text(), "168th") {
			t.Errorf("callback = %q, want the answer after the retry", cb.Data.text())
		}
		var statuses []int
		for _, r := range h.requestsTo("POST", discordfake.CallbackPath("i-429")) {
			statuses = append(statuses, r.Status)
		}
		if !slices.Equal(statuses, []int{429, 204}) {
			t.Errorf("callback statuses = %v, want [429 204]", statuses)
		}
		if errs, _ := h.obs.counts(); errs["discord/respond"] != 0 {
			t.Errorf("API errors = %v, want none for a retried 429", errs)
		}
	})

	t.Run("messages", func(t *testing.T) {
		mention := discordfake.Mention()
		tests := []struct {
			name    string
			msg     discordfake.Message
			channel string
			want    string
		}{
			{"a direct message is a question", discordfake.DirectMessage("m-dm", "When did Kazakhstan join the United Nations?"), dmChannel, "168th"},
			{"an @mention in a guild channel is a question",
				discordfake.GuildMessage("m-mention", mention+" What share of the Tengiz oil field did Chevron get?", discordfake.Bot()),
				discordfake.ChannelID, "50%"},
			{"a nickname @mention works too",
				discordfake.GuildMessage("m-nick", "<@!"+discordfake.BotID+"> What share of the Tengiz oil field did Chevron get?", discordfake.Bot()),
				discordfake.ChannelID, "50%"},
			{"a reply to the bot is a question",
				func() discordfake.Message {
					m := discordfake.GuildMessage("m-reply", "When did Kazakhstan join the United Nations?")
					b := discordfake.Bot()
					m.ReplyTo = &b
					return m
				}(), discordfake.ChannelID, "168th"},
			{"@everyone and markdown in a question ping nobody",
				discordfake.GuildMessage("m-everyone", mention+" @everyone <@&42> **When did Kazakhstan join the United Nations?** ||x||", discordfake.Bot()),
				discordfake.ChannelID, ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				h.message(t, tt.msg)
				m := h.reply(t, tt.channel, tt.msg.ID)
				checkEmbeds(t, m)
				checkPingsNobody(t, m)
				if m.Content != "" {
					t.Errorf("content = %q, want everything in embeds", m.Content)
				}
				if !strings.Contains(m.text(), tt.want) {
					t.Errorf("reply = %q, want it to contain %q", m.text(), tt.want)
				}
			})
		}
	})

	t.Run("messages not addressed to the bot are ignored", func(t *testing.T) {
		q := "When did Kazakhstan join the United Nations?"
		selfMention := discordfake.GuildMessage("m-self", discordfake.Mention()+" "+q, discordfake.Bot())
		selfMention.Author = discordfake.Bot()
		otherBot := discordfake.GuildMessage("m-bot", discordfake.Mention()+" "+q, discordfake.Bot())
		otherBot.Author = discordfake.User{ID: "900000000000000009", Bot: true}
		ignored := []discordfake.Message{
			discordfake.GuildMessage("m-plain", q),
			discordfake.GuildMessage("m-prefix", "!kz "+q), // the prefix needs message_content
			selfMention,
			otherBot,
			discordfake.GuildMessage("m-empty", ""),
		}
		for _, m := range ignored {
			h.message(t, m)
		}
		// A message that is answered, sent last: once it is, the ignored
		// ones have been handled too.
		h.message(t, discordfake.DirectMessage("m-sentinel", q))
		h.reply(t, dmChannel, "m-sentinel")
		h.settle(t)
		for _, m := range ignored {
			for _, r := range h.requestsTo("POST", discordfake.MessagesPath(m.ChannelID)) {
				if strings.Contains(string(r.Body), `"message_id":"`+m.ID+`"`) {
					t.Errorf("message %s was answered, want it ignored", m.ID)
				}
			}
		}
	})

	t.Run("a panic in one update is recovered and logged with its id", func(t *testing.T) {
		h.message(t, discordfake.DirectMessage("m-panic", textPanic))
		h.interact(t, discordfake.Command("i-panic", "ask", discordfake.Option{Name: "question", Value: textPanic}))
		h.message(t, discordfake.DirectMessage("m-after-panic", "What share of the Tengiz oil field did Chevron get?"))
		h.reply(t, dmChannel, "m-after-panic")
		h.settle(t)
		logs := h.logs.String()
		for _, id := range []string{"m-panic", "i-panic"} {
			if !strings.Contains(logs, `"msg":"recovered from a panic while handling an event"`) || !strings.Contains(logs, `"id":"`+id+`"`) {
				t.Errorf("no panic log line with id %s:\n%s", id, logs)
			}
		}
		if len(h.requestsTo("POST", discordfake.CallbackPath("i-panic"))) != 0 {
			t.Error("the panicking interaction was answered")
		}
	})

	t.Run("a failing API call is logged and counted without the token", func(t *testing.T) {
		body := `{"code":0,"message":"internal error for Bot ` + discordfake.Token + `"}`
		fake.FailNext("POST", discordfake.MessagesPath(dmChannel), http.StatusInternalServerError, body, nil, 1)
		h.message(t, discordfake.DirectMessage("m-500", "When did Kazakhstan join the United Nations?"))
		if _, err := fake.WaitRequest(waitCtx(t), "the failing send", func(r discordfake.Request) bool {
			return r.Status == http.StatusInternalServerError
		}); err != nil {
			t.Fatal(err)
		}
		h.settle(t)
		if errs, _ := h.obs.counts(); errs["discord/send_message"] != 1 {
			t.Errorf("API errors = %v, want one send_message", errs)
		}
		logs := h.logs.String()
		if !strings.Contains(logs, `"op":"send_message"`) || !strings.Contains(logs, "internal error for Bot [redacted]") {
			t.Errorf("no scrubbed log line for the failed call:\n%s", logs)
		}
		if strings.Contains(logs, discordfake.Token) {
			t.Error("the log contains the token")
		}
	})

	t.Run("after a gateway drop the session resumes and questions are answered", func(t *testing.T) {
		fake.Drop()
		// Sent while the connection is down: replayed after RESUME.
		h.message(t, discordfake.DirectMessage("m-during-drop", "When did Kazakhstan join the United Nations?"))
		if err := fake.WaitResumed(waitCtx(t), 1); err != nil {
			t.Fatalf("%v\nlogs:\n%s", err, h.logs.String())
		}
		h.reply(t, dmChannel, "m-during-drop")
		h.message(t, discordfake.DirectMessage("m-after-drop", "What share of the Tengiz oil field did Chevron get?"))
		if m := h.reply(t, dmChannel, "m-after-drop"); !strings.Contains(m.text(), "50%") {
			t.Errorf("reply after resume = %q, want the Chevron fact", m.text())
		}
		h.interact(t, discordfake.Command("i-after-drop", "ask", discordfake.Option{Name: "question", Value: "When did Kazakhstan join the United Nations?"}))
		h.callback(t, "i-after-drop")
		_, identifies, resumes := fake.Stats()
		if identifies != 1 || resumes != 1 {
			t.Errorf("identifies = %d, resumes = %d; want 1 and 1 (resumed, not re-identified)", identifies, resumes)
		}
		h.eventually(t, "Ready after the resume", h.a.Ready)
		if _, reconnects := h.obs.counts(); reconnects != 1 {
			t.Errorf("Reconnected was called %d times, want 1", reconnects)
		}
	})

	t.Run("a graceful stop lets the reply in flight finish, then closes", func(t *testing.T) {
		q := "What is the Khorgos free trade zone?"
		entered, release := h.eng.block(t, q)
		h.message(t, discordfake.DirectMessage("m-inflight", q))
		<-entered
		h.cancel()
		h.eventually(t, "Ready to turn false on stop", func() bool { return !h.a.Ready() })
		// Arrives while stopping: dropped, not started.
		h.message(t, discordfake.DirectMessage("m-too-late", "When did Kazakhstan join the United Nations?"))
		select {
		case <-h.exited:
			t.Fatalf("Run returned (%v) while a reply was in flight", h.runErr)
		default:
		}
		if !fake.Connected() {
			t.Error("the session closed before the reply in flight finished")
		}
		release()
		if m := h.reply(t, dmChannel, "m-inflight"); !strings.Contains(m.text(), "Khorgos") {
			t.Errorf("in-flight reply = %q, want the Khorgos fact", m.text())
		}
		if err := h.stop(10 * time.Second); err != nil {
			t.Fatalf("Run: %v, want nil on a clean stop", err)
		}
		h.eventually(t, "the gateway session to close", func() bool { return !fake.Connected() })
		for _, r := range h.requestsTo("POST", discordfake.MessagesPath(dmChannel)) {
			if strings.Contains(string(r.Body), `"message_id":"m-too-late"`) {
				t.Error("a message that arrived while stopping was answered")
			}
		}
		if h.a.Ready() {
			t.Error("Ready() = true after Run returned")
		}
	})
}

// TestDiscordShardedGuildsMessageContent runs a second session with every
// optional setting: a shard, guild command registration, the Message
// Content intent with the prefix, a gateway URL override, and a short
// shutdown timeout that a stuck handler runs into.
func TestDiscordShardedGuildsMessageContent(t *testing.T) {
	guilds := []string{"310000000000000031", "320000000000000032"}
	h := start(t, func(cfg *Config, fake *discordfake.Server) {
		cfg.ShardID, cfg.ShardCount = 1, 2
		cfg.GuildIDs = guilds
		cfg.MessageContent = true
		cfg.ShutdownTimeout = 200 * time.Millisecond
		cfg.GatewayURL = fake.GatewayURL()
	}, discordfake.WithGatewayDiscovery("ws://127.0.0.1:1/not-a-gateway"))
	fake := h.fake

	t.Run("IDENTIFY carries the shard array and the Message Content intent", func(t *testing.T) {
		id, err := fake.WaitReady(waitCtx(t))
		if err != nil {
			t.Fatal(err)
		}
		if id.Shard == nil || *id.Shard != [2]int{1, 2} {
			t.Errorf("shard = %v, want [1 2]", id.Shard)
		}
		if id.Intents&int(discordgo.IntentMessageContent) == 0 {
			t.Errorf("intents = %#x, want the Message Content intent", id.Intents)
		}
	})

	t.Run("the configured gateway URL is used instead of discovery", func(t *testing.T) {
		if n := len(h.requestsTo("GET", discordfake.APIPrefix+"gateway")); n != 0 {
			t.Errorf("the adapter asked REST for the gateway %d times, want 0 with gateway_url set", n)
		}
	})

	t.Run("commands are registered in each configured guild, not globally", func(t *testing.T) {
		for _, g := range guilds {
			path := discordfake.APIPrefix + "applications/" + discordfake.AppID + "/guilds/" + g + "/commands"
			if rs := h.requestsTo("PUT", path); len(rs) != 1 || rs[0].Status != http.StatusOK {
				t.Errorf("guild %s: %d accepted bulk overwrites, want 1", g, len(rs))
			}
		}
		if rs := h.requestsTo("PUT", discordfake.APIPrefix+"applications/"+discordfake.AppID+"/commands"); len(rs) != 0 {
			t.Errorf("%d global registrations, want none with guild_ids set", len(rs))
		}
	})

	t.Run("prefixed channel messages are questions", func(t *testing.T) {
		for _, m := range []discordfake.Message{
			discordfake.GuildMessage("p-1", "!kz When did Kazakhstan join the United Nations?"),
			discordfake.GuildMessage("p-2", "!KZ   What share of the Tengiz oil field did Chevron get?"),
		} {
			h.message(t, m)
			r := h.reply(t, discordfake.ChannelID, m.ID)
			checkPingsNobody(t, r)
			checkEmbeds(t, r)
		}
	})

	t.Run("channel messages without the prefix are still ignored", func(t *testing.T) {
		q := "When did Kazakhstan join the United Nations?"
		ignored := []discordfake.Message{
			discordfake.GuildMessage("p-plain", q),
			discordfake.GuildMessage("p-glued", "!kzWhen did Kazakhstan join the United Nations?"),
		}
		for _, m := range ignored {
			h.message(t, m)
		}
		h.message(t, discordfake.GuildMessage("p-sentinel", "!kz "+q))
		h.reply(t, discordfake.ChannelID, "p-sentinel")
		h.settle(t)
		for _, m := range ignored {
			for _, r := range h.requestsTo("POST", discordfake.MessagesPath(discordfake.ChannelID)) {
				if strings.Contains(string(r.Body), `"message_id":"`+m.ID+`"`) {
					t.Errorf("message %s was answered, want it ignored", m.ID)
				}
			}
		}
	})

	t.Run("a stuck reply holds the stop no longer than the shutdown timeout", func(t *testing.T) {
		q := "How old is Kazakhstan's foreign policy?"
		entered, release := h.eng.block(t, q)
		h.message(t, discordfake.DirectMessage("p-stuck", q))
		<-entered
		began := time.Now()
		if err := h.stop(10 * time.Second); err != nil {
			t.Fatalf("Run: %v, want nil", err)
		}
		took := time.Since(began)
		// The timeout, plus discordgo's one-second sleep on close.
		if took < 200*time.Millisecond || took > 200*time.Millisecond+3*time.Second {
			t.Errorf("stop took %v, want the 200ms timeout plus the close", took)
		}
		if !strings.Contains(h.logs.String(), "after the shutdown timeout") {
			t.Errorf("no log line about abandoning the stuck reply:\n%s", h.logs.String())
		}
		// Let the abandoned handler end before the next test changes
		// discordgo's endpoint globals under it.
		release()
		h.settle(t)
	})
}

func TestRunFailsOnARejectedToken(t *testing.T) {
	tests := []struct {
		name       string
		viaGateway bool
	}{
		{"the REST API answers 401", false},
		{"the gateway closes with 4004", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := discordfake.New(t)
			const wrong = "wrong-token.abcdef123456"
			cfg := Config{Token: wrong, APIURL: fake.APIURL()}
			if tt.viaGateway {
				cfg.GatewayURL = fake.GatewayURL()
			}
			logs := &bottest.Buffer{}
			a, err := New(cfg, bottest.Engine(t), WithLogger(slog.New(slog.NewJSONHandler(logs, nil))))
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
			defer cancel()
			err = a.Run(ctx)
			if err == nil {
				t.Fatal("Run succeeded with a wrong token, want an error")
			}
			for _, want := range []string{"token was rejected", TokenEnv} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not say %q", err, want)
				}
			}
			if strings.Contains(err.Error(), wrong) || strings.Contains(logs.String(), wrong) {
				t.Errorf("the token leaked: error %q, logs %s", err, logs)
			}
			if a.Ready() {
				t.Error("Ready() = true after a failed start")
			}
			_, identifies, _ := fake.Stats()
			if identifies != 0 {
				t.Errorf("the fake accepted %d IDENTIFYs with a wrong token", identifies)
			}
			if tt.viaGateway && !strings.Contains(err.Error(), "4004") {
				t.Errorf("error %q does not carry the close code", err)
			}
		})
	}
}
