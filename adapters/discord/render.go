package discord

import (
	"strings"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"kazbot/bot"
)

// Discord's limits, from its API documentation.
const (
	maxTitle         = 256
	maxDescription   = 4096
	maxFooter        = 2048
	maxEmbedTotal    = 6000 // all embeds of one message together
	maxEmbeds        = 10   // per message
	maxRows          = 5    // action rows per message
	maxPerRow        = 5    // buttons per row
	maxButtonLabel   = 80
	maxCustomID      = 100
	maxMenuOptions   = 25
	maxOptionLabel   = 100
	maxChoices       = 25 // autocomplete
	maxChoiceName    = 100
	maxChoiceValue   = 100
	maxCommandDesc   = 100
	embedColor       = 0x00AFCA // the sky blue of Kazakhstan's flag, on every embed
	topicsMenuID     = "topics"
	topicPlaceholder = "Pick a topic"
)

// outMessage is one Discord message to send: embeds and components, and
// whether only the asking user may see it (interaction replies only).
type outMessage struct {
	embeds     []*discordgo.MessageEmbed
	components []discordgo.MessageComponent
	ephemeral  bool
}

// render turns a reply into the Discord messages that show it, within
// Discord's limits: one embed per description chunk (long lists are split
// at line boundaries), as many embeds per message as the 6000-character
// and 10-embed limits allow, buttons and the topic menu on the last
// message. KindSilent renders to nothing; KindNotice is ephemeral.
func render(r bot.Reply) []outMessage {
	if r.Kind == bot.KindSilent {
		return nil
	}
	embeds := renderEmbeds(r)
	var msgs []outMessage
	cur, size := outMessage{}, 0
	for _, e := range embeds {
		n := embedLen(e)
		if len(cur.embeds) > 0 && (size+n > maxEmbedTotal || len(cur.embeds) == maxEmbeds) {
			msgs = append(msgs, cur)
			cur, size = outMessage{}, 0
		}
		cur.embeds = append(cur.embeds, e)
		size += n
	}
	msgs = append(msgs, cur)
	msgs[len(msgs)-1].components = renderComponents(r)
	for i := range msgs {
		msgs[i].ephemeral = r.Kind == bot.KindNotice
	}
	return msgs
}

// renderEmbeds returns the embeds of a reply: the title on the first, the
// source footer on the last, the body split across them.
func renderEmbeds(r bot.Reply) []*discordgo.MessageEmbed {
	var parts []string
	if a := strings.TrimSpace(r.Answer); a != "" {
		parts = append(parts, escapeMarkdown(a))
	}
	if len(r.Items) > 0 {
		lines := make([]string, 0, len(r.Items))
		for _, it := range r.Items {
			lines = append(lines, itemLine(it))
		}
		parts = append(parts, strings.Join(lines, "\n"))
	}
	chunks := bot.SplitLines(strings.Join(parts, "\n\n"), maxDescription)
	if len(chunks) == 0 {
		chunks = []string{""}
	}
	embeds := make([]*discordgo.MessageEmbed, 0, len(chunks))
	for _, c := range chunks {
		embeds = append(embeds, &discordgo.MessageEmbed{
			Type:        discordgo.EmbedTypeRich,
			Color:       embedColor,
			Description: c,
		})
	}
	if t := strings.TrimSpace(r.Title); t != "" {
		embeds[0].Title = fitEscaped(t, maxTitle)
	}
	if src := strings.TrimSpace(r.Source); src != "" {
		// Footers show text as is: no markdown, so no escaping.
		embeds[len(embeds)-1].Footer = &discordgo.MessageEmbedFooter{Text: bot.Truncate("Source: "+src, maxFooter)}
	}
	for _, e := range embeds {
		fitEmbed(e)
	}
	return embeds
}

// itemLine renders one list line: the label in bold, then the text.
func itemLine(it bot.Item) string {
	label, text := strings.TrimSpace(it.Label), strings.TrimSpace(it.Text)
	switch {
	case label == "":
		return escapeMarkdown(text)
	case text == "":
		return "**" + escapeMarkdown(label) + "**"
	default:
		return "**" + escapeMarkdown(label) + "** - " + escapeMarkdown(text)
	}
}

// fitEmbed keeps one embed within the 6000-character total: the footer
// gives way first, then the description.
func fitEmbed(e *discordgo.MessageEmbed) {
	over := embedLen(e) - maxEmbedTotal
	if over <= 0 {
		return
	}
	if e.Footer != nil {
		n := utf8.RuneCountInString(e.Footer.Text)
		if n > over+1 {
			e.Footer.Text = bot.Truncate(e.Footer.Text, n-over)
			return
		}
		over -= n
		e.Footer = nil
	}
	if over > 0 {
		e.Description = bot.Truncate(e.Description, utf8.RuneCountInString(e.Description)-over)
	}
}

// embedLen counts the characters Discord counts towards the 6000 limit.
func embedLen(e *discordgo.MessageEmbed) int {
	n := utf8.RuneCountInString(e.Title) + utf8.RuneCountInString(e.Description)
	if e.Footer != nil {
		n += utf8.RuneCountInString(e.Footer.Text)
	}
	for _, f := range e.Fields {
		n += utf8.RuneCountInString(f.Name) + utf8.RuneCountInString(f.Value)
	}
	return n
}

