package main

import (
	"context"

	"kazbot/adapters/console"
)

func runChat(ctx context.Context, std Stdio, args []string) error {
	fs := newCmdFlags(std, "chat", "[--knowledge DIR]",
		"Talk to kazbot in the terminal: ask questions in plain words, use the slash\n"+
			"commands (/help, /topics, /fact, /timeline, /about), type a number to pick a\n"+
			"suggestion. Ctrl-D (end of input) quits. No token is needed.")
	dir := knowledgeFlag(fs)
	quiet := fs.Bool("quiet", false, "print no prompt (for piped input)")
	if err := parseCmdFlags(fs, args); err != nil {
		return err
	}
	eng, err := newEngine(*dir)
	if err != nil {
		return err
	}
	var opts []console.Option
	if *quiet {
		opts = append(opts, console.WithPrompt(""))
	}
	return console.New(eng, std.In, std.Out, opts...).Run(ctx)
}
