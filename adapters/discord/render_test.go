package discord

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"kazbot/adapters/discord/discordfake"
	"kazbot/bot"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// responsePayload is what the adapter posts for a direct interaction
// response, as JSON.
func responsePayload(t *testing.T, msg outMessage) []byte {
	t.Helper()
	resp := &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{
			Embeds:          msg.embeds,
			Components:      nonNil(msg.components),
			AllowedMentions: noMentions(),
			Flags:           flags(msg),
		},
	}
	b, err := json.MarshalIndent(resp, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return append(b, '\n')
}

func TestRenderMatchesGoldenPayloads(t *testing.T) {
	tests := []struct {
		name  string
		reply bot.Reply
	}{
		{"fact", bot.Reply{
			Kind: bot.KindFact, FactID: "un-membership",
			Title:       "When did Kazakhstan join the United Nations?",
			Answer:      "Kazakhstan joined the United Nations in March 1992 as its 168th member state.",
			Source:      "Kazakhstan and the United Nations",
			Suggestions: []bot.Suggestion{{FactID: "unsc-2017", Question: "When was Kazakhstan first elected to the UN Security Council?"}},
		}},
		{"fallback_with_topics", bot.Reply{
			Kind:   bot.KindFallback,
			Answer: "I don't know that one. I know about United Nations, United States and China. Pick a topic or try /help.",
			Topics: []bot.TopicRef{{ID: "united-nations", Title: "United Nations"}, {ID: "usa", Title: "United States"}, {ID: "china", Title: "China"}},
		}},
		{"notice", bot.Reply{
			Kind:   bot.KindNotice,
			Answer: "I don't know the command /frob. Try /help for the commands I know.",
		}},
		{"info_with_items", bot.Reply{
			Kind: bot.KindInfo, Title: "Timeline",
			Items: []bot.Item{
				{ID: "young-policy", Label: "1991", Text: "Kazakhstan has run its own foreign policy only since independence."},
				{ID: "un-membership", Label: "March 1992", Text: "Kazakhstan joined the United Nations as its 168th member state."},
			},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msgs := render(tt.reply)
			if len(msgs) != 1 {
				t.Fatalf("render gave %d messages, want 1", len(msgs))
			}
			got := responsePayload(t, msgs[0])
			golden := filepath.Join("testdata", "render_"+tt.name+".json")
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("read golden file (run go test -update to create it): %v", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("payload differs from %s (run go test -update if the change is intended):\n%s", golden, got)
			}
			var cb map[string]any
			if err := json.Unmarshal(got, &cb); err != nil {
				t.Fatal(err)
			}
			if v := discordfake.ValidateCallback(cb); len(v) > 0 {
				t.Errorf("payload breaks Discord's limits: %v", v)
			}
		})
	}
}

func TestRenderSilentSendsNothing(t *testing.T) {
	if msgs := render(bot.Reply{Kind: bot.KindSilent}); len(msgs) != 0 {
		t.Errorf("render(KindSilent) = %d messages, want none", len(msgs))
	}
}

