package main

import (
	"context"
	"errors"
)

// Placeholders for subcommands that later issues build; each is replaced by
// its own file.
var errNotYet = errors.New("not built yet")

func runServe(context.Context, Stdio, []string) error  { return errNotYet }
func runConfig(context.Context, Stdio, []string) error { return errNotYet }
