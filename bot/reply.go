package bot

import "strings"

// Kind says what sort of reply the engine produced.
type Kind string

// Reply kinds. Ask only ever returns KindFact, KindSmalltalk or
// KindFallback; commands add KindInfo and KindNotice, and the rate limiter
// adds KindSilent.
const (
	// KindFact is a confident answer from one fact.
	KindFact Kind = "fact"
	// KindSmalltalk answers a greeting, thanks, a request for help or
	// "who are you".
	KindSmalltalk Kind = "smalltalk"
	// KindFallback says the engine is not confident; it carries suggestions
	// or the topics.
	KindFallback Kind = "fallback"
	// KindInfo is the output of an informational command (help, about,
	// topics, timeline).
	KindInfo Kind = "info"
	// KindNotice tells the user something went wrong with the request itself
	// (unknown command, rate limited, stale button). Platforms that can show
	// a message to one user only (Discord ephemeral replies) should.
	KindNotice Kind = "notice"
	// KindSilent means: send nothing (for example a user over the rate limit
	// who has already been told).
	KindSilent Kind = "silent"
)

// Suggestion points at a fact the user may have meant.
type Suggestion struct {
	FactID   string `json:"fact_id"`
	Question string `json:"question"`
}

// TopicRef names a topic, for buttons and menus.
type TopicRef struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

// Item is one line of a list reply (topics, timeline).
type Item struct {
	// ID is the fact or topic the line is about.
	ID string `json:"id"`
	// Label is the short lead of the line ("March 1992", a topic title).
	Label string `json:"label"`
	// Text is the rest of the line.
	Text string `json:"text"`
}

// Reply is the platform-neutral answer to one request. Adapters render it
// (Discord embed and buttons, Telegram HTML and inline keyboard, console
// text); every string in it is plain text that the adapter must escape for
// its platform.
//
// The JSON form is the contract of `kazbot ask --json`: question, kind,
// fact_id, answer, confidence, topic, source, suggestions.
type Reply struct {
	// Question is the user's text after cleaning.
	Question string `json:"question"`
	// Kind says what sort of reply this is.
	Kind Kind `json:"kind"`
	// FactID is the answering fact for KindFact, else empty.
	FactID string `json:"fact_id"`
	// Answer is the body text; it may hold several lines.
	Answer string `json:"answer"`
	// Confidence is in 0..1: how sure the matcher is of FactID (or of the
	// best suggestion for a fallback).
	Confidence float64 `json:"confidence"`
	// Topic is the topic id of the fact.
	Topic string `json:"topic"`
	// Source is the section of the source article the fact comes from.
	Source string `json:"source"`
	// Suggestions are up to three facts to offer as buttons: related facts
	// after an answer, the closest candidates after a fallback.
	Suggestions []Suggestion `json:"suggestions"`

	// Title is the heading to show: the matched fact's canonical question,
	// or the name of an informational reply ("Topics", "Timeline").
	Title string `json:"-"`
	// Items are the lines of a list reply.
	Items []Item `json:"-"`
	// Topics are topics to offer as buttons or a menu.
	Topics []TopicRef `json:"-"`
}

// Text renders the reply as plain text, the way the console shows it:
// title, body, list lines, source. It never includes suggestions (adapters
// show those as buttons or a numbered list).
func (r Reply) Text() string {
	var b strings.Builder
	if r.Title != "" {
		b.WriteString(r.Title)
		b.WriteString("\n")
	}
	if r.Answer != "" {
		b.WriteString(r.Answer)
		b.WriteString("\n")
	}
	for _, it := range r.Items {
		b.WriteString(ItemLine(it))
		b.WriteString("\n")
	}
	if r.Source != "" {
		b.WriteString("Source: ")
		b.WriteString(r.Source)
		b.WriteString("\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

// ItemLine renders one list line as plain text: "Label: text", or just the
// text when there is no label.
func ItemLine(it Item) string {
	switch {
	case it.Label == "":
		return it.Text
	case it.Text == "":
		return it.Label
	default:
		return it.Label + " - " + it.Text
	}
}
