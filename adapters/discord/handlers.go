package discord

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"kazbot/bot"
)

// onInteraction answers one interaction: a slash command, an autocomplete
// request or a button press / menu choice.
func (a *Adapter) onInteraction(ctx context.Context, s *discordgo.Session, i *discordgo.Interaction) {
	switch data := i.Data.(type) {
	case discordgo.ApplicationCommandInteractionData:
		if i.Type == discordgo.InteractionApplicationCommandAutocomplete {
			a.autocomplete(ctx, s, i, data)
			return
		}
		if i.Type != discordgo.InteractionApplicationCommand {
			return
		}
		req := a.interactionRequest(i)
		req.Command = data.Name
		req.Text = stringOption(data.Options)
		a.answer(ctx, s, i, false, func(ctx context.Context) bot.Reply {
			// A question chosen from /ask's autocomplete arrives as the
			// fact's button payload: show exactly that fact.
			if completes(data.Name) == bot.CompleteQuestions {
				if factID, _, ok := bot.ParseButton(req.Text); ok && factID != "" {
					return a.eng.Show(ctx, req, req.Text)
				}
			}
			return a.eng.Handle(ctx, req)
		})
	case discordgo.MessageComponentInteractionData:
		payload := data.CustomID
		if data.CustomID == topicsMenuID {
			payload = ""
			if len(data.Values) > 0 {
				payload = data.Values[0]
			}
		}
		if _, _, ok := bot.ParseButton(payload); !ok {
			// Not ours (or a menu with nothing chosen): acknowledge
			// without changing anything.
			a.respondRaw(ctx, s, i, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredMessageUpdate}, "respond")
			return
		}
		req := a.interactionRequest(i)
		a.answer(ctx, s, i, true, func(ctx context.Context) bot.Reply {
			return a.eng.Show(ctx, req, payload)
		})
	default:
		a.log.Debug("ignored an interaction", "id", i.ID, "type", i.Type)
	}
}

func (a *Adapter) interactionRequest(i *discordgo.Interaction) bot.Request {
	req := bot.Request{Platform: platform, ChatID: i.ChannelID}
	switch {
	case i.Member != nil && i.Member.User != nil:
		req.UserID = i.Member.User.ID
	case i.User != nil:
		req.UserID = i.User.ID
	}
	return req
}

// autocomplete answers an autocomplete request with the engine's
// completions: questions (value = the fact's button payload) or topics.
func (a *Adapter) autocomplete(ctx context.Context, s *discordgo.Session, i *discordgo.Interaction, data discordgo.ApplicationCommandInteractionData) {
	typed := stringOption(data.Options)
	choices := []choice{}
	switch completes(data.Name) {
	case bot.CompleteQuestions:
		choices = questionChoices(a.eng.Complete(typed, maxChoices))
	case bot.CompleteTopics:
		choices = topicChoices(a.eng.CompleteTopic(typed, maxChoices))
	}
	// discordgo omits an empty choices list, which Discord rejects, so
	// the response is sent as our own JSON.
	type result struct {
		Type discordgo.InteractionResponseType `json:"type"`
		Data struct {
			Choices []choice `json:"choices"`
		} `json:"data"`
	}
	var res result
	res.Type = discordgo.InteractionApplicationCommandAutocompleteResult
	res.Data.Choices = choices
	endpoint := discordgo.EndpointInteractionResponse(i.ID, i.Token)
	if _, err := s.RequestWithBucketID("POST", endpoint, res, endpoint, discordgo.WithContext(ctx)); err != nil {
		a.apiError("autocomplete", i, err)
	}
}

