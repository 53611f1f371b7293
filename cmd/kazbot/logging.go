package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"slices"
	"strings"

	"kazbot/configs"
)

// newLogger returns the process's root logger: text or JSON on w at the
// configured level. Every line passes through a filter that replaces the
// given secrets wherever they appear (message, attributes, errors), as a
// second line of defence behind the adapters' own redaction. Components
// scope it with a "component" attribute.
func newLogger(w io.Writer, c configs.Log, secrets ...string) *slog.Logger {
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.Level)); err != nil {
		level = slog.LevelInfo // Validate has refused other values
	}
	opts := &slog.HandlerOptions{Level: level}
	var h slog.Handler
	if c.Format == "json" {
		// Durations as "1.5s", not nanoseconds, as in the text format.
		opts.ReplaceAttr = func(_ []string, a slog.Attr) slog.Attr {
			if a.Value.Kind() == slog.KindDuration {
				return slog.String(a.Key, a.Value.Duration().String())
			}
			return a
		}
		h = slog.NewJSONHandler(w, opts)
	} else {
		h = slog.NewTextHandler(w, opts)
	}
	return slog.New(newRedactHandler(h, secrets))
}

// redactHandler replaces secrets in every record before the next handler
// writes it.
type redactHandler struct {
	next    slog.Handler
	secrets []string
}

// newRedactHandler redacts secrets, and their URL-escaped forms, from
// whatever next is given. Secrets shorter than 4 characters are ignored.
func newRedactHandler(next slog.Handler, secrets []string) slog.Handler {
	var forms []string
	for _, s := range secrets {
		if len(s) < 4 {
			continue
		}
		for _, f := range []string{s, url.PathEscape(s), url.QueryEscape(s)} {
			if !slices.Contains(forms, f) {
				forms = append(forms, f)
			}
		}
	}
	if len(forms) == 0 {
		return next
	}
	return &redactHandler{next: next, secrets: forms}
}

func (h *redactHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return h.next.Enabled(ctx, l)
}

func (h *redactHandler) Handle(ctx context.Context, r slog.Record) error {
	out := slog.NewRecord(r.Time, r.Level, h.scrub(r.Message), r.PC)
	r.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(h.attr(a))
		return true
	})
	return h.next.Handle(ctx, out)
}

func (h *redactHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	clean := make([]slog.Attr, len(attrs))
	for i, a := range attrs {
		clean[i] = h.attr(a)
	}
	return &redactHandler{next: h.next.WithAttrs(clean), secrets: h.secrets}
}

func (h *redactHandler) WithGroup(name string) slog.Handler {
	return &redactHandler{next: h.next.WithGroup(name), secrets: h.secrets}
}

func (h *redactHandler) scrub(s string) string {
	for _, x := range h.secrets {
		s = strings.ReplaceAll(s, x, configs.Redacted)
	}
	return s
}

func (h *redactHandler) attr(a slog.Attr) slog.Attr {
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindString:
		return slog.String(a.Key, h.scrub(v.String()))
	case slog.KindGroup:
		group := v.Group()
		clean := make([]any, len(group))
		for i, g := range group {
			clean[i] = h.attr(g)
		}
		return slog.Group(a.Key, clean...)
	case slog.KindAny:
		s := fmt.Sprint(v.Any())
		if clean := h.scrub(s); clean != s {
			return slog.String(a.Key, clean)
		}
	}
	return slog.Attr{Key: a.Key, Value: v}
}
