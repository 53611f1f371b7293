// Package console is kazbot's terminal adapter: it reads questions and
// commands line by line and prints the engine's replies as plain text. It
// needs no token, so it is the first thing a newcomer talks to (kazbot chat),
// and tests drive the real engine through it.
//
// Like every adapter it only translates: lines become bot.Requests, replies
// become text. Suggestions and topics are numbered; typing a number picks
// one, the console's stand-in for buttons.
package console

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"

	"kazbot/bot"
)

// Engine is what the console needs of the engine.
type Engine interface {
	Handle(ctx context.Context, req bot.Request) bot.Reply
	Show(ctx context.Context, req bot.Request, payload string) bot.Reply
}

// MaxLine is the longest line the console reads; the rest of a longer line
// is dropped (the engine refuses long questions anyway).
const MaxLine = 64 << 10

// Console is one terminal conversation.
type Console struct {
	eng    Engine
	in     io.Reader
	out    io.Writer
	prompt string
	user   string
}

// Option configures a Console.
type Option func(*Console)

// WithPrompt sets the prompt printed before each line (default "> "; ""
// for none, which suits piped input).
func WithPrompt(p string) Option { return func(c *Console) { c.prompt = p } }

// New returns a console that reads from in and writes to out.
func New(eng Engine, in io.Reader, out io.Writer, opts ...Option) *Console {
	c := &Console{eng: eng, in: in, out: out, prompt: "> ", user: "local"}
	for _, o := range opts {
		o(c)
	}
	return c
}

// Welcome is printed when a conversation starts.
const Welcome = "kazbot: ask me about Kazakhstan's foreign policy, in plain words.\n" +
	"Try \"when did kz join the UN?\", /topics, /timeline or /help. Type a number to pick a suggestion; Ctrl-D quits.\n"

// Run holds the conversation until the input ends (EOF, Ctrl-D) or ctx is
// cancelled. It returns nil on a clean end.
func (c *Console) Run(ctx context.Context) error {
	lines := make(chan string)
	errc := make(chan error, 1)
	done := make(chan struct{})
	defer close(done)
	go func() {
		errc <- readLines(c.in, lines, done)
		close(lines)
	}()
	if _, err := io.WriteString(c.out, Welcome); err != nil {
		return fmt.Errorf("write: %w", err)
	}
	var choices []string
	for {
		if _, err := io.WriteString(c.out, c.prompt); err != nil {
			return fmt.Errorf("write: %w", err)
		}
		var line string
		var ok bool
		select {
		case <-ctx.Done():
			fmt.Fprintln(c.out)
			return nil
		case line, ok = <-lines:
		}
		if !ok {
			if c.prompt != "" {
				fmt.Fprintln(c.out, "\nBye!")
			}
			if err := <-errc; err != nil {
				return fmt.Errorf("read: %w", err)
			}
			return nil
		}
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		req := bot.Request{Platform: "console", UserID: c.user, ChatID: c.user, Text: line}
		var r bot.Reply
		if n, err := strconv.Atoi(line); err == nil && n >= 1 && n <= len(choices) {
			r = c.eng.Show(ctx, req, choices[n-1])
		} else {
			r = c.eng.Handle(ctx, req)
		}
		if r.Kind == bot.KindSilent {
			continue
		}
		var text string
		text, choices = Render(r)
		if _, err := io.WriteString(c.out, text+"\n\n"); err != nil {
			return fmt.Errorf("write: %w", err)
		}
	}
}

// Render turns a reply into terminal text and the button payloads its
// numbered choices stand for: list lines about a topic, then suggestions,
// then any other topics.
func Render(r bot.Reply) (string, []string) {
	var lines []string
	var choices []string
	choose := func(payload, text string) string {
		choices = append(choices, payload)
		return fmt.Sprintf("  %d. %s", len(choices), text)
	}
	offered := map[string]bool{}
	for _, t := range r.Topics {
		offered[t.ID] = true
	}
	listed := map[string]bool{}
	if r.Title != "" {
		lines = append(lines, r.Title)
	}
	if r.Answer != "" {
		lines = append(lines, r.Answer)
	}
	for _, it := range r.Items {
		if offered[it.ID] {
			listed[it.ID] = true
			lines = append(lines, choose(bot.TopicButton(it.ID), bot.ItemLine(it)))
		} else {
			lines = append(lines, bot.ItemLine(it))
		}
	}
	if r.Source != "" {
		lines = append(lines, "Source: "+r.Source)
	}
	if len(r.Suggestions) > 0 {
		if r.Kind != bot.KindFallback {
			lines = append(lines, "", "You could also ask:")
		}
		for _, s := range r.Suggestions {
			lines = append(lines, choose(bot.FactButton(s.FactID), s.Question))
		}
	}
	first := true
	for _, t := range r.Topics {
		if listed[t.ID] {
			continue
		}
		if first && r.Kind != bot.KindFallback {
			lines = append(lines, "", "Topics:")
		}
		first = false
		lines = append(lines, choose(bot.TopicButton(t.ID), t.Title))
	}
	return sanitize(strings.Join(lines, "\n")), choices
}

// sanitize drops control characters other than newlines, so nothing in a
// reply can move the cursor or change the terminal's state.
func sanitize(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' {
			return r
		}
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return -1
		}
		return r
	}, s)
}

// readLines sends each line of r (without its end, cut to MaxLine bytes)
// until EOF or until done is closed.
func readLines(r io.Reader, out chan<- string, done <-chan struct{}) error {
	br := bufio.NewReaderSize(r, 4096)
	for {
		var line []byte
		for {
			chunk, err := br.ReadSlice('\n')
			if len(line) < MaxLine {
				line = append(line, chunk[:min(len(chunk), MaxLine-len(line))]...)
			}
			if errors.Is(err, bufio.ErrBufferFull) {
				continue
			}
			if err != nil && !errors.Is(err, io.EOF) {
				return err
			}
			if len(line) > 0 || err == nil {
				select {
				case out <- strings.TrimRight(string(line), "\r\n"):
				case <-done:
					return nil
				}
			}
			if errors.Is(err, io.EOF) {
				return nil
			}
			break
		}
	}
}
