// Command kazbot answers questions about Kazakhstan's foreign policy in
// Discord, Telegram and the console, from a curated fact base.
//
// Usage:
//
//	kazbot <command> [flags] [args]
//
// Run kazbot help for the list of commands.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(Run(ctx, os.Args[1:], Stdio{In: os.Stdin, Out: os.Stdout, Err: os.Stderr, Getenv: os.Getenv}))
}

// Stdio is what a subcommand may touch of the outside world, so tests can
// run the real wiring with buffers and a fake environment.
type Stdio struct {
	In     io.Reader
	Out    io.Writer
	Err    io.Writer
	Getenv func(string) string
}

// command is one subcommand of the binary.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, std Stdio, args []string) error
}

// commands is the table of subcommands, in the order help lists them.
var commands []command

func init() {
	commands = []command{
		{"chat", "talk to kazbot in the terminal (no token needed)", runChat},
		{"ask", "answer one question, or one per line from stdin", runAsk},
		{"facts", "list the facts of a pack", runFacts},
		{"check", "validate a knowledge pack", runCheck},
		{"eval", "measure answer accuracy on a labelled question file", runEval},
		{"serve", "run the Discord and Telegram bots whose tokens are set", runServe},
		{"config", "print the effective configuration, secrets redacted", runConfig},
		{"healthcheck", "check that a running serve is alive (the container health check)", runHealthcheck},
		{"help", "show this help", runHelp},
	}
}

// exitError carries an exit code without another message: the subcommand
// has already printed what went wrong.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

// Run executes kazbot with args (without the program name) and returns the
// process exit code.
func Run(ctx context.Context, args []string, std Stdio) int {
	if std.Getenv == nil {
		std.Getenv = func(string) string { return "" }
	}
	if len(args) == 0 {
		printUsage(std.Err)
		return 2
	}
	name := args[0]
	if name == "-h" || name == "--help" {
		name = "help"
	}
	for _, c := range commands {
		if c.name != name {
			continue
		}
		return exitCode(name, c.run(ctx, std, args[1:]), std.Err)
	}
	fmt.Fprintf(std.Err, "kazbot: unknown command %q\n\n", name)
	printUsage(std.Err)
	return 2
}

// exitCode is the process exit code for what subcommand name returned,
// printing the error to w unless the subcommand already has (exitError).
func exitCode(name string, err error, w io.Writer) int {
	var ee exitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ee):
		return ee.code
	default:
		fmt.Fprintf(w, "kazbot %s: %v\n", name, err)
		return 1
	}
}

func runHelp(_ context.Context, std Stdio, _ []string) error {
	printUsage(std.Out)
	return nil
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "kazbot answers questions about Kazakhstan's foreign policy.")
	fmt.Fprintln(w, "\nUsage: kazbot <command> [flags] [args]\n\nCommands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-11s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun kazbot <command> -h for the flags of a command.")
}