func TestRenderKeepsEveryReplyWithinDiscordLimits(t *testing.T) {
	long := func(word string, n int) string { return strings.TrimSpace(strings.Repeat(word+" ", n)) }
	var items []bot.Item
	for i := range 120 {
		items = append(items, bot.Item{ID: fmt.Sprintf("f%d", i), Label: fmt.Sprintf("March %d", 1900+i), Text: long("treaty*", 25)})
	}
	var sugs []bot.Suggestion
	for i := range 30 {
		sugs = append(sugs, bot.Suggestion{FactID: fmt.Sprintf("fact-%d", i), Question: long("Why", 40)})
	}
	var topics []bot.TopicRef
	for i := range 40 {
		topics = append(topics, bot.TopicRef{ID: fmt.Sprintf("topic-%d", i), Title: long("Relations", 20)})
	}
	tests := []struct {
		name  string
		reply bot.Reply
		// wantMessages is the least number of messages the reply needs.
		wantMessages int
	}{
		{"a long timeline is split across messages", bot.Reply{Kind: bot.KindInfo, Title: "Timeline", Items: items}, 3},
		{"a huge title, answer and source are cut", bot.Reply{Kind: bot.KindFact, Title: long("Q_", 400),
			Answer: long("answer", 2000), Source: long("section", 600)}, 1},
		{"many suggestions and topics fit five rows", bot.Reply{Kind: bot.KindFallback, Answer: "Did you mean one of these?",
			Suggestions: sugs, Topics: topics}, 1},
		{"a multi-byte answer is split by characters", bot.Reply{Kind: bot.KindInfo, Title: "Тарих",
			Answer: long("Қазақстан", 1500)}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msgs := render(tt.reply)
			if len(msgs) < tt.wantMessages {
				t.Errorf("render gave %d messages, want at least %d", len(msgs), tt.wantMessages)
			}
			for i, m := range msgs {
				var cb map[string]any
				if err := json.Unmarshal(responsePayload(t, m), &cb); err != nil {
					t.Fatal(err)
				}
				if v := discordfake.ValidateCallback(cb); len(v) > 0 {
					t.Errorf("message %d breaks Discord's limits: %v", i, v)
				}
				if i < len(msgs)-1 && len(m.components) > 0 {
					t.Errorf("message %d of %d has components; they belong on the last", i, len(msgs))
				}
				for _, e := range m.embeds {
					if e.Color != embedColor {
						t.Errorf("embed colour %#x, want %#x", e.Color, embedColor)
					}
				}
			}
			first, last := msgs[0].embeds[0], msgs[len(msgs)-1].embeds
			if tt.reply.Title != "" && first.Title == "" {
				t.Error("the first embed lost the title")
			}
			if tt.reply.Source != "" && last[len(last)-1].Footer == nil {
				t.Error("the last embed has no source footer")
			}
		})
	}
}

func TestRenderSplitKeepsEveryLine(t *testing.T) {
	var items []bot.Item
	for i := range 150 {
		items = append(items, bot.Item{Label: fmt.Sprintf("Y%03d", i), Text: strings.Repeat("x", 90)})
	}
	var all []string
	for _, m := range render(bot.Reply{Kind: bot.KindInfo, Title: "Timeline", Items: items}) {
		for _, e := range m.embeds {
			all = append(all, strings.Split(e.Description, "\n")...)
		}
	}
	if len(all) != len(items) {
		t.Fatalf("got %d lines across the messages, want %d", len(all), len(items))
	}
	for i, line := range all {
		if want := fmt.Sprintf("**Y%03d** - ", i); !strings.HasPrefix(line, want) {
			t.Fatalf("line %d = %q, want it to start with %q (order kept)", i, line, want)
		}
	}
}

