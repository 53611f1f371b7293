package console_test

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"kazbot/adapters/console"
	"kazbot/bot"
	"kazbot/bot/bottest"
)

func run(t *testing.T, input string) string {
	t.Helper()
	var out strings.Builder
	c := console.New(bottest.Engine(t), strings.NewReader(input), &out, console.WithPrompt(""))
	if err := c.Run(context.Background()); err != nil {
		t.Fatalf("Run: %v", err)
	}
	return out.String()
}

func TestConsoleConversation(t *testing.T) {
	tests := []struct {
		name, input string
		want        []string
		notWant     []string
	}{
		{"a question gets the answer and its source", "When did Kazakhstan join the United Nations?\n",
			[]string{"168th", "Source: Kazakhstan and the United Nations", "1. When was Kazakhstan first elected"}, nil},
		{"a number picks the suggestion", "When did Kazakhstan join the United Nations?\n1\n",
			[]string{"In 2017 Kazakhstan became a non-permanent member"}, nil},
		{"topics are numbered and a number picks one", "/topics\n3\n",
			[]string{"3. China", "Source: Big neighbor"}, nil},
		{"an unknown question offers the topics", "what is the capital of peru\n",
			[]string{"don't know", "1. United Nations"}, nil},
		{"an unknown command is explained", "/frobnicate\n", []string{"/frobnicate", "/help"}, nil},
		{"blank lines are ignored", "\n\n   \n", []string{console.Welcome}, []string{"don't know"}},
		{"a number with no choices is a question", "7\n", []string{"don't know"}, nil},
		{"control characters never reach the terminal", "\x1b hello\x07\n", []string{"Hello!"}, []string{"\x1b", "\x07"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := run(t, tt.input)
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(out, w) {
					t.Errorf("output has %q:\n%s", w, out)
				}
			}
		})
	}
}

func TestConsoleSurvivesAHugeLine(t *testing.T) {
	out := run(t, strings.Repeat("x", 5<<20)+"\nWhen did Kazakhstan join the United Nations?\n")
	if !strings.Contains(out, "too long") || !strings.Contains(out, "168th") {
		t.Errorf("output: %.300s", out)
	}
}

func TestConsoleStopsWhenCancelled(t *testing.T) {
	r, w := io.Pipe()
	defer w.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- console.New(bottest.Engine(t), r, io.Discard).Run(ctx) }()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run: %v", err)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
}

func TestRenderNumbersChoicesInOrder(t *testing.T) {
	r := bot.Reply{
		Kind:        bot.KindFallback,
		Answer:      "I don't know that one.",
		Suggestions: []bot.Suggestion{{FactID: "a", Question: "A?"}, {FactID: "b", Question: "B?"}},
		Topics:      []bot.TopicRef{{ID: "t", Title: "T"}},
	}
	text, choices := console.Render(r)
	want := []string{bot.FactButton("a"), bot.FactButton("b"), bot.TopicButton("t")}
	if strings.Join(choices, ",") != strings.Join(want, ",") {
		t.Errorf("choices %v, want %v", choices, want)
	}
	for _, line := range []string{"1. A?", "2. B?", "3. T"} {
		if !strings.Contains(text, line) {
			t.Errorf("text lacks %q:\n%s", line, text)
		}
	}
}
