package configs

import (
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"kazbot/adapters/discord"
	"kazbot/adapters/telegram"
)

// env is a fake environment for Load.
func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

func TestKazbotYAMLHoldsExactlyTheDefaults(t *testing.T) {
	cfg, _, err := Load("kazbot.yaml", nil)
	if err != nil {
		t.Fatalf("the documented file does not load: %v", err)
	}
	if !reflect.DeepEqual(cfg, Default()) {
		t.Errorf("kazbot.yaml differs from Default():\nfile:    %+v\ndefault: %+v", cfg, Default())
	}
	if err := cfg.Validate(); err != nil {
		t.Errorf("the defaults do not validate: %v", err)
	}
}

func TestKazbotYAMLDocumentsEveryKeyAndItsVariable(t *testing.T) {
	data, err := os.ReadFile("kazbot.yaml")
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	for _, k := range Keys() {
		t.Run(k.Name, func(t *testing.T) {
			last := k.Name[strings.LastIndex(k.Name, ".")+1:]
			if !strings.Contains(text, " "+last+":") {
				t.Errorf("kazbot.yaml has no %q key", last)
			}
			marker := "# Env: " + k.Env
			if k.Secret {
				marker = "# Env only: " + k.Env
			}
			if !strings.Contains(text, marker) {
				t.Errorf("kazbot.yaml does not document %q", marker)
			}
		})
	}
}

func TestKeysAndVariablesFollowTheNamingRule(t *testing.T) {
	want := map[string]string{
		"log.level":                     "KAZBOT_LOG_LEVEL",
		"limits.rate_per_minute":        "KAZBOT_LIMITS_RATE_PER_MINUTE",
		"telegram.token":                "KAZBOT_TELEGRAM_TOKEN",
		"telegram.webhook.secret_token": "KAZBOT_TELEGRAM_WEBHOOK_SECRET_TOKEN",
		"discord.guild_ids":             "KAZBOT_DISCORD_GUILD_IDS",
		"discord.shard_count":           "KAZBOT_DISCORD_SHARD_COUNT",
	}
	var secrets []string
	got := map[string]string{}
	for _, k := range Keys() {
		got[k.Name] = k.Env
		if k.Secret {
			secrets = append(secrets, k.Name)
		}
	}
	for key, envName := range want {
		if got[key] != envName {
			t.Errorf("%s: variable %q, want %q", key, got[key], envName)
		}
	}
	if want := []string{"telegram.token", "telegram.webhook.secret_token", "discord.token"}; !slices.Equal(secrets, want) {
		t.Errorf("secret keys %v, want %v", secrets, want)
	}
	if telegram.TokenEnv != got["telegram.token"] || discord.TokenEnv != got["discord.token"] {
		t.Error("the adapters name other token variables than the configuration")
	}
}

func TestPrecedenceIsDefaultThenFileThenEnvironment(t *testing.T) {
	cfg, src, err := Load("testdata/precedence.yaml", env(map[string]string{
		"KAZBOT_LIMITS_BURST":                  "9",
		"KAZBOT_DISCORD_GUILD_IDS":             " 333 , 444,",
		"KAZBOT_TELEGRAM_TOKEN":                "123:env-token",
		"KAZBOT_TELEGRAM_WEBHOOK_SECRET_TOKEN": "env-secret",
		"KAZBOT_HTTP_LISTEN":                   "0.0.0.0:9999",
		"KAZBOT_DISCORD_MESSAGE_CONTENT":       "false",
		"KAZBOT_LOG_FORMAT":                    "", // empty: unset
	}))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		got    any
		want   any
		source string
	}{
		{"a key in neither keeps its default", cfg.Limits.MaxInput, Default().Limits.MaxInput, ""},
		{"a key only in the file takes the file's value", cfg.Log.Level, "debug", "testdata/precedence.yaml"},
		{"a float in the file is read", cfg.Limits.RatePerMinute, 12.5, "testdata/precedence.yaml"},
		{"a duration in the file is read", cfg.Shutdown.Timeout, 30 * time.Second, "testdata/precedence.yaml"},
		{"a nested key in the file is read", cfg.Telegram.Webhook.Path, "/hook", "testdata/precedence.yaml"},
		{"the environment beats the file", cfg.Limits.Burst, 9, "KAZBOT_LIMITS_BURST"},
		{"a list in the environment is comma-separated and trimmed", cfg.Discord.GuildIDs, []string{"333", "444"}, "KAZBOT_DISCORD_GUILD_IDS"},
		{"a boolean in the environment beats the file", cfg.Discord.MessageContent, false, "KAZBOT_DISCORD_MESSAGE_CONTENT"},
		{"a key only in the environment takes its value", cfg.HTTP.Listen, "0.0.0.0:9999", "KAZBOT_HTTP_LISTEN"},
		{"a token comes from the environment", cfg.Telegram.Token, "123:env-token", "KAZBOT_TELEGRAM_TOKEN"},
		{"the webhook secret comes from the environment", cfg.Telegram.Webhook.SecretToken, "env-secret", "KAZBOT_TELEGRAM_WEBHOOK_SECRET_TOKEN"},
		{"an empty variable counts as unset", cfg.Log.Format, "text", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !reflect.DeepEqual(tt.got, tt.want) {
				t.Errorf("got %#v, want %#v", tt.got, tt.want)
			}
		})
	}
	if src["limits.burst"] != "KAZBOT_LIMITS_BURST" || src["log.level"] != "testdata/precedence.yaml" {
		t.Errorf("sources %v do not record where values came from", src)
	}
	if _, ok := src["limits.max_input"]; ok {
		t.Error("a default is recorded as coming from somewhere")
	}
}

