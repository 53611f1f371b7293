package telegram

import (
	"fmt"
	"strings"
	"testing"

	tele "gopkg.in/telebot.v3"

	"kazbot/adapters/telegram/telegramfake"
	"kazbot/bot"
)

// checkChunks asserts that every chunk fits a Telegram message and parses
// as Telegram HTML, and returns the visible texts.
func checkChunks(t *testing.T, chunks []string) []string {
	t.Helper()
	var vis []string
	for i, c := range chunks {
		if len(c) > MaxMessage {
			t.Errorf("chunk %d is %d bytes, over %d", i, len(c), MaxMessage)
		}
		v, err := telegramfake.ParseHTML(c)
		if err != nil {
			t.Fatalf("chunk %d is not valid Telegram HTML: %v\n%s", i, err, c)
		}
		vis = append(vis, v)
	}
	return vis
}

func TestRenderEscapesEveryStringOfAReply(t *testing.T) {
	tests := []struct {
		name  string
		reply bot.Reply
		want  string
	}{
		{
			"a fact shows the question in bold, the answer and the source in italics",
			bot.Reply{Kind: bot.KindFact, Title: "Q <1> & \"2\"?", Answer: "A < B & C > D", Source: "S&P's <section>"},
			"<b>Q &lt;1&gt; &amp; &#34;2&#34;?</b>\nA &lt; B &amp; C &gt; D\n<i>Source: S&amp;P&#39;s &lt;section&gt;</i>",
		},
		{
			"list items show a bold label, a dash and the text",
			bot.Reply{Kind: bot.KindInfo, Title: "Timeline", Items: []bot.Item{
				{Label: "March 1992", Text: "Joined the <UN>"}, {Text: "no label & all"}, {Label: "only <label>"},
			}},
			"<b>Timeline</b>\n<b>March 1992</b> — Joined the &lt;UN&gt;\nno label &amp; all\n<b>only &lt;label&gt;</b>",
		},
		{
			"a multi-line answer keeps its lines and blank lines",
			bot.Reply{Kind: bot.KindInfo, Answer: "one\n\ntwo <b>\r\nthree"},
			"one\n\ntwo &lt;b&gt;\nthree",
		},
		{
			"markup in a title cannot span lines",
			bot.Reply{Kind: bot.KindFact, Title: "<b>\nbroken", Answer: "x"},
			"<b>&lt;b&gt; broken</b>\nx",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := renderHTML(tt.reply)
			if len(got) != 1 || got[0] != tt.want {
				t.Errorf("renderHTML =\n%q\nwant\n%q", got, tt.want)
			}
			checkChunks(t, got)
		})
	}
}

func TestRenderSilentAndEmptyRepliesProduceNothing(t *testing.T) {
	if got := renderHTML(bot.Reply{Kind: bot.KindSilent}); len(got) != 0 {
		t.Errorf("renderHTML(silent) = %q", got)
	}
}

func TestRenderSplitsALongTimelineAtLineBoundaries(t *testing.T) {
	r := bot.Reply{Kind: bot.KindInfo, Title: "Timeline", Answer: "Dated events & <milestones>:"}
	want := []string{"Timeline", "Dated events & <milestones>:"}
	for i := range 120 {
		it := bot.Item{
			ID:    fmt.Sprintf("f%d", i),
			Label: fmt.Sprintf("March %d", 1900+i),
			Text:  fmt.Sprintf("Event %d: A & B agreed <terms> on \"border\" & 'trade' (%d%% share).", i, i),
		}
		r.Items = append(r.Items, it)
		want = append(want, it.Label+" — "+it.Text)
	}
	chunks := renderHTML(r)
	if len(chunks) < 3 {
		t.Fatalf("%d chunks; the test reply should need several", len(chunks))
	}
	var got []string
	for _, v := range checkChunks(t, chunks) {
		got = append(got, strings.Split(v, "\n")...)
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("the chunks do not hold every line once, whole and in order:\ngot  %q\nwant %q", got, want)
	}
	for i, c := range chunks {
		if !strings.HasPrefix(c, "<b>") {
			t.Errorf("chunk %d starts mid-line: %.40q", i, c)
		}
	}
}

