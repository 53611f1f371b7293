package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"strings"
)

// factLine is the --json form of a fact: exactly these keys, date "" and
// related [] when the fact has none.
type factLine struct {
	ID         string   `json:"id"`
	Topic      string   `json:"topic"`
	Question   string   `json:"question"`
	Alternates []string `json:"alternates"`
	Answer     string   `json:"answer"`
	Source     string   `json:"source"`
	Date       string   `json:"date"`
	Related    []string `json:"related"`
}

// runFacts lists the facts of a pack, all or those of one topic.
func runFacts(_ context.Context, std Stdio, args []string) error {
	fs := newCmdFlags(std, "facts", "[--topic T] [--json] [--knowledge DIR]",
		"Facts lists the facts of a pack in pack order, one per line: id, topic and\n"+
			"question separated by tabs, or with --json one JSON object per fact.")
	topic := fs.String("topic", "", "list only the facts of topic `T`")
	asJSON := fs.Bool("json", false, "print one JSON object per line")
	dir := knowledgeFlag(fs)
	if err := parseCmdFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError(fs, "unexpected argument %q", fs.Arg(0))
	}
	p, err := loadPack(*dir)
	if err != nil {
		return err
	}
	facts := p.Facts
	if *topic != "" {
		if _, ok := p.Topic(*topic); !ok {
			ids := make([]string, len(p.Topics))
			for i, t := range p.Topics {
				ids[i] = t.ID
			}
			return fmt.Errorf("unknown topic %q; the topics are %s", *topic, strings.Join(ids, ", "))
		}
		facts = p.FactsInTopic(*topic)
	}

	w := bufio.NewWriter(std.Out)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for _, f := range facts {
		if !*asJSON {
			fmt.Fprintf(w, "%s\t%s\t%s\n", f.ID, f.Topic, strings.Join(strings.Fields(f.Question), " "))
			continue
		}
		line := factLine{f.ID, f.Topic, f.Question, nonNil(f.Alternates), f.Answer, f.Source, f.Date, nonNil(f.Related)}
		if err := enc.Encode(line); err != nil {
			return err
		}
	}
	return w.Flush()
}

// nonNil returns s, or an empty slice for nil, so JSON shows [] not null.
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
