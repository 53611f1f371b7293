package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"
)

func runHealthcheck(ctx context.Context, std Stdio, args []string) error {
	fs := newCmdFlags(std, "healthcheck", "[--url URL] [--config FILE] [--timeout D]",
		"Healthcheck asks a running kazbot serve whether it is alive: it GETs /healthz and\n"+
			"exits 0 on 200, else prints why and exits 1. It is the container image's\n"+
			"HEALTHCHECK (the image has no curl). Without --url the address comes from\n"+
			"http.listen (KAZBOT_HTTP_LISTEN), a wildcard host meaning 127.0.0.1. Use\n"+
			"--url http://HOST:PORT/readyz to ask whether every platform is connected.")
	rawURL := fs.String("url", "", "GET `URL` instead of /healthz on http.listen")
	timeout := fs.Duration("timeout", 3*time.Second, "give up after `D`")
	path := configFlag(fs)
	if err := parseCmdFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError(fs, "unexpected argument %q", fs.Arg(0))
	}
	target := *rawURL
	if target == "" {
		cfg, _, err := loadConfig(std, *path)
		if err != nil {
			printProblems(std.Err, "healthcheck", err)
			return exitError{1}
		}
		if cfg.HTTP.Listen == "" {
			fmt.Fprintln(std.Err, "kazbot healthcheck: http.listen is off, so there is nothing to ask; set KAZBOT_HTTP_LISTEN or pass --url")
			return exitError{1}
		}
		target = "http://" + localAddr(cfg.HTTP.Listen) + "/healthz"
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return usageError(fs, "bad --url: %v", err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		fmt.Fprintf(std.Err, "kazbot healthcheck: %v\n", err)
		return exitError{1}
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode != http.StatusOK {
		fmt.Fprintf(std.Err, "kazbot healthcheck: %s answered %s\n", target, resp.Status)
		return exitError{1}
	}
	fmt.Fprintf(std.Out, "ok: %s answered %s\n", target, resp.Status)
	return nil
}

// localAddr turns a listen address into one to connect to on this host: a
// wildcard or empty host becomes 127.0.0.1.
func localAddr(listen string) string {
	host, port, err := net.SplitHostPort(listen)
	if err != nil {
		return listen
	}
	switch host {
	case "", "0.0.0.0", "::", "[::]":
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port)
}