// answer computes a reply and sends it as the interaction's response. If
// the engine has not answered after deferAfter, the interaction is
// deferred (Discord allows three seconds for the first response) and the
// reply replaces the "thinking" message when it comes.
func (a *Adapter) answer(ctx context.Context, s *discordgo.Session, i *discordgo.Interaction, component bool, compute func(context.Context) bot.Reply) {
	type result struct {
		reply bot.Reply
		ok    bool
	}
	done := make(chan result, 1)
	go func() {
		var res result
		defer func() {
			if v := recover(); v != nil {
				a.log.Error("recovered from a panic while handling an event",
					"kind", "interaction", "id", i.ID, "panic", a.scrub.text(fmt.Sprint(v)))
			}
			done <- res
		}()
		res.reply = compute(ctx)
		res.ok = true
	}()

	timer := time.NewTimer(a.deferAfter)
	defer timer.Stop()
	select {
	case res := <-done:
		if res.ok {
			a.respond(ctx, s, i, res.reply, component)
		}
	case <-timer.C:
		deferred := a.respondRaw(ctx, s, i, &discordgo.InteractionResponse{
			Type: discordgo.InteractionResponseDeferredChannelMessageWithSource,
		}, "defer")
		res := <-done
		if !deferred {
			return
		}
		if !res.ok {
			a.deleteOriginal(ctx, s, i)
			return
		}
		a.completeDeferred(ctx, s, i, res.reply)
	}
}

// respond sends r as the interaction's first response, with any further
// messages as follow-ups.
func (a *Adapter) respond(ctx context.Context, s *discordgo.Session, i *discordgo.Interaction, r bot.Reply, component bool) {
	msgs := render(r)
	if len(msgs) == 0 { // KindSilent: acknowledge, show nothing
		if component {
			a.respondRaw(ctx, s, i, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredMessageUpdate}, "respond")
			return
		}
		if a.respondRaw(ctx, s, i, &discordgo.InteractionResponse{
			Type: discordgo.InteractionResponseDeferredChannelMessageWithSource,
			Data: &discordgo.InteractionResponseData{Flags: discordgo.MessageFlagsEphemeral, AllowedMentions: noMentions()},
		}, "respond") {
			a.deleteOriginal(ctx, s, i)
		}
		return
	}
	first := msgs[0]
	ok := a.respondRaw(ctx, s, i, &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{
			Embeds:          first.embeds,
			Components:      nonNil(first.components),
			AllowedMentions: noMentions(),
			Flags:           flags(first),
		},
	}, "respond")
	if ok {
		a.followUps(ctx, s, i, msgs[1:])
	}
}

// completeDeferred replaces a deferred response with r. A notice must be
// private, which a deferred public response cannot become, so it is deleted
// and the notice follows as an ephemeral message.
func (a *Adapter) completeDeferred(ctx context.Context, s *discordgo.Session, i *discordgo.Interaction, r bot.Reply) {
	msgs := render(r)
	if len(msgs) == 0 {
		a.deleteOriginal(ctx, s, i)
		return
	}
	if msgs[0].ephemeral {
		a.deleteOriginal(ctx, s, i)
		a.followUps(ctx, s, i, msgs)
		return
	}
	first := msgs[0]
	comps := nonNil(first.components)
	_, err := s.InteractionResponseEdit(i, &discordgo.WebhookEdit{
		Embeds:          &first.embeds,
		Components:      &comps,
		AllowedMentions: noMentions(),
	}, discordgo.WithContext(ctx))
	if err != nil {
		a.apiError("edit_response", i, err)
		return
	}
	a.followUps(ctx, s, i, msgs[1:])
}

func (a *Adapter) followUps(ctx context.Context, s *discordgo.Session, i *discordgo.Interaction, msgs []outMessage) {
	for _, m := range msgs {
		_, err := s.FollowupMessageCreate(i, true, &discordgo.WebhookParams{
			Embeds:          m.embeds,
			Components:      nonNil(m.components),
			AllowedMentions: noMentions(),
			Flags:           flags(m),
		}, discordgo.WithContext(ctx))
		if err != nil {
			a.apiError("follow_up", i, err)
			return
		}
	}
}

func (a *Adapter) respondRaw(ctx context.Context, s *discordgo.Session, i *discordgo.Interaction, resp *discordgo.InteractionResponse, op string) bool {
	if err := s.InteractionRespond(i, resp, discordgo.WithContext(ctx)); err != nil {
		a.apiError(op, i, err)
		return false
	}
	return true
}

func (a *Adapter) deleteOriginal(ctx context.Context, s *discordgo.Session, i *discordgo.Interaction) {
	if err := s.InteractionResponseDelete(i, discordgo.WithContext(ctx)); err != nil {
		a.apiError("delete_response", i, err)
	}
}

