package discord

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/bwmarrin/discordgo"
)

// scrubber removes secrets from text that is about to be logged or
// returned: the bot token and, for interaction calls, the interaction token
// (discordgo puts it in URLs, and URLs end up in errors).
type scrubber struct {
	secrets []string
}

func newScrubber(secrets ...string) scrubber {
	var s scrubber
	for _, x := range secrets {
		if len(x) >= 4 {
			s.secrets = append(s.secrets, x)
		}
	}
	return s
}

func (s scrubber) with(secret string) scrubber {
	out := scrubber{secrets: append([]string(nil), s.secrets...)}
	if len(secret) >= 4 {
		out.secrets = append(out.secrets, secret)
	}
	return out
}

func (s scrubber) text(t string) string {
	for _, x := range s.secrets {
		t = strings.ReplaceAll(t, x, "[redacted]")
	}
	return t
}

// err returns err with every secret removed from its message. The result
// still unwraps to err, so errors.Is and errors.As keep working.
func (s scrubber) err(err error) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	clean := s.text(msg)
	if clean == msg {
		return err
	}
	return &scrubbedError{msg: clean, err: err}
}

type scrubbedError struct {
	msg string
	err error
}

func (e *scrubbedError) Error() string { return e.msg }
func (e *scrubbedError) Unwrap() error { return e.err }

// libraryLog is where discordgo's own log lines go: discordgo has one
// package-level Logger, so the adapter that runs last owns it (a process
// runs one Discord adapter).
type libraryLog struct {
	log   *slog.Logger
	scrub scrubber
}

var (
	libLog     atomic.Pointer[libraryLog]
	libLogOnce sync.Once
)

// routeLibraryLogs sends discordgo's log lines to l, with secrets removed.
func routeLibraryLogs(l *slog.Logger, s scrubber) {
	libLog.Store(&libraryLog{log: l.With("source", "discordgo"), scrub: s})
	libLogOnce.Do(func() { discordgo.Logger = forwardLibraryLog })
}

func forwardLibraryLog(msgL, _ int, format string, a ...any) {
	ll := libLog.Load()
	if ll == nil {
		return
	}
	level := slog.LevelDebug
	switch msgL {
	case discordgo.LogError:
		level = slog.LevelError
	case discordgo.LogWarning:
		level = slog.LevelWarn
	case discordgo.LogInformational:
		level = slog.LevelInfo
	}
	msg := ll.scrub.text(strings.TrimSpace(fmt.Sprintf(format, a...)))
	ll.log.Log(context.Background(), level, msg)
}
