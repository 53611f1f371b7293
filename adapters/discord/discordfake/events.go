package discordfake

import (
	"context"
	"strings"
	"time"
)

// Interaction types and component types, as Discord numbers them.
const (
	TypeCommand      = 2
	TypeComponent    = 3
	TypeAutocomplete = 4

	ComponentButton = 2
	ComponentSelect = 3
)

// Option is one slash command option in an interaction.
type Option struct {
	Name    string
	Value   string
	Focused bool
}

// Interaction describes an INTERACTION_CREATE to dispatch. Zero GuildID
// means a direct message (the user is sent as "user", not "member").
type Interaction struct {
	ID            string
	Type          int
	Command       string
	Options       []Option
	CustomID      string
	ComponentType int
	Values        []string
	GuildID       string
	ChannelID     string
	UserID        string
}

// Command is a slash command interaction in the default guild and channel.
func Command(id, name string, opts ...Option) Interaction {
	return Interaction{ID: id, Type: TypeCommand, Command: name, Options: opts,
		GuildID: GuildID, ChannelID: ChannelID, UserID: UserID}
}

// Autocomplete is an autocomplete request for option of command name while
// the user has typed typed.
func Autocomplete(id, name, option, typed string) Interaction {
	in := Command(id, name, Option{Name: option, Value: typed, Focused: true})
	in.Type = TypeAutocomplete
	return in
}

// Button is a button press with customID.
func Button(id, customID string) Interaction {
	return Interaction{ID: id, Type: TypeComponent, CustomID: customID, ComponentType: ComponentButton,
		GuildID: GuildID, ChannelID: ChannelID, UserID: UserID}
}

// Select is a string select menu choice.
func Select(id, customID string, values ...string) Interaction {
	return Interaction{ID: id, Type: TypeComponent, CustomID: customID, ComponentType: ComponentSelect, Values: values,
		GuildID: GuildID, ChannelID: ChannelID, UserID: UserID}
}

// InDM returns the interaction as sent from a direct message.
func (in Interaction) InDM() Interaction {
	in.GuildID = ""
	in.ChannelID = "600000000000000006"
	return in
}

// InteractionToken is the token of the interaction with id: it appears in
// the callback and webhook URLs.
func InteractionToken(id string) string { return "itok-" + id }

// CallbackPath is the URL path of the interaction's initial response.
func CallbackPath(id string) string {
	return APIPrefix + "interactions/" + id + "/" + InteractionToken(id) + "/callback"
}

// WebhookPath is the URL path prefix of the interaction's follow-ups and
// edits.
func WebhookPath(id string) string {
	return APIPrefix + "webhooks/" + AppID + "/" + InteractionToken(id)
}

// MessagesPath is the URL path for sending messages to a channel.
func MessagesPath(channelID string) string {
	return APIPrefix + "channels/" + channelID + "/messages"
}

func user(id string) map[string]any {
	return map[string]any{"id": id, "username": "user" + id[len(id)-2:], "discriminator": "0", "bot": false}
}

// SendInteraction dispatches an INTERACTION_CREATE.
func (s *Server) SendInteraction(in Interaction) error {
	d := map[string]any{
		"id":              in.ID,
		"application_id":  AppID,
		"type":            in.Type,
		"token":           InteractionToken(in.ID),
		"version":         1,
		"channel_id":      in.ChannelID,
		"app_permissions": "0",
		"locale":          "en-US",
	}
	if in.GuildID != "" {
		d["guild_id"] = in.GuildID
		d["member"] = map[string]any{
			"user":        user(in.UserID),
			"roles":       []string{},
			"permissions": "0",
			"joined_at":   "2020-01-01T00:00:00Z",
		}
		d["context"] = 0
	} else {
		d["user"] = user(in.UserID)
		d["context"] = 1
	}
	switch in.Type {
	case TypeCommand, TypeAutocomplete:
		opts := []map[string]any{}
		for _, o := range in.Options {
			m := map[string]any{"name": o.Name, "type": 3, "value": o.Value}
			if o.Focused {
				m["focused"] = true
			}
			opts = append(opts, m)
		}
		d["data"] = map[string]any{"id": "9" + in.Command, "name": in.Command, "type": 1, "options": opts}
	case TypeComponent:
		data := map[string]any{"custom_id": in.CustomID, "component_type": in.ComponentType}
		if in.ComponentType == ComponentSelect {
			data["values"] = in.Values
		}
		d["data"] = data
		d["message"] = map[string]any{
			"id": "700000000000000007", "channel_id": in.ChannelID, "content": "", "type": 0,
			"timestamp": "2024-01-01T00:00:00Z",
			"author":    map[string]any{"id": BotID, "username": "kazbot", "bot": true},
		}
	}
	return s.Dispatch("INTERACTION_CREATE", d)
}

