package telegram_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"kazbot/adapters/telegram"
	"kazbot/bot/bottest"
)

func TestConfigValidationNamesTheBadKey(t *testing.T) {
	hook := telegram.WebhookConfig{Listen: ":8443", PublicURL: "https://bot.example.com", SecretToken: "abc_DEF-123"}
	tests := []struct {
		name string
		cfg  telegram.Config
		want string // "" means valid
	}{
		{"defaults with a token are valid", telegram.Config{Token: "1:x"}, ""},
		{"a valid webhook", telegram.Config{Token: "1:x", Webhook: hook}, ""},
		{"a missing token", telegram.Config{}, "telegram.token: is required (set KAZBOT_TELEGRAM_TOKEN)"},
		{"a token with spaces", telegram.Config{Token: "1:x y"}, "telegram.token: is not a bot token"},
		{"an API URL without a scheme", telegram.Config{Token: "1:x", APIURL: "api.telegram.org"}, "telegram.api_url: must be an http or https URL"},
		{"a poll timeout under a second", telegram.Config{Token: "1:x", PollTimeout: time.Millisecond}, "telegram.poll_timeout: must be between 1s and 10m"},
		{"a negative shutdown timeout", telegram.Config{Token: "1:x", ShutdownTimeout: -time.Second}, "telegram.shutdown_timeout: must not be negative"},
		{"too many workers", telegram.Config{Token: "1:x", Workers: 5000}, "telegram.workers: must be between 1 and 1024"},
		{"a public URL without a listener", telegram.Config{Token: "1:x", Webhook: telegram.WebhookConfig{PublicURL: "https://x"}}, "telegram.webhook.listen: is required"},
		{"a webhook without a secret", telegram.Config{Token: "1:x", Webhook: telegram.WebhookConfig{Listen: ":8443", PublicURL: "https://x"}}, "telegram.webhook.secret_token: is required"},
		{"a secret with bad characters", telegram.Config{Token: "1:x", Webhook: telegram.WebhookConfig{Listen: ":8443", PublicURL: "https://x", SecretToken: "a b"}}, "telegram.webhook.secret_token"},
		{"a webhook without a public URL", telegram.Config{Token: "1:x", Webhook: telegram.WebhookConfig{Listen: ":8443", SecretToken: "s"}}, "telegram.webhook.public_url"},
		{"a relative webhook path", telegram.Config{Token: "1:x", Webhook: telegram.WebhookConfig{Listen: ":8443", PublicURL: "https://x", SecretToken: "s", Path: "hook"}}, "telegram.webhook.path: must start with /"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.cfg.Validate()
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("Validate = %v, want nil", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("Validate = %v, want an error containing %q", err, tt.want)
			}
			if _, nerr := telegram.New(tt.cfg, bottest.Engine(t)); (nerr == nil) != (err == nil) {
				t.Errorf("New error %v disagrees with Validate %v", nerr, err)
			}
		})
	}
}

func TestConfigNeverPrintsSecrets(t *testing.T) {
	cfg := telegram.Config{Token: token, Webhook: telegram.WebhookConfig{SecretToken: "hook-secret-value"}}
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("config", "telegram", cfg)
	for _, out := range []string{cfg.String(), fmt.Sprint(cfg), fmt.Sprintf("%+v", cfg), buf.String()} {
		if strings.Contains(out, token) || strings.Contains(out, "hook-secret-value") {
			t.Errorf("secret printed: %s", out)
		}
		if !strings.Contains(out, "[redacted]") {
			t.Errorf("no redaction marker in %s", out)
		}
	}
}

func TestAdapterName(t *testing.T) {
	a, err := telegram.New(telegram.Config{Token: "1:x"}, bottest.Engine(t))
	if err != nil {
		t.Fatal(err)
	}
	if a.Name() != "telegram" || a.Ready() {
		t.Errorf("Name = %q, Ready = %v before Run", a.Name(), a.Ready())
	}
}
