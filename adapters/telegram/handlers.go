package telegram

import (
	"fmt"
	"runtime/debug"
	"slices"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	tele "gopkg.in/telebot.v3"

	"kazbot/bot"
)

// inlineCacheSeconds is how long Telegram may cache an inline answer. It is
// short so a reloaded knowledge pack shows soon.
const inlineCacheSeconds = 60

// commandMenu is the setMyCommands payload: the engine's command set for
// Telegram, in its order.
func commandMenu() []tele.Command {
	var out []tele.Command
	for _, c := range bot.Commands(Platform) {
		out = append(out, tele.Command{Text: c.Name, Description: c.Description})
	}
	return out
}

// register routes telebot's endpoints to the adapter. Commands are the
// engine's table; telebot already drops "/cmd@otherbot".
func (a *Adapter) register(b *tele.Bot) {
	for _, c := range bot.Commands(Platform) {
		b.Handle("/"+c.Name, a.onCommand)
	}
	b.Handle(tele.OnText, a.onText)
	b.Handle(tele.OnCallback, a.onCallback)
	b.Handle(tele.OnQuery, a.onQuery)
}

// process handles one update on a dispatcher worker. telebot runs the
// handler inline (Synchronous), so the dispatcher's per-chat order holds.
// A panic is logged with the update id and does not stop the adapter.
func (a *Adapter) process(u tele.Update) {
	defer func() {
		if p := recover(); p != nil {
			a.log.Error("panic while handling an update; carrying on",
				"update_id", u.ID, "panic", redactToken(fmt.Sprint(p), a.cfg.Token),
				"stack", redactToken(string(debug.Stack()), a.cfg.Token))
		}
	}()
	a.bot.ProcessUpdate(u)
}

// fromPerson reports whether m is a message from a person in a private
// chat or a group. Bots, channels and service messages are ignored.
func fromPerson(m *tele.Message) bool {
	return m != nil && m.Sender != nil && !m.Sender.IsBot && m.Chat != nil &&
		(m.Chat.Type == tele.ChatPrivate || m.Chat.Type == tele.ChatGroup || m.Chat.Type == tele.ChatSuperGroup)
}

// onCommand handles the engine's commands ("/ask x", "/ask@thisbot x").
func (a *Adapter) onCommand(c tele.Context) error {
	m := c.Message()
	if !fromPerson(m) {
		return nil
	}
	text, _ := stripMention(capRaw(m.Text), m.Entities, a.bot.Me)
	name, arg, ok := bot.ParseCommand(clean(text))
	if !ok {
		return nil
	}
	a.answer(c, m, bot.Request{Command: name, Text: arg})
	return nil
}

// onText handles any other text. In a private chat it is a question. In a
// group only text addressed to the bot is: an @mention (removed from the
// question), a reply to one of the bot's messages, or an unknown
// "/cmd@thisbot". Everything else in a group is someone else's
// conversation.
func (a *Adapter) onText(c tele.Context) error {
	m := c.Message()
	if !fromPerson(m) {
		return nil
	}
	text, mentioned := stripMention(capRaw(m.Text), m.Entities, a.bot.Me)
	text = clean(text)
	if m.Chat.Type != tele.ChatPrivate && !mentioned && !a.isReplyToMe(m) && !commandForMe(text, a.bot.Me.Username) {
		return nil
	}
	a.answer(c, m, bot.Request{Text: text})
	return nil
}

// answer asks the engine and sends the reply to m's chat (quoting m in
// groups, in m's forum topic if any).
func (a *Adapter) answer(c tele.Context, m *tele.Message, req bot.Request) {
	req.Platform = Platform
	req.UserID = chatID(m.Sender.ID)
	req.ChatID = chatID(m.Chat.ID)
	reply := a.eng.Handle(a.ctx, req)
	t := target{chat: m.Chat, updateID: c.Update().ID}
	if m.TopicMessage {
		t.threadID = m.ThreadID
	}
	if m.Chat.Type != tele.ChatPrivate {
		t.replyTo = m
	}
	a.send.reply(a.ctx, t, reply)
}

// onCallback handles a button press. The callback query is always
// answered, so the client stops spinning. A short notice without buttons
// (a stale button, the rate limit) is shown as the callback's toast; any
// other reply is sent to the chat.
func (a *Adapter) onCallback(c tele.Context) error {
	cb := c.Callback()
	if cb == nil {
		return nil
	}
	data, _ := bot.Clean(cb.Data, maxCallbackData)
	req := bot.Request{Platform: Platform}
	attrs := []any{"update_id", c.Update().ID}
	if cb.Sender != nil {
		req.UserID = chatID(cb.Sender.ID)
	}
	var t *target
	if msg := cb.Message; msg != nil && msg.Chat != nil {
		req.ChatID = chatID(msg.Chat.ID)
		t = &target{chat: msg.Chat, updateID: c.Update().ID}
		if msg.TopicMessage {
			t.threadID = msg.ThreadID
		}
		if msg.Chat.Type != tele.ChatPrivate {
			t.replyTo = msg // in a group, thread the fact under the buttons' message
		}
		attrs = t.attrs()
	}
	reply := a.eng.Show(a.ctx, req, data)

	answer := &tele.CallbackResponse{}
	send := false
	text := reply.Text()
	switch {
	case reply.Kind == bot.KindSilent:
	case reply.Kind == bot.KindNotice && len(reply.Suggestions) == 0 && len(reply.Topics) == 0 &&
		utf8.RuneCountInString(text) <= maxCallbackText:
		answer.Text = text
	case t == nil: // a button under an inline message: no chat to send to
		answer.Text = bot.Truncate(text, maxCallbackText)
	default:
		send = true
	}
	_ = a.send.call(a.ctx, "answerCallbackQuery", attrs, func() error { return a.bot.Respond(cb, answer) })
	if send {
		a.send.reply(a.ctx, *t, reply)
	}
	return nil
}

