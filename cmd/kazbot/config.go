package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"kazbot/configs"
)

func runConfig(_ context.Context, std Stdio, args []string) error {
	fs := newCmdFlags(std, "config", "[--config FILE]",
		"Config prints the effective configuration as YAML: the defaults, overridden by\n"+
			"FILE (or the file named by "+configs.FileEnv+"), overridden by the\n"+
			"KAZBOT_<SECTION>_<KEY> environment variables. A comment names where each value\n"+
			"that is not the default came from. Secrets show as [redacted] when set and \"\"\n"+
			"when not. It exits 1, after printing, when the configuration is invalid.")
	path := configFlag(fs)
	if err := parseCmdFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError(fs, "unexpected argument %q", fs.Arg(0))
	}
	cfg, src, err := loadConfig(std, *path)
	if err != nil {
		printProblems(std.Err, "config", err)
		return exitError{1}
	}
	shardErr := resolveShard(&cfg, src, os.Hostname)
	if _, err := std.Out.Write(cfg.YAML(src)); err != nil {
		return fmt.Errorf("write: %w", err)
	}
	if shardErr != nil {
		printProblems(std.Err, "config", shardErr)
		return exitError{1}
	}
	if err := cfg.Validate(); err != nil {
		printProblems(std.Err, "config", err)
		return exitError{1}
	}
	return nil
}

// configFlag defines the --config flag of the subcommands that read the
// configuration.
func configFlag(fs *flag.FlagSet) *string {
	return fs.String("config", "", "read the configuration from `FILE` (default $"+configs.FileEnv+"; without either, defaults and environment only)")
}

// loadConfig loads the configuration: the file at path, or the one named
// by KAZBOT_CONFIG, then the environment.
func loadConfig(std Stdio, path string) (configs.Config, configs.Sources, error) {
	if path == "" {
		path = std.Getenv(configs.FileEnv)
	}
	return configs.Load(path, std.Getenv)
}

// resolveShard sets discord.shard_id from the host name when
// discord.shard_from_hostname is on.
func resolveShard(cfg *configs.Config, src configs.Sources, hostname func() (string, error)) error {
	if !cfg.Discord.ShardFromHostname {
		return nil
	}
	host, err := hostname()
	if err != nil {
		return fmt.Errorf("discord.shard_from_hostname: read the host name: %w", err)
	}
	id, err := configs.ShardFromHostname(host)
	if err != nil {
		return err
	}
	cfg.Discord.ShardID = id
	src["discord.shard_id"] = "host name " + strings.TrimSpace(host)
	return nil
}

// printProblems prints each line of err (configuration problems, one per
// line) under a heading.
func printProblems(w io.Writer, cmd string, err error) {
	lines := strings.Split(strings.TrimSpace(err.Error()), "\n")
	noun := "problem"
	if len(lines) > 1 {
		noun = "problems"
	}
	fmt.Fprintf(w, "kazbot %s: configuration %s:\n", cmd, noun)
	for _, l := range lines {
		fmt.Fprintf(w, "  %s\n", l)
	}
}