// renderComponents turns suggestions into buttons (five to a row) and the
// offered topics into a select menu, within five rows.
func renderComponents(r bot.Reply) []discordgo.MessageComponent {
	var rows []discordgo.MessageComponent
	var row []discordgo.MessageComponent
	seen := map[string]bool{}
	menu := topicMenu(r.Topics)
	maxButtonRows := maxRows
	if menu != nil {
		maxButtonRows--
	}
	for _, s := range r.Suggestions {
		id := bot.FactButton(s.FactID)
		label := bot.Truncate(strings.TrimSpace(s.Question), maxButtonLabel)
		if s.FactID == "" || len(id) > maxCustomID || label == "" || seen[id] {
			continue
		}
		seen[id] = true
		row = append(row, discordgo.Button{Label: label, Style: discordgo.SecondaryButton, CustomID: id})
		if len(row) == maxPerRow {
			rows = append(rows, discordgo.ActionsRow{Components: row})
			row = nil
			if len(rows) == maxButtonRows {
				break
			}
		}
	}
	if len(row) > 0 && len(rows) < maxButtonRows {
		rows = append(rows, discordgo.ActionsRow{Components: row})
	}
	if menu != nil {
		rows = append(rows, discordgo.ActionsRow{Components: []discordgo.MessageComponent{*menu}})
	}
	return rows
}

// topicMenu offers topics in a select menu; each option's value is the
// topic's button payload.
func topicMenu(topics []bot.TopicRef) *discordgo.SelectMenu {
	var opts []discordgo.SelectMenuOption
	seen := map[string]bool{}
	for _, t := range topics {
		v := bot.TopicButton(t.ID)
		label := strings.TrimSpace(t.Title)
		if label == "" {
			label = t.ID
		}
		label = bot.Truncate(label, maxOptionLabel)
		if t.ID == "" || len(v) > maxChoiceValue || seen[v] {
			continue
		}
		seen[v] = true
		opts = append(opts, discordgo.SelectMenuOption{Label: label, Value: v})
		if len(opts) == maxMenuOptions {
			break
		}
	}
	if len(opts) == 0 {
		return nil
	}
	return &discordgo.SelectMenu{
		MenuType:    discordgo.StringSelectMenu,
		CustomID:    topicsMenuID,
		Placeholder: topicPlaceholder,
		Options:     opts,
	}
}

// questionChoices turns question suggestions into autocomplete choices:
// the name is the question, the value the fact's button payload, so that
// submitting a chosen question shows exactly that fact.
func questionChoices(sugs []bot.Suggestion) []choice {
	out := []choice{}
	for _, s := range sugs {
		name := bot.Truncate(strings.TrimSpace(s.Question), maxChoiceName)
		v := bot.FactButton(s.FactID)
		if name == "" || s.FactID == "" || len(v) > maxChoiceValue || len(out) == maxChoices {
			continue
		}
		out = append(out, choice{Name: name, Value: v})
	}
	return out
}

// topicChoices turns topics into autocomplete choices whose value is the
// topic id, which /fact accepts.
func topicChoices(topics []bot.TopicRef) []choice {
	out := []choice{}
	for _, t := range topics {
		name := strings.TrimSpace(t.Title)
		if name == "" {
			name = t.ID
		}
		name = bot.Truncate(name, maxChoiceName)
		if t.ID == "" || len(t.ID) > maxChoiceValue || len(out) == maxChoices {
			continue
		}
		out = append(out, choice{Name: name, Value: t.ID})
	}
	return out
}

// choice is one autocomplete choice.
type choice struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// markdownSpecial are the characters Discord markdown gives a meaning to
// anywhere in a line; a backslash before them shows them literally.
const markdownSpecial = "\\*_~`|<>[]#"

// escapeMarkdown makes plain text show literally in an embed description
// or title: markdown characters, mention syntax (<@id>) and line-leading
// list and quote markers are backslash-escaped. URLs are left alone so they
// stay links.
func escapeMarkdown(s string) string {
	var b strings.Builder
	b.Grow(len(s) + len(s)/8)
	lineStart := true
	for i := 0; i < len(s); {
		if isURLStart(s, i) {
			j := i
			for j < len(s) && !isSpace(s[j]) {
				j++
			}
			b.WriteString(s[i:j])
			i = j
			lineStart = false
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if strings.ContainsRune(markdownSpecial, r) || (lineStart && (r == '-' || r == '+')) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
		lineStart = r == '\n' || (lineStart && (r == ' ' || r == '\t'))
		i += size
	}
	return b.String()
}

func isSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\t' || c == '\r' }

func isURLStart(s string, i int) bool {
	if i > 0 {
		r, _ := utf8.DecodeLastRuneInString(s[:i])
		if r == '_' || r == '-' || ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z') || ('0' <= r && r <= '9') {
			return false
		}
	}
	rest := s[i:]
	return strings.HasPrefix(rest, "https://") || strings.HasPrefix(rest, "http://")
}

// fitEscaped escapes s and cuts it (with "…") so the result has at most max
// characters, never splitting an escape.
func fitEscaped(s string, max int) string {
	n := max
	for {
		e := escapeMarkdown(bot.Truncate(s, n))
		over := utf8.RuneCountInString(e) - max
		if over <= 0 || n <= 1 {
			return e
		}
		n -= over
	}
}
