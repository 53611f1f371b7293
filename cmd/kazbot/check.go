package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"kazbot/bot/match"
	"kazbot/knowledge"
)

// runCheck validates a pack: it prints a summary and exits 0, or prints
// every problem and exits 1.
func runCheck(_ context.Context, std Stdio, args []string) error {
	fs := newCmdFlags(std, "check", "[--knowledge DIR]",
		"Check validates a knowledge pack, the built-in one or the one in DIR. It prints\n"+
			"the facts per topic and the sections covered, or every problem with its file,\n"+
			"line and field and exits 1. Alternates with a likely typo are warned about on\n"+
			"stderr: the matcher repairs typos itself, and a misspelt alternate makes the\n"+
			"typo a word it never repairs.")
	dir := knowledgeFlag(fs)
	if err := parseCmdFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError(fs, "unexpected argument %q", fs.Arg(0))
	}
	p, err := loadPack(*dir)
	var errs knowledge.Errors
	if errors.As(err, &errs) {
		for _, e := range errs {
			fmt.Fprintln(std.Err, e)
		}
		where := "the built-in pack"
		if *dir != "" {
			where = *dir
		}
		fmt.Fprintf(std.Err, "%s in %s\n", plural(len(errs), "problem"), where)
		return exitError{1}
	}
	if err != nil {
		return err
	}
	for _, m := range match.Misspellings(p.Facts) {
		fmt.Fprintf(std.Err, "warning: fact %s, alternate %q: %q looks like a typo of %q\n",
			m.Fact, m.Text, m.Word, m.Suggest)
	}
	return printSummary(std.Out, p)
}

// printSummary prints the pack's name, its facts per topic and the source
// sections its facts cover.
func printSummary(w io.Writer, p *knowledge.Pack) error {
	fmt.Fprintf(w, "pack %s: %s\n", p.Name, p.Title)
	fmt.Fprintf(w, "%s in %s\n", plural(len(p.Facts), "fact"), plural(len(p.Topics), "topic"))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, t := range p.Topics {
		fmt.Fprintf(tw, "  %s\t%s\t%d\n", t.ID, t.Title, len(p.FactsInTopic(t.ID)))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	coverage := p.Coverage()
	var missing []string
	for _, s := range p.Sections {
		if coverage[s] == 0 {
			missing = append(missing, s)
		}
	}
	fmt.Fprintf(w, "sections covered: %d/%d", len(p.Sections)-len(missing), len(p.Sections))
	if len(missing) > 0 {
		fmt.Fprintf(w, " (none from: %s)", strings.Join(missing, "; "))
	}
	_, err := fmt.Fprintln(w)
	return err
}

// plural formats n with the noun, adding an s unless n is 1.
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
