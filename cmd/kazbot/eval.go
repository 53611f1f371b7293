package main

import (
	"context"
	"fmt"
	"os"

	"kazbot/bot"
)

func runEval(ctx context.Context, std Stdio, args []string) error {
	fs := newCmdFlags(std, "eval", "[--min RATIO] [--knowledge DIR] FILE",
		"Ask every question of a labelled file and report top-1 accuracy on the\n"+
			"answerable ones, the share of must-not-answer ones correctly refused, a\n"+
			"table per topic and the misses. FILE has one \"<fact id>\\t<question>\" per\n"+
			"line, with \"-\" as the id of a question that must get no fact; lines\n"+
			"starting with # are comments.")
	minRatio := fs.Float64("min", 0, "exit with status 1 when accuracy or refusal rate is below `RATIO` (0..1)")
	dir := knowledgeFlag(fs)
	if err := parseCmdFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError(fs, "want exactly one evaluation file")
	}
	if *minRatio < 0 || *minRatio > 1 {
		return usageError(fs, "--min must be between 0 and 1, got %g", *minRatio)
	}
	eng, err := newEngine(*dir)
	if err != nil {
		return err
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return fmt.Errorf("open evaluation file: %w", err)
	}
	defer f.Close()
	cases, err := bot.ParseCases(f)
	if err != nil {
		return fmt.Errorf("%s: %w", fs.Arg(0), err)
	}
	report, err := bot.Evaluate(ctx, eng, cases)
	if err != nil {
		return fmt.Errorf("%s: %w", fs.Arg(0), err)
	}
	if err := report.Write(std.Out); err != nil {
		return err
	}
	if report.Accuracy() < *minRatio || report.RefusalRate() < *minRatio {
		fmt.Fprintf(std.Err, "kazbot eval: below --min %.2f (accuracy %.3f, refusals %.3f)\n",
			*minRatio, report.Accuracy(), report.RefusalRate())
		return exitError{1}
	}
	return nil
}
