package main

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"testing"
	"time"

	"kazbot/configs"
)

// secretValue logs as a secret through LogValue, as a careless type might.
type secretValue struct{}

func (secretValue) LogValue() slog.Value { return slog.StringValue("token=" + tgToken) }

func TestTheLoggerRedactsSecretsWhereverTheyAppear(t *testing.T) {
	tests := []struct {
		name string
		log  func(l *slog.Logger)
	}{
		{"in the message", func(l *slog.Logger) { l.Info("connecting with " + tgToken) }},
		{"in a string attribute", func(l *slog.Logger) { l.Info("x", "url", "https://api.telegram.org/bot"+tgToken+"/getMe") }},
		{"URL-escaped in an attribute", func(l *slog.Logger) {
			l.Info("x", "url", "/bot"+url.PathEscape(tgToken)+"?t="+url.QueryEscape(tgToken))
		}},
		{"in an error", func(l *slog.Logger) { l.Error("x", "err", fmt.Errorf("get: %w", errors.New("bad token "+dcToken))) }},
		{"in a group", func(l *slog.Logger) { l.Info("x", slog.Group("cfg", "secret", hookSecret)) }},
		{"in attributes bound with With", func(l *slog.Logger) { l.With("token", dcToken).Info("x") }},
		{"behind a LogValuer", func(l *slog.Logger) { l.Info("x", "v", secretValue{}) }},
		{"in a list", func(l *slog.Logger) { l.Info("x", "list", []string{"a", hookSecret}) }},
	}
	for _, format := range []string{"text", "json"} {
		for _, tt := range tests {
			t.Run(format+" "+tt.name, func(t *testing.T) {
				var buf bytes.Buffer
				tt.log(newLogger(&buf, configs.Log{Level: "debug", Format: format}, tgToken, dcToken, hookSecret, ""))
				out := buf.String()
				for _, s := range []string{tgToken, dcToken, hookSecret, url.QueryEscape(tgToken)} {
					if strings.Contains(out, s) {
						t.Errorf("the log holds a secret: %s", out)
					}
				}
				if !strings.Contains(out, configs.Redacted) {
					t.Errorf("nothing marked redacted: %s", out)
				}
			})
		}
	}
}

func TestTheLoggerHonoursLevelAndFormat(t *testing.T) {
	var buf bytes.Buffer
	l := newLogger(&buf, configs.Log{Level: "warn", Format: "json"})
	l.Info("hidden")
	l.Warn("shown", "component", "serve", "timeout", 1500*time.Millisecond)
	if out := buf.String(); strings.Contains(out, "hidden") || !strings.Contains(out, `"msg":"shown","component":"serve","timeout":"1.5s"`) {
		t.Errorf("log = %q, want only the warning, as JSON with a readable duration", out)
	}
}
