package bot

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Clean makes user text safe to process: invalid UTF-8 is dropped, control
// and format characters (zero-width and bidi marks) are removed, every run of
// white space becomes one space, and the result is trimmed and cut to at
// most max runes (max <= 0 means no cut). It reports whether the text was
// cut. Clean does constant work per input byte and stops reading once the
// cut is reached, so huge input is cheap to refuse.
func Clean(s string, max int) (string, bool) {
	var b strings.Builder
	b.Grow(min(len(s), 4*max+4))
	n := 0
	space := false
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if r == utf8.RuneError && size <= 1 {
			continue
		}
		if unicode.IsSpace(r) {
			space = b.Len() > 0
			continue
		}
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == '\uFFFD' {
			continue
		}
		if max > 0 && n >= max {
			return b.String(), true
		}
		if space {
			b.WriteByte(' ')
			n++
			space = false
			if max > 0 && n >= max {
				return strings.TrimSpace(b.String()), true
			}
		}
		b.WriteRune(r)
		n++
	}
	return b.String(), false
}

// SplitLines splits text into chunks of at most max bytes, breaking at line
// boundaries. A single line longer than max is broken at the last space
// before the limit, or at a rune boundary when it has none. Platforms limit
// message length (Telegram 4096, Discord embed descriptions 4096), so long
// lists go out as several messages.
func SplitLines(text string, max int) []string {
	if max <= 0 || len(text) <= max {
		if text == "" {
			return nil
		}
		return []string{text}
	}
	var chunks []string
	var cur strings.Builder
	flush := func() {
		if s := strings.TrimRight(cur.String(), "\n"); s != "" {
			chunks = append(chunks, s)
		}
		cur.Reset()
	}
	for _, line := range strings.Split(text, "\n") {
		for len(line) > max {
			cut := breakAt(line, max)
			flush()
			chunks = append(chunks, strings.TrimRight(line[:cut], " "))
			line = strings.TrimLeft(line[cut:], " ")
		}
		if cur.Len() > 0 && cur.Len()+1+len(line) > max {
			flush()
		}
		if cur.Len() > 0 {
			cur.WriteByte('\n')
		}
		cur.WriteString(line)
	}
	flush()
	return chunks
}

// breakAt returns where to cut s (longer than max bytes): after the last
// space within max bytes, else at the last rune boundary within max.
func breakAt(s string, max int) int {
	if i := strings.LastIndexByte(s[:max], ' '); i > 0 {
		return i + 1
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	if cut == 0 {
		_, cut = utf8.DecodeRuneInString(s)
	}
	return cut
}

// Truncate cuts s to at most max runes, ending with "…" when it was cut.
func Truncate(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	if max <= 1 {
		return string([]rune(s)[:max])
	}
	return strings.TrimSpace(string([]rune(s)[:max-1])) + "…"
}

// Button payloads are short and stable so they fit Telegram's 64-byte
// callback data and Discord's 100-character custom ids: "f:<fact id>" shows
// a fact, "t:<topic id>" shows a fact from a topic. Fact and topic ids are at
// most 48 bytes (the knowledge validator enforces it).
const (
	buttonFact  = "f:"
	buttonTopic = "t:"
)

// FactButton returns the button payload that shows fact id.
func FactButton(id string) string { return buttonFact + id }

// TopicButton returns the button payload that shows a fact from topic id.
func TopicButton(id string) string { return buttonTopic + id }

// ParseButton splits a payload made by FactButton or TopicButton. ok is false
// for anything else.
func ParseButton(data string) (factID, topicID string, ok bool) {
	switch {
	case strings.HasPrefix(data, buttonFact) && len(data) > len(buttonFact):
		return data[len(buttonFact):], "", true
	case strings.HasPrefix(data, buttonTopic) && len(data) > len(buttonTopic):
		return "", data[len(buttonTopic):], true
	}
	return "", "", false
}