// User is a message author or mention.
type User struct {
	ID  string
	Bot bool
}

// Message describes a MESSAGE_CREATE to dispatch. Zero GuildID means a
// direct message.
type Message struct {
	ID        string
	ChannelID string
	GuildID   string
	Content   string
	Author    User
	Mentions  []User
	// ReplyTo, when set, makes the message a reply to a message by this
	// user.
	ReplyTo *User
}

// GuildMessage is a message from the default user in the default guild
// channel; mentioning the bot is up to content and mentions.
func GuildMessage(id, content string, mentions ...User) Message {
	return Message{ID: id, ChannelID: ChannelID, GuildID: GuildID, Content: content,
		Author: User{ID: UserID}, Mentions: mentions}
}

// DirectMessage is a direct message from the default user.
func DirectMessage(id, content string) Message {
	return Message{ID: id, ChannelID: "600000000000000006", Content: content, Author: User{ID: UserID}}
}

// Mention returns the mention syntax for the bot, "<@BotID>".
func Mention() string { return "<@" + BotID + ">" }

// Bot is the fake's bot user, for Mentions and ReplyTo.
func Bot() User { return User{ID: BotID, Bot: true} }

func (u User) json() map[string]any {
	m := user(u.ID)
	m["bot"] = u.Bot
	return m
}

// SendMessage dispatches a MESSAGE_CREATE.
func (s *Server) SendMessage(m Message) error {
	mentions := []map[string]any{}
	for _, u := range m.Mentions {
		mentions = append(mentions, u.json())
	}
	d := map[string]any{
		"id":               m.ID,
		"channel_id":       m.ChannelID,
		"content":          m.Content,
		"timestamp":        time.Now().UTC().Format(time.RFC3339),
		"author":           m.Author.json(),
		"mentions":         mentions,
		"mention_everyone": strings.Contains(m.Content, "@everyone"),
		"mention_roles":    []string{},
		"attachments":      []any{},
		"embeds":           []any{},
		"tts":              false,
		"pinned":           false,
		"type":             0,
	}
	if m.GuildID != "" {
		d["guild_id"] = m.GuildID
	}
	if m.ReplyTo != nil {
		d["type"] = 19
		d["message_reference"] = map[string]any{"message_id": "800000000000000008", "channel_id": m.ChannelID}
		d["referenced_message"] = map[string]any{
			"id": "800000000000000008", "channel_id": m.ChannelID, "content": "earlier", "type": 0,
			"timestamp": "2024-01-01T00:00:00Z", "author": m.ReplyTo.json(),
		}
	}
	return s.Dispatch("MESSAGE_CREATE", d)
}

// WaitCallback waits for the interaction's initial response that the fake
// accepted (2xx) and returns it.
func (s *Server) WaitCallback(ctx context.Context, id string) (Request, error) {
	return s.WaitRequest(ctx, "the callback of interaction "+id, func(r Request) bool {
		return r.Method == "POST" && r.Path == CallbackPath(id) && r.Status/100 == 2
	})
}

// WaitChannelMessage waits for an accepted message to channelID that
// replies to message id replyTo (any message when replyTo is "").
func (s *Server) WaitChannelMessage(ctx context.Context, channelID, replyTo string) (Request, error) {
	return s.WaitRequest(ctx, "a message in channel "+channelID+" replying to "+replyTo, func(r Request) bool {
		if r.Method != "POST" || r.Path != MessagesPath(channelID) || r.Status/100 != 2 {
			return false
		}
		if replyTo == "" {
			return true
		}
		ref, _ := r.JSON()["message_reference"].(map[string]any)
		return ref != nil && ref["message_id"] == replyTo
	})
}