func TestRenderSplitsALineLongerThanAMessage(t *testing.T) {
	tests := []struct {
		name string
		line bot.Reply
		text string // the plain text that must survive, modulo spaces at cuts
	}{
		{"an answer of escapes and spaces", bot.Reply{Answer: strings.Repeat("a&b <c> ", 1500)}, strings.Repeat("a&b <c> ", 1500)},
		{"an answer of escapes without spaces", bot.Reply{Answer: strings.Repeat("&", 9000)}, strings.Repeat("&", 9000)},
		{"a title of multi-byte letters", bot.Reply{Title: strings.Repeat("Қазақстан ", 600)}, strings.Repeat("Қазақстан ", 600)},
		{"a list item with a label", bot.Reply{Items: []bot.Item{{Label: "March 1992", Text: strings.Repeat("x<y ", 2500)}}}, "March 1992 — " + strings.Repeat("x<y ", 2500)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			chunks := renderHTML(tt.line)
			vis := checkChunks(t, chunks)
			if len(chunks) < 2 {
				t.Fatalf("%d chunks for a line over %d bytes", len(chunks), MaxMessage)
			}
			got := strings.ReplaceAll(strings.Join(vis, ""), "\n", "")
			if strip(got) != strip(tt.text) {
				t.Errorf("text lost or changed in the split: %d characters arrived, %d sent", len(strip(got)), len(strip(tt.text)))
			}
		})
	}
}

func strip(s string) string { return strings.Join(strings.Fields(s), "") }

func TestKeyboardOffersSuggestionsAndTopics(t *testing.T) {
	long := strings.Repeat("x", 70)
	r := bot.Reply{
		Suggestions: []bot.Suggestion{
			{FactID: "un-membership", Question: "When did Kazakhstan join the <UN>?"},
			{FactID: long, Question: "too long an id for 64 bytes"},
			{FactID: "no-question", Question: " "},
		},
		Topics: []bot.TopicRef{{ID: "usa", Title: "United States"}, {ID: "china", Title: "China"}, {ID: "russia", Title: ""}},
	}
	got := keyboard(r)
	want := [][]tele.InlineButton{
		{{Text: "When did Kazakhstan join the <UN>?", Data: "f:un-membership"}},
		{{Text: "United States", Data: "t:usa"}, {Text: "China", Data: "t:china"}},
		{{Text: "russia", Data: "t:russia"}},
	}
	if fmt.Sprint(got.InlineKeyboard) != fmt.Sprint(want) {
		t.Errorf("keyboard =\n%v\nwant\n%v", got.InlineKeyboard, want)
	}
	if keyboard(bot.Reply{Answer: "x"}) != nil {
		t.Error("a reply without suggestions or topics got a keyboard")
	}
}

func TestInlineResultsHaveUniqueShortIDs(t *testing.T) {
	var rs []bot.Reply
	for i := range 12 {
		id := fmt.Sprintf("fact-%d", i%4)
		if i == 5 {
			id = strings.Repeat("y", 65)
		}
		rs = append(rs, bot.Reply{Kind: bot.KindFact, FactID: id, Title: "Q & <A>", Answer: "Answer & more"})
	}
	res := inlineResults(rs)
	if len(res) != MaxInlineResults {
		t.Fatalf("%d results, want %d", len(res), MaxInlineResults)
	}
	seen := map[string]bool{}
	for _, r := range res {
		a := r.(*tele.ArticleResult)
		if a.ID == "" || len(a.ID) > 64 || seen[a.ID] {
			t.Errorf("result id %q is empty, too long or repeated", a.ID)
		}
		seen[a.ID] = true
		if a.Title != "Q & <A>" || a.Description != "Answer & more" {
			t.Errorf("title %q, description %q: want the plain texts", a.Title, a.Description)
		}
		c := a.Content.(*htmlContent)
		if c.ParseMode != tele.ModeHTML || c.Text != "<b>Q &amp; &lt;A&gt;</b>\nAnswer &amp; more" || !c.LinkPreview.Disabled {
			t.Errorf("content = %+v", c)
		}
	}
}
