package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"kazbot/bot"
)

func runAsk(ctx context.Context, std Stdio, args []string) error {
	fs := newCmdFlags(std, "ask", "[--json] [--knowledge DIR] [question]",
		"Answer one question and print the answer and its source. With no question, read\n"+
			"one question per line from standard input and answer each. --json prints one\n"+
			"reply object per line: question, kind, fact_id, answer, confidence, topic,\n"+
			"source, suggestions.")
	asJSON := fs.Bool("json", false, "print one JSON reply object per line")
	dir := knowledgeFlag(fs)
	if err := parseCmdFlags(fs, args); err != nil {
		return err
	}
	eng, err := newEngine(*dir)
	if err != nil {
		return err
	}
	print := func(r bot.Reply) error {
		if *asJSON {
			return json.NewEncoder(std.Out).Encode(r)
		}
		_, err := fmt.Fprintln(std.Out, plainAnswer(r))
		return err
	}
	if fs.NArg() > 0 {
		return print(eng.Ask(ctx, strings.Join(fs.Args(), " ")))
	}
	sc := bufio.NewScanner(std.In)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		if ctx.Err() != nil {
			return nil
		}
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		if err := print(eng.Ask(ctx, sc.Text())); err != nil {
			return fmt.Errorf("write: %w", err)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("read questions: %w", err)
	}
	return nil
}

// newEngine builds an engine for the CLI subcommands over the pack in dir
// (the built-in pack when dir is "").
func newEngine(dir string, opts ...bot.Option) (*bot.Engine, error) {
	pack, err := loadPack(dir)
	if err != nil {
		return nil, err
	}
	return bot.New(pack, opts...)
}

// plainAnswer is the text `kazbot ask` prints for a reply: the answer and
// its source, or the suggestions of a fallback.
func plainAnswer(r bot.Reply) string {
	var b strings.Builder
	b.WriteString(r.Answer)
	if r.Source != "" {
		b.WriteString("\nSource: " + r.Source)
	}
	if r.Kind == bot.KindFallback {
		for _, s := range r.Suggestions {
			b.WriteString("\n- " + s.Question)
		}
		for _, t := range r.Topics {
			b.WriteString("\n- " + t.Title)
		}
	}
	return b.String()
}