func TestEmptyFilesAndEmptyValuesKeepOrClearDefaults(t *testing.T) {
	cfg, _, err := Load("testdata/empty.yaml", nil)
	if err != nil || !reflect.DeepEqual(cfg, Default()) {
		t.Errorf("an empty file: %+v, %v; want the defaults", cfg, err)
	}
	cfg, _, err = Load("testdata/empty-sections.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Log != Default().Log {
		t.Errorf("an empty section changed the defaults: %+v", cfg.Log)
	}
	if cfg.HTTP.Listen != "" {
		t.Errorf("http.listen with no value = %q, want \"\" (the listener off)", cfg.HTTP.Listen)
	}
	if cfg.Discord.GuildIDs == nil || len(cfg.Discord.GuildIDs) != 0 {
		t.Errorf("guild_ids with no value = %#v, want an empty list", cfg.Discord.GuildIDs)
	}
}

func TestLoadReportsEveryProblemWithFileLineAndKey(t *testing.T) {
	tests := []struct {
		name string
		file string
		env  map[string]string
		want []string
	}{
		{"unknown keys name the key, the line and the keys known there", "testdata/unknown-key.yaml", nil, []string{
			"testdata/unknown-key.yaml:2: log.levle: unknown key (known here: level, format)",
			"testdata/unknown-key.yaml:3: metrics: unknown key",
			"testdata/unknown-key.yaml:7: telegram.webhook.secret: unknown key",
		}},
		{"secrets in the file are refused with the variable to use", "testdata/secrets.yaml", nil, []string{
			"testdata/secrets.yaml:2: telegram.token: secrets are not read from files; remove it and set KAZBOT_TELEGRAM_TOKEN in the environment",
			"testdata/secrets.yaml:4: telegram.webhook.secret_token: secrets are not read from files; remove it and set KAZBOT_TELEGRAM_WEBHOOK_SECRET_TOKEN",
			"testdata/secrets.yaml:6: discord.token: secrets are not read from files; remove it and set KAZBOT_DISCORD_TOKEN",
		}},
		{"values of the wrong syntax or shape name the key", "testdata/bad-values.yaml", nil, []string{
			`testdata/bad-values.yaml:2: limits.burst: "many" is not a whole number`,
			`testdata/bad-values.yaml:3: limits.rate_per_minute: "fast" is not a number`,
			`testdata/bad-values.yaml:5: shutdown.timeout: "soon" is not a duration`,
			`testdata/bad-values.yaml:7: discord.message_content: "maybe" is not true or false`,
			`testdata/bad-values.yaml:9: discord.guild_ids: must be a single value, not a mapping`,
			`testdata/bad-values.yaml:10: discord.shard_id: has no value`,
			`testdata/bad-values.yaml:11: http: must be a mapping of keys (listen)`,
		}},
		{"a repeated key is refused", "testdata/repeated.yaml", nil, []string{
			"testdata/repeated.yaml:3: log: is repeated (first at line 1)",
		}},
		{"a YAML syntax error names the file and line", "testdata/syntax.yaml", nil, []string{
			"testdata/syntax.yaml: line 2",
		}},
		{"a file that is not a mapping is refused", "testdata/not-a-mapping.yaml", nil, []string{
			"testdata/not-a-mapping.yaml:1: (top level): must be a mapping of sections (log, limits, http, knowledge, shutdown, telegram, discord)",
		}},
		{"a missing file is an error", "testdata/no-such-file.yaml", nil, []string{
			"read the configuration file: open testdata/no-such-file.yaml",
		}},
		{"bad environment values name the variable and the key", "", map[string]string{
			"KAZBOT_LIMITS_MAX_INPUT":        "1e3",
			"KAZBOT_SHUTDOWN_TIMEOUT":        "10",
			"KAZBOT_DISCORD_MESSAGE_CONTENT": "yes please",
			"KAZBOT_LIMITS_RATE_PER_MINUTE":  "NaN",
		}, []string{
			`KAZBOT_LIMITS_MAX_INPUT (limits.max_input): "1e3" is not a whole number`,
			`KAZBOT_SHUTDOWN_TIMEOUT (shutdown.timeout): "10" is not a duration (write it like 10s, 1m30s or 500ms)`,
			`KAZBOT_DISCORD_MESSAGE_CONTENT (discord.message_content): "yes please" is not true or false`,
			`KAZBOT_LIMITS_RATE_PER_MINUTE (limits.rate_per_minute): "NaN" is not a number`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := Load(tt.file, env(tt.env))
			if err == nil {
				t.Fatal("Load succeeded, want errors")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error does not contain %q:\n%v", w, err)
				}
			}
			if n := len(strings.Split(err.Error(), "\n")); len(tt.want) > 1 && n != len(tt.want) {
				t.Errorf("%d problems reported, want %d:\n%v", n, len(tt.want), err)
			}
		})
	}
}

