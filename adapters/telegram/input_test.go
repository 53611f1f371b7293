package telegram

import (
	"strings"
	"testing"
	"unicode/utf8"

	tele "gopkg.in/telebot.v3"
)

func TestStripMentionRemovesOnlyTheBot(t *testing.T) {
	me := &tele.User{ID: 1000, Username: "test_bot"}
	mention := func(off, n int) tele.MessageEntity {
		return tele.MessageEntity{Type: tele.EntityMention, Offset: off, Length: n}
	}
	tests := []struct {
		name      string
		text      string
		ents      tele.Entities
		want      string
		mentioned bool
	}{
		{"a leading mention entity", "@test_bot when did kz join the un", tele.Entities{mention(0, 9)}, "  when did kz join the un", true},
		{"a mention in any case", "hi @Test_Bot", tele.Entities{mention(3, 9)}, "hi  ", true},
		{"offsets after an emoji count UTF-16 units", "🇰🇿 @test_bot tengiz?", tele.Entities{mention(5, 9)}, "🇰🇿   tengiz?", true},
		{"a text mention of the bot", "Kazbot tengiz", tele.Entities{{Type: tele.EntityTMention, Offset: 0, Length: 6, User: me}}, "  tengiz", true},
		{"another user's mention stays", "@someone_else tengiz", tele.Entities{mention(0, 13)}, "@someone_else tengiz", false},
		{"entities out of range are ignored", "@test_bot", tele.Entities{mention(3, 40)}, "@test_bot", false},
		{"without entities the word is found", "tengiz @TEST_BOT, please", nil, "tengiz  , please", true},
		{"without entities a longer name is not the bot", "@test_bot2 tengiz", nil, "@test_bot2 tengiz", false},
		{"without entities a command suffix is not a mention", "/ask@test_bot tengiz", nil, "/ask@test_bot tengiz", false},
		{"without entities an e-mail address is not a mention", "mail me@test_bot", nil, "mail me@test_bot", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := stripMention(tt.text, tt.ents, me)
			if got != tt.want || ok != tt.mentioned {
				t.Errorf("stripMention(%q) = %q, %v; want %q, %v", tt.text, got, ok, tt.want, tt.mentioned)
			}
		})
	}
}

func TestCommandForMe(t *testing.T) {
	tests := map[string]bool{
		"/nosuch@test_bot":      true,
		"/nosuch@TEST_BOT arg":  true,
		"/nosuch":               false,
		"/nosuch@other_bot":     false,
		"hello @test_bot":       false,
		"/nosuch @test_bot arg": false,
	}
	for text, want := range tests {
		if got := commandForMe(text, "test_bot"); got != want {
			t.Errorf("commandForMe(%q) = %v, want %v", text, got, want)
		}
	}
}

func TestUserTextIsCappedEarlyAndCleaned(t *testing.T) {
	huge := strings.Repeat("ж", 50000) // 100,000 bytes
	capped := capRaw(huge)
	if len(capped) > 4*MaxInput || !utf8.ValidString(capped) {
		t.Errorf("capRaw kept %d bytes (valid UTF-8: %v)", len(capped), utf8.ValidString(capped))
	}
	if got := clean(capped); utf8.RuneCountInString(got) != MaxInput {
		t.Errorf("clean kept %d characters, want %d", utf8.RuneCountInString(got), MaxInput)
	}
	if got := clean("  when\u200b did\n\tkz\x00 join  "); got != "when did kz join" {
		t.Errorf("clean = %q", got)
	}
}