func TestRenderComponents(t *testing.T) {
	t.Run("suggestions become fact buttons with labels within 80 characters", func(t *testing.T) {
		q := strings.Repeat("How did the border talks with China end ", 4)
		comps := renderComponents(bot.Reply{Suggestions: []bot.Suggestion{
			{FactID: "china-border", Question: q}, {FactID: "khorgos", Question: "What is Khorgos?"},
			{FactID: "china-border", Question: "duplicate"},
		}})
		if len(comps) != 1 {
			t.Fatalf("got %d rows, want 1", len(comps))
		}
		row := comps[0].(discordgo.ActionsRow)
		if len(row.Components) != 2 {
			t.Fatalf("got %d buttons, want 2 (the duplicate dropped)", len(row.Components))
		}
		b := row.Components[0].(discordgo.Button)
		if b.CustomID != bot.FactButton("china-border") {
			t.Errorf("custom_id = %q, want %q", b.CustomID, bot.FactButton("china-border"))
		}
		if n := utf8.RuneCountInString(b.Label); n > maxButtonLabel || !strings.HasSuffix(b.Label, "…") {
			t.Errorf("label %q has %d characters; want at most %d, cut with …", b.Label, n, maxButtonLabel)
		}
	})
	t.Run("topics become a select menu of topic payloads", func(t *testing.T) {
		comps := renderComponents(bot.Reply{Topics: []bot.TopicRef{{ID: "usa", Title: "United States"}, {ID: "china", Title: "China"}}})
		if len(comps) != 1 {
			t.Fatalf("got %d rows, want 1", len(comps))
		}
		menu := comps[0].(discordgo.ActionsRow).Components[0].(discordgo.SelectMenu)
		if menu.CustomID != topicsMenuID || len(menu.Options) != 2 || menu.Options[0].Value != bot.TopicButton("usa") ||
			menu.Options[0].Label != "United States" {
			t.Errorf("menu = %+v, want custom id %q with options t:usa (United States), t:china", menu, topicsMenuID)
		}
	})
	t.Run("no suggestions and no topics give no components", func(t *testing.T) {
		if comps := renderComponents(bot.Reply{Kind: bot.KindFact}); len(comps) != 0 {
			t.Errorf("got %d rows, want none", len(comps))
		}
	})
}

func TestAutocompleteChoices(t *testing.T) {
	var sugs []bot.Suggestion
	for i := range 30 {
		sugs = append(sugs, bot.Suggestion{FactID: fmt.Sprintf("f-%d", i), Question: strings.Repeat("q", 150)})
	}
	got := questionChoices(sugs)
	if len(got) != maxChoices {
		t.Fatalf("got %d choices, want %d", len(got), maxChoices)
	}
	for _, c := range got {
		if utf8.RuneCountInString(c.Name) > maxChoiceName || !strings.HasPrefix(c.Value, "f:") {
			t.Fatalf("choice %+v: want a name of at most %d characters and a fact payload value", c, maxChoiceName)
		}
	}
	if got := questionChoices(nil); got == nil || len(got) != 0 {
		t.Errorf("questionChoices(nil) = %#v, want an empty, non-nil list (Discord needs the array)", got)
	}
	topics := topicChoices([]bot.TopicRef{{ID: "usa", Title: "United States"}})
	if len(topics) != 1 || topics[0] != (choice{Name: "United States", Value: "usa"}) {
		t.Errorf("topicChoices = %+v, want the title as name and the id as value", topics)
	}
}

func TestEscapeMarkdown(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain text is unchanged", "Kazakhstan joined in 1992.", "Kazakhstan joined in 1992."},
		{"emphasis and code are shown literally", "**bold** _it_ ~~s~~ `c` ||spoiler||", `\*\*bold\*\* \_it\_ \~\~s\~\~ \` + "`c\\`" + ` \|\|spoiler\|\|`},
		{"mentions cannot be formed", "<@123> <@&9> @everyone", `\<@123\> \<@&9\> @everyone`},
		{"masked links and headings are shown literally", "# [x](http://e.com)", `\# \[x\](http://e.com)`},
		{"list and quote markers at a line start", "- a\n+ b\n> c\na - b", "\\- a\n\\+ b\n\\> c\na - b"},
		{"URLs stay links", "see https://example.com/a_b*c now", "see https://example.com/a_b*c now"},
		{"angle brackets and ampersands from facts", "goods <and> more & beyond", `goods \<and\> more & beyond`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := escapeMarkdown(tt.in); got != tt.want {
				t.Errorf("escapeMarkdown(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestFitEscapedNeverExceedsTheLimit(t *testing.T) {
	s := strings.Repeat("*_", 300)
	got := fitEscaped(s, maxTitle)
	if n := utf8.RuneCountInString(got); n > maxTitle {
		t.Errorf("fitEscaped gave %d characters, want at most %d", n, maxTitle)
	}
	if strings.HasSuffix(strings.TrimSuffix(got, "…"), `\`) {
		t.Errorf("fitEscaped split an escape: %q", got[len(got)-8:])
	}
}