func TestValidateNamesEveryBadKey(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Config)
		want   []string
	}{
		{"the defaults are valid", func(*Config) {}, nil},
		{"both platforms fully set are valid", func(c *Config) {
			c.Telegram.Token = "123:abc"
			c.Telegram.Webhook = Webhook{Listen: ":8443", PublicURL: "https://bot.example.com", SecretToken: "s3cret", Path: "/tg"}
			c.Discord.Token = "abc.def"
			c.Discord.GuildIDs = []string{"123"}
			c.Discord.ShardID, c.Discord.ShardCount = 1, 2
		}, nil},
		{"an unknown log level", func(c *Config) { c.Log.Level = "verbose" }, []string{`log.level: must be debug, info, warn or error, got "verbose"`}},
		{"an unknown log format", func(c *Config) { c.Log.Format = "xml" }, []string{`log.format: must be text or json, got "xml"`}},
		{"a negative rate", func(c *Config) { c.Limits.RatePerMinute = -1 }, []string{"limits.rate_per_minute: must not be negative (0 turns the limit off)"}},
		{"a zero rate turns the limit off and is valid", func(c *Config) { c.Limits.RatePerMinute = 0 }, nil},
		{"a burst below one", func(c *Config) { c.Limits.Burst = 0 }, []string{"limits.burst: must be at least 1, got 0"}},
		{"an input cap of zero", func(c *Config) { c.Limits.MaxInput = 0 }, []string{"limits.max_input: must be between 1 and 4096 characters, got 0"}},
		{"an input cap above a Telegram message", func(c *Config) { c.Limits.MaxInput = 5000 }, []string{"limits.max_input: must be between 1 and 4096"}},
		{"an HTTP address without a port", func(c *Config) { c.HTTP.Listen = "localhost" }, []string{`http.listen: "localhost" is not host:port`}},
		{"an HTTP address with a bad port", func(c *Config) { c.HTTP.Listen = "127.0.0.1:http9" }, []string{`http.listen: "127.0.0.1:http9" has no valid port number`}},
		{"no HTTP listener is valid", func(c *Config) { c.HTTP.Listen = "" }, nil},
		{"a zero shutdown timeout", func(c *Config) { c.Shutdown.Timeout = 0 }, []string{"shutdown.timeout: must be positive, got 0s"}},
		{"a Telegram token that is not one", func(c *Config) { c.Telegram.Token = "12 34" }, []string{"telegram.token: is not a bot token"}},
		{"a Telegram API URL that is not http", func(c *Config) { c.Telegram.APIURL = "ftp://x" }, []string{"telegram.api_url: must be an http or https URL"}},
		{"a Telegram poll timeout too long", func(c *Config) { c.Telegram.PollTimeout = time.Hour }, []string{"telegram.poll_timeout: must be between 1s and 10m"}},
		{"no Telegram workers", func(c *Config) { c.Telegram.Workers = -1 }, []string{"telegram.workers: must be between 1 and 1024"}},
		{"webhook mode without a public URL or secret", func(c *Config) { c.Telegram.Webhook.Listen = ":8443" }, []string{
			"telegram.webhook.public_url: must be the https URL Telegram can reach",
			"telegram.webhook.secret_token: is required in webhook mode",
		}},
		{"a webhook secret without webhook mode", func(c *Config) { c.Telegram.Webhook.SecretToken = "abc" }, []string{"telegram.webhook.listen: is required when"}},
		{"a webhook path without a slash", func(c *Config) {
			c.Telegram.Webhook = Webhook{Listen: ":8443", PublicURL: "https://x.example", SecretToken: "abc", Path: "hook"}
		}, []string{`telegram.webhook.path: must start with /`}},
		{"a webhook address that is not host:port", func(c *Config) {
			c.Telegram.Webhook = Webhook{Listen: "8443", PublicURL: "https://x.example", SecretToken: "abc", Path: "/h"}
		}, []string{`telegram.webhook.listen: "8443" is not host:port`}},
		{"a webhook on the HTTP listener's port", func(c *Config) {
			c.HTTP.Listen = "0.0.0.0:9090"
			c.Telegram.Webhook = Webhook{Listen: ":9090", PublicURL: "https://x.example", SecretToken: "abc", Path: "/h"}
		}, []string{`telegram.webhook.listen: ":9090" is also http.listen`}},
		{"a Discord API URL that is not http", func(c *Config) { c.Discord.APIURL = "discord.com" }, []string{"discord.api_url:"}},
		{"a Discord gateway URL that is not ws", func(c *Config) { c.Discord.GatewayURL = "https://gw" }, []string{"discord.gateway_url:"}},
		{"a guild id that is not a number", func(c *Config) { c.Discord.GuildIDs = []string{"my-guild"} }, []string{`discord.guild_ids: "my-guild" is not a guild id`}},
		{"a prefix of two words", func(c *Config) { c.Discord.Prefix = "hey bot" }, []string{"discord.prefix:"}},
		{"a shard id past the count", func(c *Config) { c.Discord.ShardID, c.Discord.ShardCount = 2, 2 }, []string{"discord.shard_id: 2 must be less than discord.shard_count (2)"}},
		{"a negative shard count", func(c *Config) { c.Discord.ShardCount = -1 }, []string{"discord.shard_count: -1 is negative"}},
		{"shard from hostname without sharding", func(c *Config) { c.Discord.ShardFromHostname = true }, []string{"discord.shard_from_hostname: needs discord.shard_count of 2 or more, got 1"}},
		{"every problem is reported at once", func(c *Config) {
			c.Log.Level, c.Limits.Burst, c.Telegram.APIURL, c.Discord.ShardCount = "loud", 0, "x", -2
		}, []string{"log.level:", "limits.burst:", "telegram.api_url:", "discord.shard_count:"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Default()
			tt.change(&c)
			err := c.Validate()
			if len(tt.want) == 0 {
				if err != nil {
					t.Fatalf("Validate: %v, want no error", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("Validate succeeded, want %q", tt.want)
			}
			lines := strings.Split(err.Error(), "\n")
			if len(lines) != len(tt.want) {
				t.Errorf("%d problems, want %d:\n%v", len(lines), len(tt.want), err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error does not contain %q:\n%v", w, err)
				}
			}
			for _, l := range lines {
				key, _, _ := strings.Cut(l, ":")
				if _, ok := keyNamed(key); !ok {
					t.Errorf("problem %q does not start with a configuration key", l)
				}
			}
		})
	}
}

func TestYAMLShowsTheConfigurationWithSecretsRedacted(t *testing.T) {
	c := Default()
	c.Telegram.Token = "123456:very-secret"
	c.Discord.Token = "" // unset: shown empty
	c.Telegram.Webhook.SecretToken = "hook-secret"
	c.Discord.GuildIDs = []string{"1", "2"}
	out := string(c.YAML(Sources{"telegram.token": "KAZBOT_TELEGRAM_TOKEN", "log.level": "kazbot.yaml"}))
	for _, secret := range []string{"very-secret", "hook-secret"} {
		if strings.Contains(out, secret) {
			t.Errorf("the rendering shows a secret:\n%s", out)
		}
	}
	for _, want := range []string{
		"token: '[redacted]' # from KAZBOT_TELEGRAM_TOKEN",
		"secret_token: '[redacted]'",
		"level: info # from kazbot.yaml",
		"timeout: 10s",
		"guild_ids: [\"1\", \"2\"]",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("rendering lacks %q:\n%s", want, out)
		}
	}
	var discordSection struct {
		Discord struct {
			Token *string `yaml:"token"`
		} `yaml:"discord"`
	}
	if err := yaml.Unmarshal([]byte(out), &discordSection); err != nil {
		t.Fatal(err)
	}
	if discordSection.Discord.Token == nil || *discordSection.Discord.Token != "" {
		t.Errorf("an unset secret should render as an empty string:\n%s", out)
	}
	// The rendering of the defaults (no secrets set) loads back to them.
	path := t.TempDir() + "/round.yaml"
	if err := os.WriteFile(path, Default().YAML(nil), 0o600); err != nil {
		t.Fatal(err)
	}
	back, _, err := Load(path, nil)
	if err != nil || !reflect.DeepEqual(back, Default()) {
		t.Errorf("the rendered defaults load back as %+v, %v", back, err)
	}
}

