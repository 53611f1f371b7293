package telegram

import (
	"html"
	"strconv"
	"strings"

	tele "gopkg.in/telebot.v3"

	"kazbot/bot"
)

// Rendering limits.
const (
	maxLead         = 256 // runes of a bold list label
	maxButtonText   = 64  // runes of a button's text
	maxTopicButtons = 30
	topicsPerRow    = 2
	maxResultTitle  = 128
	maxResultDesc   = 256
	maxResultID     = 64
)

// esc escapes plain text for Telegram's HTML parse mode. Telegram needs
// only <, > and & escaped; html.EscapeString also escapes quotes as numeric
// entities, which Telegram accepts.
func esc(s string) string { return html.EscapeString(s) }

// line is one line of a message before escaping: an optional bold lead (a
// list label), then text wrapped in open/close tags.
type line struct {
	lead        string
	text        string
	open, close string
}

// html renders the line with text as its text; the lead only when withLead.
func (l line) html(text string, withLead bool) string {
	var b strings.Builder
	if withLead && l.lead != "" {
		b.WriteString("<b>" + esc(l.lead) + "</b>")
		if text != "" {
			b.WriteString(" — ")
		}
	}
	if text != "" {
		b.WriteString(l.open + esc(text) + l.close)
	}
	return b.String()
}

// render returns the line as one or more HTML lines of at most limit
// bytes. A line too long for one message is split as plain text first,
// then each piece is escaped and wrapped on its own, so no cut falls
// inside a tag or an entity and every piece is well-formed HTML.
func (l line) render(limit int) []string {
	l.lead = bot.Truncate(oneLine(l.lead), maxLead)
	l.text = oneLine(l.text)
	if h := l.html(l.text, true); len(h) <= limit {
		return []string{h}
	}
	budget := limit - len(l.html("", true)) - len(" — ") - len(l.open) - len(l.close)
	pieces := splitEscaped(l.text, budget)
	out := make([]string, 0, len(pieces))
	for i, p := range pieces {
		out = append(out, l.html(p, i == 0))
	}
	return out
}

// splitEscaped splits plain text (one line) with bot.SplitLines into pieces
// whose escaped form is at most budget bytes. Escaping grows a byte to at
// most 5 ("&amp;"), so pieces of budget/5 bytes always fit; it starts from
// budget and shrinks only as far as the text's own escapes need.
func splitEscaped(text string, budget int) []string {
	floor := max(budget/5, 1)
	m := budget
	for {
		pieces := bot.SplitLines(text, m)
		worst := 0
		for _, p := range pieces {
			worst = max(worst, len(esc(p)))
		}
		if worst <= budget || m <= floor {
			return pieces
		}
		m = max(m*budget/worst, floor)
	}
}

// oneLine puts text that must stay on one line (titles, labels, list
// items) on one line.
func oneLine(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

// renderHTML renders r as Telegram HTML: the title (the matched question)
// in bold, the answer, list items as "<b>Label</b> — text" lines, and the
// source in italics. Every string from the reply is escaped. The result is
// split at line boundaries into messages of at most MaxMessage bytes (so at
// most MaxMessage characters, Telegram's limit); each message is
// well-formed on its own.
func renderHTML(r bot.Reply) []string {
	var lines []string
	add := func(l line) { lines = append(lines, l.render(MaxMessage)...) }
	if r.Title != "" {
		add(line{text: r.Title, open: "<b>", close: "</b>"})
	}
	if r.Answer != "" {
		for _, s := range strings.Split(r.Answer, "\n") {
			add(line{text: strings.TrimRight(s, "\r")})
		}
	}
	for _, it := range r.Items {
		add(line{lead: it.Label, text: it.Text})
	}
	if r.Source != "" {
		add(line{text: "Source: " + r.Source, open: "<i>", close: "</i>"})
	}
	return bot.SplitLines(strings.Join(lines, "\n"), MaxMessage)
}

// keyboard builds the inline keyboard for r: one button per suggestion
// (data bot.FactButton), then the topics two to a row (data
// bot.TopicButton). Button texts are plain text; Telegram does not parse
// them. Payloads over Telegram's 64-byte limit are left out.
func keyboard(r bot.Reply) *tele.ReplyMarkup {
	var rows [][]tele.InlineButton
	for _, s := range r.Suggestions {
		data := bot.FactButton(s.FactID)
		if s.FactID == "" || len(data) > maxCallbackData || strings.TrimSpace(s.Question) == "" {
			continue
		}
		rows = append(rows, []tele.InlineButton{{Text: bot.Truncate(oneLine(s.Question), maxButtonText), Data: data}})
	}
	var row []tele.InlineButton
	n := 0
	for _, t := range r.Topics {
		data := bot.TopicButton(t.ID)
		if t.ID == "" || len(data) > maxCallbackData || n == maxTopicButtons {
			continue
		}
		title := t.Title
		if strings.TrimSpace(title) == "" {
			title = t.ID
		}
		row = append(row, tele.InlineButton{Text: bot.Truncate(oneLine(title), maxButtonText), Data: data})
		n++
		if len(row) == topicsPerRow {
			rows = append(rows, row)
			row = nil
		}
	}
	if len(row) > 0 {
		rows = append(rows, row)
	}
	if len(rows) == 0 {
		return nil
	}
	return &tele.ReplyMarkup{InlineKeyboard: rows}
}

// htmlContent is an inline result's message: HTML, link previews off. (It
// replaces tele.InputTextMessageContent, whose link preview options send
// empty fields.)
type htmlContent struct {
	Text        string      `json:"message_text"`
	ParseMode   string      `json:"parse_mode"`
	LinkPreview linkPreview `json:"link_preview_options"`
}

type linkPreview struct {
	Disabled bool `json:"is_disabled"`
}

// IsInputMessageContent marks htmlContent as a tele.InputMessageContent.
func (*htmlContent) IsInputMessageContent() bool { return true }

// inlineResults turns search replies into article results: title = the
// fact's question, description = the answer, message = the formatted
// answer. Ids are the fact ids (unique, at most 64 bytes) or a position.
func inlineResults(replies []bot.Reply) tele.Results {
	results := tele.Results{}
	seen := map[string]bool{}
	for i, r := range replies {
		if len(results) == MaxInlineResults {
			break
		}
		chunks := renderHTML(r)
		if len(chunks) == 0 {
			continue
		}
		id := r.FactID
		if id == "" || len(id) > maxResultID || seen[id] {
			id = "r" + strconv.Itoa(i)
		}
		seen[id] = true
		title := r.Title
		if title == "" {
			title = r.Answer
		}
		res := &tele.ArticleResult{
			Title:       bot.Truncate(oneLine(title), maxResultTitle),
			Description: bot.Truncate(oneLine(r.Answer), maxResultDesc),
		}
		res.ID = id
		res.Content = &htmlContent{Text: chunks[0], ParseMode: tele.ModeHTML, LinkPreview: linkPreview{Disabled: true}}
		results = append(results, res)
	}
	return results
}