// apiError counts and logs a failed API call, without the bot token or the
// interaction's token.
func (a *Adapter) apiError(op string, i *discordgo.Interaction, err error) {
	a.obs.APIError(platform, op)
	a.log.Warn("discord API call failed", "op", op, "interaction", i.ID, "err", a.scrub.with(i.Token).err(err))
}

// noMentions is the allowed_mentions of every message: nothing in the text
// may ping anyone, and replies do not ping their author.
func noMentions() *discordgo.MessageAllowedMentions {
	return &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
}

func flags(m outMessage) discordgo.MessageFlags {
	if m.ephemeral {
		return discordgo.MessageFlagsEphemeral
	}
	return 0
}

func nonNil(c []discordgo.MessageComponent) []discordgo.MessageComponent {
	if c == nil {
		return []discordgo.MessageComponent{}
	}
	return c
}

// onMessage answers a message that is a question to the bot: a direct
// message, a message that mentions the bot or replies to it, or (with
// MessageContent) a channel message that starts with the prefix. Messages
// from bots, this one included, are ignored.
func (a *Adapter) onMessage(ctx context.Context, s *discordgo.Session, m *discordgo.Message) {
	botID, _ := a.ids()
	if m.Author == nil || m.Author.Bot || m.Author.System || m.Author.ID == botID || m.WebhookID != "" {
		return
	}
	if m.Type != discordgo.MessageTypeDefault && m.Type != discordgo.MessageTypeReply {
		return
	}
	text, ok := a.question(m, botID)
	if !ok {
		return
	}
	r := a.eng.Handle(ctx, bot.Request{Platform: platform, UserID: m.Author.ID, ChatID: m.ChannelID, Text: text})
	for n, msg := range render(r) {
		send := &discordgo.MessageSend{
			Embeds:          msg.embeds,
			Components:      nonNil(msg.components),
			AllowedMentions: noMentions(),
		}
		if n == 0 {
			no := false
			send.Reference = &discordgo.MessageReference{
				MessageID: m.ID, ChannelID: m.ChannelID, GuildID: m.GuildID, FailIfNotExists: &no,
			}
		}
		if _, err := s.ChannelMessageSendComplex(m.ChannelID, send, discordgo.WithContext(ctx)); err != nil {
			a.obs.APIError(platform, "send_message")
			a.log.Warn("discord API call failed", "op", "send_message", "message", m.ID, "err", a.scrub.err(err))
			return
		}
	}
}

// question decides whether m is addressed to the bot and returns its text
// without the bot's mention or the prefix.
func (a *Adapter) question(m *discordgo.Message, botID string) (string, bool) {
	if strings.TrimSpace(m.Content) == "" {
		return "", false // no content: nothing to answer (or no intent to read it)
	}
	dm := m.GuildID == ""
	mentioned := false
	text := m.Content
	if botID != "" {
		for _, u := range m.Mentions {
			if u != nil && u.ID == botID {
				mentioned = true
			}
		}
		for _, tag := range []string{"<@" + botID + ">", "<@!" + botID + ">"} {
			if strings.Contains(text, tag) {
				mentioned = true
				text = strings.ReplaceAll(text, tag, " ")
			}
		}
	}
	replyToBot := botID != "" && m.ReferencedMessage != nil && m.ReferencedMessage.Author != nil &&
		m.ReferencedMessage.Author.ID == botID
	text = strings.TrimSpace(text)
	rest, prefixed := cutPrefix(text, a.cfg.Prefix)
	if prefixed {
		text = rest
	}
	if dm || mentioned || replyToBot || (prefixed && a.cfg.MessageContent) {
		return text, true
	}
	return "", false
}

// cutPrefix removes prefix (any case) from the start of s when it is a
// word of its own.
func cutPrefix(s, prefix string) (string, bool) {
	if prefix == "" || len(s) < len(prefix) || !strings.EqualFold(s[:len(prefix)], prefix) {
		return s, false
	}
	rest := s[len(prefix):]
	if rest != "" {
		r, _ := utf8.DecodeRuneInString(rest)
		if !unicode.IsSpace(r) {
			return s, false
		}
	}
	return strings.TrimSpace(rest), true
}
