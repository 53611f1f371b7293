package main

import (
	"errors"
	"flag"
	"fmt"

	"kazbot/knowledge"
)

// loadPack loads the knowledge pack in dir, or the built-in Kazakhstan pack
// when dir is "".
func loadPack(dir string) (*knowledge.Pack, error) {
	if dir == "" {
		return knowledge.Embedded()
	}
	return knowledge.LoadDir(dir)
}

// knowledgeFlag defines the --knowledge flag of the subcommands that read a
// pack; its value is for loadPack.
func knowledgeFlag(fs *flag.FlagSet) *string {
	return fs.String("knowledge", "", "use the knowledge pack in `DIR` instead of the built-in one")
}

// newCmdFlags returns the flag set of subcommand name, printing errors and
// usage (synopsis, then what the subcommand does, then the flags) to
// std.Err.
func newCmdFlags(std Stdio, name, synopsis, doc string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(std.Err)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: kazbot %s %s\n\n%s\n\nFlags:\n", name, synopsis, doc)
		fs.PrintDefaults()
	}
	return fs
}

// parseCmdFlags parses args into fs. After -h it returns exitError{0}, after
// a bad flag exitError{2}: the flag set has printed the usage either way.
func parseCmdFlags(fs *flag.FlagSet, args []string) error {
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		return exitError{0}
	case err != nil:
		return exitError{2}
	}
	return nil
}

// usageError prints a message and the usage of fs, and returns exitError{2}.
func usageError(fs *flag.FlagSet, format string, args ...any) error {
	fmt.Fprintf(fs.Output(), "kazbot %s: %s\n", fs.Name(), fmt.Sprintf(format, args...))
	fs.Usage()
	return exitError{2}
}
