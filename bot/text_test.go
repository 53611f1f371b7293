package bot_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"kazbot/bot"
)

func TestClean(t *testing.T) {
	tests := []struct {
		name, in, want string
		max            int
		cut            bool
	}{
		{"plain text is kept", "when did kz join the UN?", "when did kz join the UN?", 100, false},
		{"white space is collapsed and trimmed", "  when\tdid \n\n kz   join ", "when did kz join", 100, false},
		{"control characters are dropped", "when\x00did\x1b[31m kz\x07 join", "whendid[31m kz join", 100, false},
		{"zero-width and bidi marks are dropped", "kaz\u200bakh\u202estan", "kazakhstan", 100, false},
		{"invalid UTF-8 is dropped", "kz\xff\xfe join", "kz join", 100, false},
		{"long text is cut at max runes", "abcdefghij", "abcde", 5, true},
		{"a cut never splits a rune", "ққққққ", "қққ", 3, true},
		{"no limit keeps everything", strings.Repeat("a", 5000), strings.Repeat("a", 5000), 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, cut := bot.Clean(tt.in, tt.max)
			if got != tt.want || cut != tt.cut {
				t.Errorf("Clean(%q, %d) = %q, %v; want %q, %v", tt.in, tt.max, got, cut, tt.want, tt.cut)
			}
		})
	}
}

func TestSplitLines(t *testing.T) {
	tests := []struct {
		name string
		in   string
		max  int
		want []string
	}{
		{"short text is one chunk", "a\nb", 10, []string{"a\nb"}},
		{"empty text is no chunk", "", 10, nil},
		{"lines are kept whole", "aaaa\nbbbb\ncccc", 9, []string{"aaaa\nbbbb", "cccc"}},
		{"a long line breaks at a space", "aaaa bbbb cccc", 10, []string{"aaaa bbbb", "cccc"}},
		{"a long word breaks at a rune boundary", "ққққ", 5, []string{"ққ", "ққ"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := bot.SplitLines(tt.in, tt.max)
			if strings.Join(got, "|") != strings.Join(tt.want, "|") || len(got) != len(tt.want) {
				t.Errorf("SplitLines(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
			}
			for _, c := range got {
				if len(c) > tt.max || !utf8.ValidString(c) {
					t.Errorf("chunk %q is over %d bytes or invalid", c, tt.max)
				}
			}
		})
	}
}

func TestSplitLinesKeepsEveryLine(t *testing.T) {
	var lines []string
	for i := range 500 {
		lines = append(lines, strings.Repeat("x", i%97)+" line")
	}
	text := strings.Join(lines, "\n")
	chunks := bot.SplitLines(text, 4096)
	if strings.Join(chunks, "\n") != text {
		t.Error("joined chunks differ from the text")
	}
	for _, c := range chunks {
		if len(c) > 4096 {
			t.Errorf("chunk of %d bytes", len(c))
		}
	}
}

func TestTruncate(t *testing.T) {
	if got := bot.Truncate("short", 10); got != "short" {
		t.Errorf("got %q", got)
	}
	if got := bot.Truncate("a long question indeed", 10); got != "a long qu…" || utf8.RuneCountInString(got) > 10 {
		t.Errorf("got %q", got)
	}
}

func TestParseCommand(t *testing.T) {
	tests := []struct {
		in, name, arg string
		ok            bool
	}{
		{"/help", "help", "", true},
		{"/fact@kazbot_bot china", "fact", "china", true},
		{"/ASK  when did kz join  ", "ask", "when did kz join", true},
		{"/ask\nmultiline question", "ask", "multiline question", true},
		{"when did kz join", "", "", false},
		{"/", "", "", false},
		{"/ hello", "", "", false},
		{"", "", "", false},
	}
	for _, tt := range tests {
		name, arg, ok := bot.ParseCommand(tt.in)
		if name != tt.name || arg != tt.arg || ok != tt.ok {
			t.Errorf("ParseCommand(%q) = %q, %q, %v; want %q, %q, %v", tt.in, name, arg, ok, tt.name, tt.arg, tt.ok)
		}
	}
}

func TestFormatDate(t *testing.T) {
	for in, want := range map[string]string{"1992-03": "March 1992", "2017": "2017", "1992-13": "1992-13", "": ""} {
		if got := bot.FormatDate(in); got != want {
			t.Errorf("FormatDate(%q) = %q, want %q", in, got, want)
		}
	}
}