func TestShardFromHostname(t *testing.T) {
	tests := []struct {
		host    string
		want    int
		wantErr bool
	}{
		{"kazbot-discord-0", 0, false},
		{"kazbot-discord-12", 12, false},
		{"kazbot-discord-3\n", 3, false},
		{"kazbot-discord", 0, true},
		{"kazbot-discord-x", 0, true},
		{"", 0, true},
	}
	for _, tt := range tests {
		t.Run("host "+strings.TrimSpace(tt.host), func(t *testing.T) {
			got, err := ShardFromHostname(tt.host)
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("ShardFromHostname(%q) = %d, %v; want %d, error %v", tt.host, got, err, tt.want, tt.wantErr)
			}
			if err != nil && !strings.Contains(err.Error(), "discord.shard_from_hostname") {
				t.Errorf("error %q does not name the key", err)
			}
		})
	}
}

func TestAdapterConfigsCarryEveryKey(t *testing.T) {
	c := Default()
	c.Shutdown.Timeout = 7 * time.Second
	c.Telegram = Telegram{Token: "1:a", APIURL: "http://127.0.0.1:1", PollTimeout: 3 * time.Second, Workers: 2,
		Webhook: Webhook{Listen: ":8443", PublicURL: "https://x.example", SecretToken: "s", Path: "/p"}}
	c.Discord = Discord{Token: "d", APIURL: "http://127.0.0.1:2/api/v9/", GatewayURL: "ws://127.0.0.1:3/gw",
		GuildIDs: []string{"9"}, MessageContent: true, Prefix: "!q", ShardID: 1, ShardCount: 3}
	wantTG := telegram.Config{Token: "1:a", APIURL: "http://127.0.0.1:1", PollTimeout: 3 * time.Second,
		ShutdownTimeout: 7 * time.Second, Workers: 2,
		Webhook: telegram.WebhookConfig{Listen: ":8443", PublicURL: "https://x.example", SecretToken: "s", Path: "/p"}}
	if got := c.TelegramConfig(); !reflect.DeepEqual(got, wantTG) {
		t.Errorf("TelegramConfig() = %+v,\nwant %+v", got, wantTG)
	}
	wantDC := discord.Config{Token: "d", APIURL: "http://127.0.0.1:2/api/v9/", GatewayURL: "ws://127.0.0.1:3/gw",
		GuildIDs: []string{"9"}, MessageContent: true, Prefix: "!q", ShardID: 1, ShardCount: 3, ShutdownTimeout: 7 * time.Second}
	if got := c.DiscordConfig(); !reflect.DeepEqual(got, wantDC) {
		t.Errorf("DiscordConfig() = %+v,\nwant %+v", got, wantDC)
	}
	if got := c.Enabled(); !slices.Equal(got, []string{"discord", "telegram"}) {
		t.Errorf("Enabled() = %v", got)
	}
	if got := Default().Enabled(); len(got) != 0 {
		t.Errorf("the defaults enable %v, want nothing", got)
	}
}