// onQuery answers an inline query ("@bot question" in any chat) with up
// to MaxInlineResults facts; an empty query gets featured facts.
func (a *Adapter) onQuery(c tele.Context) error {
	q := c.Query()
	if q == nil || (q.Sender != nil && q.Sender.IsBot) {
		return nil
	}
	text, _ := bot.Clean(capRaw(q.Text), maxQuery)
	resp := &tele.QueryResponse{
		Results:   inlineResults(a.eng.Search(a.ctx, text, MaxInlineResults)),
		CacheTime: inlineCacheSeconds,
	}
	attrs := []any{"update_id", c.Update().ID}
	if q.Sender != nil {
		attrs = append(attrs, "user_id", q.Sender.ID)
	}
	_ = a.send.call(a.ctx, "answerInlineQuery", attrs, func() error { return a.bot.Answer(q, resp) })
	return nil
}

// isReplyToMe reports whether m replies to one of the bot's messages.
func (a *Adapter) isReplyToMe(m *tele.Message) bool {
	return m.ReplyTo != nil && m.ReplyTo.Sender != nil && m.ReplyTo.Sender.ID == a.bot.Me.ID
}

// commandForMe reports whether text is a command addressed to this bot by
// name ("/cmd@thisbot").
func commandForMe(text, username string) bool {
	if !strings.HasPrefix(text, "/") || username == "" {
		return false
	}
	head, _, _ := strings.Cut(text, " ")
	_, at, ok := strings.Cut(head, "@")
	return ok && strings.EqualFold(at, username)
}

// capRaw cuts text far beyond Telegram's limit before any other work, so
// a huge message costs little; clean then applies the real cap.
func capRaw(s string) string {
	const maxBytes = 4 * MaxInput
	if len(s) <= maxBytes {
		return s
	}
	cut := maxBytes
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut]
}

// clean normalises user text for the engine (bot.Clean) and caps it at
// MaxInput characters.
func clean(s string) string {
	s, _ = bot.Clean(s, MaxInput)
	return s
}

// stripMention removes mentions of the bot (me) from text and reports
// whether there were any. It uses the message entities (offsets in UTF-16
// code units) when the message has them: "mention" entities naming the bot
// and "text_mention" entities pointing at it. Without entities it looks for
// "@username" as a word.
func stripMention(text string, ents tele.Entities, me *tele.User) (string, bool) {
	if me == nil || me.Username == "" {
		return text, false
	}
	if len(ents) == 0 {
		return stripMentionText(text, me.Username)
	}
	u := utf16.Encode([]rune(text))
	type span struct{ off, end int }
	var cuts []span
	for _, e := range ents {
		off, end := e.Offset, e.Offset+e.Length
		if off < 0 || e.Length <= 0 || end > len(u) {
			continue
		}
		switch {
		case e.Type == tele.EntityMention && strings.EqualFold(string(utf16.Decode(u[off:end])), "@"+me.Username):
		case e.Type == tele.EntityTMention && e.User != nil && e.User.ID == me.ID:
		default:
			continue
		}
		cuts = append(cuts, span{off, end})
	}
	if len(cuts) == 0 {
		return text, false
	}
	slices.SortFunc(cuts, func(x, y span) int { return y.off - x.off })
	last := len(u) + 1
	for _, c := range cuts {
		if c.end > last { // overlapping entities: keep the first cut
			continue
		}
		u = slices.Replace(u, c.off, c.end, ' ')
		last = c.off
	}
	return string(utf16.Decode(u)), true
}

// stripMentionText removes "@username" words (any case) from text.
func stripMentionText(text, username string) (string, bool) {
	var b strings.Builder
	found := false
	i := 0
	for {
		j := strings.IndexByte(text[i:], '@')
		if j < 0 {
			break
		}
		at := i + j
		end := at + 1 + len(username)
		if end <= len(text) && strings.EqualFold(text[at+1:end], username) &&
			(at == 0 || !wordByte(text[at-1])) && (end == len(text) || !wordByte(text[end])) {
			b.WriteString(text[i:at])
			b.WriteByte(' ')
			found = true
			i = end
			continue
		}
		b.WriteString(text[i : at+1])
		i = at + 1
	}
	if !found {
		return text, false
	}
	b.WriteString(text[i:])
	return b.String(), true
}

func wordByte(c byte) bool {
	return c == '_' || c == '/' || c == '@' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}
