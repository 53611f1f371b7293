package telegramfake

import (
	"fmt"
	"regexp"
	"unicode/utf16"
)

// The Bot API objects the fake sends and reads, in the Bot API's own JSON
// shape (https://core.telegram.org/bots/api#available-types), reduced to
// the fields kazbot's adapter uses.

// User is a Telegram user or bot.
type User struct {
	ID        int64  `json:"id"`
	IsBot     bool   `json:"is_bot"`
	FirstName string `json:"first_name"`
	Username  string `json:"username,omitempty"`
}

// Chat is a private chat, group, supergroup or channel.
type Chat struct {
	ID        int64  `json:"id"`
	Type      string `json:"type"`
	Title     string `json:"title,omitempty"`
	FirstName string `json:"first_name,omitempty"`
	IsForum   bool   `json:"is_forum,omitempty"`
}

// MessageEntity marks a span of a message's text (offsets in UTF-16 code
// units).
type MessageEntity struct {
	Type   string `json:"type"`
	Offset int    `json:"offset"`
	Length int    `json:"length"`
	User   *User  `json:"user,omitempty"`
}

// Message is a message in a chat.
type Message struct {
	MessageID       int             `json:"message_id"`
	MessageThreadID int             `json:"message_thread_id,omitempty"`
	IsTopicMessage  bool            `json:"is_topic_message,omitempty"`
	From            *User           `json:"from,omitempty"`
	Date            int64           `json:"date"`
	Chat            Chat            `json:"chat"`
	Text            string          `json:"text,omitempty"`
	Entities        []MessageEntity `json:"entities,omitempty"`
	ReplyToMessage  *Message        `json:"reply_to_message,omitempty"`
	ReplyMarkup     *InlineKeyboard `json:"reply_markup,omitempty"`
}

// CallbackQuery is a press of an inline keyboard button.
type CallbackQuery struct {
	ID           string   `json:"id"`
	From         User     `json:"from"`
	Message      *Message `json:"message,omitempty"`
	ChatInstance string   `json:"chat_instance"`
	Data         string   `json:"data,omitempty"`
}

// InlineQuery is "@bot text" typed in any chat.
type InlineQuery struct {
	ID       string `json:"id"`
	From     User   `json:"from"`
	Query    string `json:"query"`
	Offset   string `json:"offset"`
	ChatType string `json:"chat_type,omitempty"`
}

// Update is one incoming update. Exactly one of the pointers is set.
type Update struct {
	UpdateID      int            `json:"update_id"`
	Message       *Message       `json:"message,omitempty"`
	EditedMessage *Message       `json:"edited_message,omitempty"`
	CallbackQuery *CallbackQuery `json:"callback_query,omitempty"`
	InlineQuery   *InlineQuery   `json:"inline_query,omitempty"`
}

// kind is the update's type as named in allowed_updates.
func (u Update) kind() string {
	switch {
	case u.Message != nil:
		return "message"
	case u.EditedMessage != nil:
		return "edited_message"
	case u.CallbackQuery != nil:
		return "callback_query"
	case u.InlineQuery != nil:
		return "inline_query"
	}
	return ""
}

// InlineKeyboard is an inline keyboard markup.
type InlineKeyboard struct {
	InlineKeyboard [][]InlineButton `json:"inline_keyboard"`
}

// InlineButton is one inline keyboard button.
type InlineButton struct {
	Text         string `json:"text"`
	CallbackData string `json:"callback_data,omitempty"`
	URL          string `json:"url,omitempty"`
}

// Buttons lists the keyboard's buttons row by row.
func (k *InlineKeyboard) Buttons() []InlineButton {
	if k == nil {
		return nil
	}
	var out []InlineButton
	for _, row := range k.InlineKeyboard {
		out = append(out, row...)
	}
	return out
}

// NewUser returns a person with id, named "User <id>" with username
// "user<id>".
func NewUser(id int64) User {
	return User{ID: id, FirstName: fmt.Sprintf("User %d", id), Username: fmt.Sprintf("user%d", id)}
}

// PrivateChat is the private chat between the bot and u (its id is u's).
func PrivateChat(u User) Chat {
	return Chat{ID: u.ID, Type: "private", FirstName: u.FirstName}
}

// GroupChat is a supergroup; id should be negative, as Telegram's are.
func GroupChat(id int64) Chat {
	return Chat{ID: id, Type: "supergroup", Title: fmt.Sprintf("Group %d", id)}
}

// Text is a text message from from in chat. Entities (commands, @mentions)
// are filled in when it is pushed, as Telegram does; set Entities to an
// empty non-nil slice to send none.
func Text(chat Chat, from User, text string) Update {
	return Update{Message: &Message{From: &from, Chat: chat, Text: text}}
}

// ReplyTo is a text message answering to.
func ReplyTo(chat Chat, from User, text string, to Message) Update {
	u := Text(chat, from, text)
	u.Message.ReplyToMessage = &to
	return u
}

// Edited is an edit of a text message.
func Edited(chat Chat, from User, messageID int, text string) Update {
	return Update{EditedMessage: &Message{MessageID: messageID, From: &from, Chat: chat, Text: text}}
}

// Press is a press of a button with data under msg.
func Press(from User, msg Message, data string) Update {
	return Update{CallbackQuery: &CallbackQuery{From: from, Message: &msg, Data: data}}
}

// Inline is an inline query.
func Inline(from User, query string) Update {
	return Update{InlineQuery: &InlineQuery{From: from, Query: query, ChatType: "sender"}}
}

var (
	commandRx = regexp.MustCompile(`^/[A-Za-z0-9_]{1,32}(@[A-Za-z0-9_]{3,32})?`)
	mentionRx = regexp.MustCompile(`(?:^|[^A-Za-z0-9_/@])(@[A-Za-z0-9_]{5,32})`)
)

// entities finds what Telegram marks in a message text: a bot_command at
// the start and @mentions.
func entities(text string) []MessageEntity {
	var out []MessageEntity
	if loc := commandRx.FindStringIndex(text); loc != nil {
		out = append(out, MessageEntity{Type: "bot_command", Offset: 0, Length: utf16Len(text[:loc[1]])})
	}
	for _, m := range mentionRx.FindAllStringSubmatchIndex(text, -1) {
		off := utf16Len(text[:m[2]])
		out = append(out, MessageEntity{Type: "mention", Offset: off, Length: utf16Len(text[m[2]:m[3]])})
	}
	return out
}

func utf16Len(s string) int { return len(utf16.Encode([]rune(s))) }
