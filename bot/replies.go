package bot

import (
	"fmt"
	"strings"

	"kazbot/bot/match"
	"kazbot/knowledge"
)

// factReply is the reply that states fact f, with its related facts as
// suggestions.
func (st *state) factReply(f knowledge.Fact) Reply {
	r := Reply{
		Kind:        KindFact,
		FactID:      f.ID,
		Title:       f.Question,
		Answer:      f.Answer,
		Topic:       f.Topic,
		Source:      f.Source,
		Suggestions: []Suggestion{},
	}
	for _, id := range f.Related {
		if len(r.Suggestions) == MaxSuggestions {
			break
		}
		if rf, ok := st.pack.Fact(id); ok {
			r.Suggestions = append(r.Suggestions, Suggestion{FactID: rf.ID, Question: rf.Question})
		}
	}
	return r
}

// fallback is the reply for a question the engine will not answer:
// candidates become suggestions; with none, the topics are offered.
func (st *state) fallback(q string, cands []match.Candidate, lead string) Reply {
	r := Reply{Question: q, Kind: KindFallback, Suggestions: []Suggestion{}}
	for _, c := range cands {
		if len(r.Suggestions) == MaxSuggestions {
			break
		}
		f := st.pack.Facts[c.Fact]
		r.Suggestions = append(r.Suggestions, Suggestion{FactID: f.ID, Question: f.Question})
	}
	if len(cands) > 0 {
		r.Confidence = round2(cands[0].Confidence)
	}
	if len(r.Suggestions) > 0 {
		r.Answer = lead + " Did you mean one of these?"
		return r
	}
	r.Answer = lead + " I know about these topics: pick one, or try /help."
	r.Topics = st.topicRefs()
	return r
}

// smalltalk answers chit-chat.
func (st *state) smalltalk(q string, kind match.Smalltalk) Reply {
	r := Reply{Question: q, Kind: KindSmalltalk, Suggestions: []Suggestion{}}
	switch kind {
	case match.Thanks:
		r.Answer = "You're welcome! Ask me anything else about " + st.pack.Title + "."
	case match.Reaction:
		r.Answer = "Glad you find it interesting! Ask me more about " + st.pack.Title + ", or pick one of these."
	case match.Goodbye:
		r.Answer = "Goodbye! Come back with more questions about " + st.pack.Title + "."
	case match.Identity:
		r.Answer = "I'm kazbot, a fact bot about " + st.pack.Title + ". I know " +
			st.size() + ", and every answer names the section of the source it comes from. " +
			"Ask in plain words, or pick one of these. /help lists the commands."
	case match.Help:
		r.Title = "Help"
		r.Answer = st.helpText()
	default:
		r.Answer = "Hello! I answer questions about " + st.pack.Title + ". Ask in plain words, or pick one of these."
	}
	r.Suggestions = st.featuredSuggestions()
	return r
}

// helpText explains what to ask and how, for /help, /start and "help".
func (st *state) helpText() string {
	var b strings.Builder
	fmt.Fprintf(&b, "I answer questions about %s: %s.\n", st.pack.Title, st.topicList())
	b.WriteString("Ask in plain words, for example:\n")
	for _, f := range st.comp.featuredFacts(3) {
		b.WriteString("• " + f.Question + "\n")
	}
	b.WriteString("\nCommands:\n")
	for _, c := range commandSpecs {
		if c.Name == "start" {
			continue
		}
		usage := "/" + c.Name
		if c.Arg != nil {
			if c.Arg.Required {
				usage += " <" + c.Arg.Name + ">"
			} else {
				usage += " [" + c.Arg.Name + "]"
			}
		}
		fmt.Fprintf(&b, "%s - %s\n", usage, c.Description)
	}
	b.WriteString("\nIn a private chat, just type your question. In a group, use a command, mention me, or reply to one of my messages.")
	return b.String()
}

func (st *state) featuredSuggestions() []Suggestion {
	out := []Suggestion{}
	for _, f := range st.comp.featuredFacts(MaxSuggestions) {
		out = append(out, Suggestion{FactID: f.ID, Question: f.Question})
	}
	return out
}

// size says how much the pack knows: "72 facts in 13 topics".
func (st *state) size() string {
	return fmt.Sprintf("%d facts in %d topics", len(st.pack.Facts), len(st.pack.Topics))
}

// topicList names the topics in one phrase: "A, B and C".
func (st *state) topicList() string {
	var names []string
	for _, t := range st.pack.Topics {
		names = append(names, t.Title)
	}
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

func (st *state) topicRefs() []TopicRef {
	out := make([]TopicRef, 0, len(st.pack.Topics))
	for _, t := range st.pack.Topics {
		out = append(out, TopicRef{ID: t.ID, Title: t.Title})
	}
	return out
}

var months = [...]string{"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"}

// FormatDate turns a pack date ("1992" or "1992-03") into words ("March
// 1992"); anything else is returned unchanged.
func FormatDate(d string) string {
	if len(d) == 7 && d[4] == '-' {
		var m int
		if _, err := fmt.Sscanf(d[5:], "%d", &m); err == nil && m >= 1 && m <= 12 {
			return months[m-1] + " " + d[:4]
		}
	}
	return d
}
