package discord

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"kazbot/bot/bottest"
)

func TestNewValidatesConfig(t *testing.T) {
	eng := bottest.Engine(t)
	tests := []struct {
		name string
		cfg  Config
		// wantErr lists substrings the error must contain; none means valid.
		wantErr []string
	}{
		{"a token alone is enough", Config{Token: "abc.def"}, nil},
		{"a missing token names the variable to set", Config{}, []string{"discord.token", TokenEnv}},
		{"a bare Bot prefix is no token", Config{Token: "Bot "}, []string{"discord.token"}},
		{"the API URL must be http or https", Config{Token: "t0ken", APIURL: "ftp://x/api/v9/"}, []string{"discord.api_url"}},
		{"the API URL must be absolute", Config{Token: "t0ken", APIURL: "/api/v9/"}, []string{"discord.api_url"}},
		{"the gateway URL must be ws or wss", Config{Token: "t0ken", GatewayURL: "https://gateway.discord.gg"}, []string{"discord.gateway_url"}},
		{"the gateway URL must not carry a query", Config{Token: "t0ken", GatewayURL: "wss://gateway.discord.gg/?v=10"}, []string{"discord.gateway_url", "query"}},
		{"guild ids are numbers", Config{Token: "t0ken", GuildIDs: []string{"123", "my-guild"}}, []string{"discord.guild_ids", "my-guild"}},
		{"the prefix is one word", Config{Token: "t0ken", Prefix: "hey bot"}, []string{"discord.prefix"}},
		{"a shard id must be below the count", Config{Token: "t0ken", ShardID: 2, ShardCount: 2}, []string{"discord.shard_id", "less than"}},
		{"a shard id needs a count", Config{Token: "t0ken", ShardID: 1}, []string{"discord.shard_id", "shard_count"}},
		{"a negative shard count is refused", Config{Token: "t0ken", ShardCount: -1}, []string{"discord.shard_count"}},
		{"a negative shard id is refused", Config{Token: "t0ken", ShardID: -1, ShardCount: 2}, []string{"discord.shard_id"}},
		{"the last of two shards is fine", Config{Token: "t0ken", ShardID: 1, ShardCount: 2}, nil},
		{"a negative shutdown timeout is refused", Config{Token: "t0ken", ShutdownTimeout: -time.Second}, []string{"discord.shutdown_timeout"}},
		{"every problem is reported at once", Config{APIURL: "nope", ShardCount: -3}, []string{"discord.token", "discord.api_url", "discord.shard_count"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(tt.cfg, eng)
			if len(tt.wantErr) == 0 {
				if err != nil {
					t.Fatalf("New: %v, want no error", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("New succeeded, want an error mentioning %q", tt.wantErr)
			}
			for _, w := range tt.wantErr {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

func TestNewAppliesDefaults(t *testing.T) {
	a, err := New(Config{Token: "t0ken", APIURL: "http://127.0.0.1:1/api/v9"}, bottest.Engine(t))
	if err != nil {
		t.Fatal(err)
	}
	want := Config{Token: "t0ken", APIURL: "http://127.0.0.1:1/api/v9/", Prefix: DefaultPrefix, ShutdownTimeout: DefaultShutdownTimeout}
	if fmt.Sprintf("%#v", a.cfg) != fmt.Sprintf("%#v", want) {
		t.Errorf("config = %#v,\nwant %#v", a.cfg, want)
	}
	d, err := New(Config{Token: "t0ken"}, bottest.Engine(t))
	if err != nil {
		t.Fatal(err)
	}
	if d.cfg.APIURL != DefaultAPIURL {
		t.Errorf("default API URL = %q, want %q", d.cfg.APIURL, DefaultAPIURL)
	}
	if a.Name() != "discord" {
		t.Errorf("Name() = %q, want discord", a.Name())
	}
	if a.Ready() {
		t.Error("Ready() before Run, want false")
	}
}

func TestNewRefusesNoEngine(t *testing.T) {
	if _, err := New(Config{Token: "t0ken"}, nil); err == nil {
		t.Error("New with a nil engine succeeded, want an error")
	}
}

func TestConfigNeverShowsTheToken(t *testing.T) {
	const secret = "MTk4NjIyNDgzNDcxOTI1MjQ4.Cl2FMQ.ZnCjm1XVW7vRze4b7Cq4se7kKWs"
	cfg := Config{Token: secret, GuildIDs: []string{"1"}}
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("config", "cfg", cfg)
	slog.New(slog.NewTextHandler(&buf, nil)).Info("config", "cfg", cfg)
	for name, s := range map[string]string{
		"%v": fmt.Sprintf("%v", cfg), "%+v": fmt.Sprintf("%+v", cfg), "%s": fmt.Sprintf("%s", cfg),
		"slog": buf.String(),
	} {
		if strings.Contains(s, secret) || strings.Contains(s, "Cl2FMQ") {
			t.Errorf("%s shows the token: %s", name, s)
		}
		if !strings.Contains(s, "[redacted]") {
			t.Errorf("%s does not say the token is redacted: %s", name, s)
		}
	}
}

var errBoom = errors.New("boom")

func TestScrubberRemovesSecretsButKeepsTheChain(t *testing.T) {
	base := fmt.Errorf("post https://x/interactions/1/itok-secret/callback: %w", errBoom)
	s := newScrubber("tok-123456").with("itok-secret")
	err := s.err(fmt.Errorf("auth Bot tok-123456 failed: %w", base))
	if strings.Contains(err.Error(), "tok-123456") || strings.Contains(err.Error(), "itok-secret") {
		t.Errorf("scrubbed error still shows a secret: %v", err)
	}
	if !strings.Contains(err.Error(), "[redacted]") {
		t.Errorf("scrubbed error %q does not mark what it removed", err)
	}
	if !errors.Is(err, errBoom) {
		t.Error("scrubbed error no longer unwraps to its cause")
	}
}
