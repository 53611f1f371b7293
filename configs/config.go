// Package configs is kazbot's operator configuration: the Config struct
// with its documented defaults, the loader that reads a YAML file over the
// defaults and then the KAZBOT_<SECTION>_<KEY> environment variables over
// that, and Validate, whose messages name the key at fault. kazbot.yaml,
// beside this file, documents every key with its default.
//
// Secrets (the bot tokens and the webhook secret token) come from the
// environment only: a file that sets one is rejected, and Config.YAML, the
// only rendering this package offers, redacts them.
//
// The package owns no behaviour. cmd/kazbot turns a Config into the
// engine's options and, with TelegramConfig and DiscordConfig, into the
// adapters' own configurations.
package configs

import (
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"

	"kazbot/adapters/discord"
	"kazbot/adapters/telegram"
	"kazbot/bot"
)

// FileEnv is the environment variable that names the configuration file
// when --config is not given.
const FileEnv = "KAZBOT_CONFIG"

// EnvPrefix starts every environment override: KAZBOT_<SECTION>_<KEY>.
const EnvPrefix = "KAZBOT_"

// Redacted replaces a secret that is set, wherever configuration is shown.
const Redacted = "[redacted]"

// Defaults that are kazbot's own (the adapters' defaults are theirs).
const (
	DefaultLogLevel      = "info"
	DefaultLogFormat     = "text"
	DefaultRatePerMinute = 20
	DefaultBurst         = 5
	DefaultHTTPListen    = "127.0.0.1:9090"
	DefaultShutdown      = 10 * time.Second
)

// Config is the whole configuration. Every field has a key (the yaml tags
// joined by dots, such as limits.burst) and an environment variable
// (KAZBOT_LIMITS_BURST). Fields tagged secret are read from the
// environment only.
type Config struct {
	Log       Log       `yaml:"log"`
	Limits    Limits    `yaml:"limits"`
	HTTP      HTTP      `yaml:"http"`
	Knowledge Knowledge `yaml:"knowledge"`
	Shutdown  Shutdown  `yaml:"shutdown"`
	Telegram  Telegram  `yaml:"telegram"`
	Discord   Discord   `yaml:"discord"`
}

// Log configures the process's log.
type Log struct {
	// Level is the least severe level written: debug, info, warn or error.
	Level string `yaml:"level"`
	// Format is text (logfmt-like key=value lines) or json (one object a
	// line).
	Format string `yaml:"format"`
}

// Limits protect the bot from floods and oversized input.
type Limits struct {
	// RatePerMinute is how many requests one user (per platform) may send
	// per minute on average; 0 turns the limit off.
	RatePerMinute float64 `yaml:"rate_per_minute"`
	// Burst is how many requests a user may send at once before the rate
	// applies.
	Burst int `yaml:"burst"`
	// MaxInput is the longest question, in characters, the engine reads;
	// longer ones get a reply asking for a shorter question.
	MaxInput int `yaml:"max_input"`
}

// HTTP configures the operator listener (/healthz, /readyz, /metrics).
type HTTP struct {
	// Listen is the listener's host:port; "" turns it off.
	Listen string `yaml:"listen"`
}

// Knowledge says which knowledge pack answers.
type Knowledge struct {
	// Dir is a pack directory; "" is the built-in pack. SIGHUP reloads it.
	Dir string `yaml:"dir"`
}

// Shutdown configures a graceful stop.
type Shutdown struct {
	// Timeout bounds how long a stop waits for replies in flight.
	Timeout time.Duration `yaml:"timeout"`
}

// Telegram configures the Telegram adapter; it runs when Token is set.
type Telegram struct {
	// Token is the bot token from @BotFather (environment only).
	Token string `yaml:"token" secret:"true"`
	// APIURL is the Bot API server.
	APIURL string `yaml:"api_url"`
	// PollTimeout is the long-polling timeout of one getUpdates call.
	PollTimeout time.Duration `yaml:"poll_timeout"`
	// Workers is how many updates are handled at once.
	Workers int `yaml:"workers"`
	// Webhook switches from long polling to a webhook when Listen is set.
	Webhook Webhook `yaml:"webhook"`
}

// Webhook configures Telegram's webhook mode.
type Webhook struct {
	// Listen is the webhook listener's host:port; "" means long polling.
	Listen string `yaml:"listen"`
	// PublicURL is the https base URL Telegram posts updates to.
	PublicURL string `yaml:"public_url"`
	// SecretToken is the secret Telegram sends with every update
	// (environment only).
	SecretToken string `yaml:"secret_token" secret:"true"`
	// Path is the path the webhook is served on.
	Path string `yaml:"path"`
}

// Discord configures the Discord adapter; it runs when Token is set.
type Discord struct {
	// Token is the bot token from the developer portal (environment only).
	Token string `yaml:"token" secret:"true"`
	// APIURL is the REST base URL, ending in the API version.
	APIURL string `yaml:"api_url"`
	// GatewayURL overrides the gateway URL; "" asks the REST API.
	GatewayURL string `yaml:"gateway_url"`
	// GuildIDs registers the slash commands in these guilds only.
	GuildIDs []string `yaml:"guild_ids"`
	// MessageContent turns on the privileged Message Content intent and
	// answers channel messages that start with Prefix.
	MessageContent bool `yaml:"message_content"`
	// Prefix starts a question in a plain channel message.
	Prefix string `yaml:"prefix"`
	// ShardID is this process's shard, below ShardCount.
	ShardID int `yaml:"shard_id"`
	// ShardCount is the total number of shards; 1 means no sharding.
	ShardCount int `yaml:"shard_count"`
	// ShardFromHostname takes ShardID from the number that ends the host
	// name (kazbot-discord-2 is shard 2): a Kubernetes StatefulSet's pod
	// ordinal.
	ShardFromHostname bool `yaml:"shard_from_hostname"`
}

// Default returns the configuration with every default applied and no
// platform enabled.
func Default() Config {
	return Config{
		Log:      Log{Level: DefaultLogLevel, Format: DefaultLogFormat},
		Limits:   Limits{RatePerMinute: DefaultRatePerMinute, Burst: DefaultBurst, MaxInput: bot.DefaultMaxInput},
		HTTP:     HTTP{Listen: DefaultHTTPListen},
		Shutdown: Shutdown{Timeout: DefaultShutdown},
		Telegram: Telegram{
			APIURL:      telegram.DefaultAPIURL,
			PollTimeout: telegram.DefaultPollTimeout,
			Workers:     telegram.DefaultWorkers,
			Webhook:     Webhook{Path: telegram.DefaultWebhookPath},
		},
		Discord: Discord{
			APIURL:     discord.DefaultAPIURL,
			GuildIDs:   []string{},
			Prefix:     discord.DefaultPrefix,
			ShardCount: 1,
		},
	}
}

// Enabled returns the names of the platforms whose token is set, in the
// order serve starts them.
func (c Config) Enabled() []string {
	var out []string
	if c.Discord.Token != "" {
		out = append(out, "discord")
	}
	if c.Telegram.Token != "" {
		out = append(out, "telegram")
	}
	return out
}

// TelegramConfig is the Telegram adapter's configuration.
func (c Config) TelegramConfig() telegram.Config {
	return telegram.Config{
		Token:           c.Telegram.Token,
		APIURL:          c.Telegram.APIURL,
		PollTimeout:     c.Telegram.PollTimeout,
		ShutdownTimeout: max(c.Shutdown.Timeout, 0),
		Workers:         c.Telegram.Workers,
		Webhook: telegram.WebhookConfig{
			Listen:      c.Telegram.Webhook.Listen,
			PublicURL:   c.Telegram.Webhook.PublicURL,
			SecretToken: c.Telegram.Webhook.SecretToken,
			Path:        c.Telegram.Webhook.Path,
		},
	}
}

// DiscordConfig is the Discord adapter's configuration.
func (c Config) DiscordConfig() discord.Config {
	return discord.Config{
		Token:           c.Discord.Token,
		APIURL:          c.Discord.APIURL,
		GatewayURL:      c.Discord.GatewayURL,
		GuildIDs:        c.Discord.GuildIDs,
		MessageContent:  c.Discord.MessageContent,
		Prefix:          c.Discord.Prefix,
		ShardID:         c.Discord.ShardID,
		ShardCount:      c.Discord.ShardCount,
		ShutdownTimeout: max(c.Shutdown.Timeout, 0),
	}
}

// Key describes one configuration key.
type Key struct {
	// Name is the dotted key, such as telegram.webhook.secret_token.
	Name string
	// Env is the environment variable that overrides it.
	Env string
	// Secret keys are read from the environment only and always redacted.
	Secret bool

	index []int
	typ   reflect.Type
}

// keys lists every key in Config's field order.
var keys = collectKeys(reflect.TypeFor[Config](), "", nil)

// Keys returns every configuration key, in the order kazbot.yaml and
// `kazbot config` list them.
func Keys() []Key { return append([]Key(nil), keys...) }

func collectKeys(t reflect.Type, prefix string, index []int) []Key {
	var out []Key
	for i := range t.NumField() {
		f := t.Field(i)
		name := prefix + yamlName(f)
		idx := append(append([]int(nil), index...), i)
		if isSection(f.Type) {
			out = append(out, collectKeys(f.Type, name+".", idx)...)
			continue
		}
		out = append(out, Key{
			Name:   name,
			Env:    envName(name),
			Secret: f.Tag.Get("secret") == "true",
			index:  idx,
			typ:    f.Type,
		})
	}
	return out
}

func yamlName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
	if name == "" {
		panic(fmt.Sprintf("configs: field %s has no yaml tag", f.Name))
	}
	return name
}

// isSection reports whether a field of type t holds more keys.
func isSection(t reflect.Type) bool { return t.Kind() == reflect.Struct }

// envName is the environment variable of key.
func envName(key string) string {
	return EnvPrefix + strings.ToUpper(strings.ReplaceAll(key, ".", "_"))
}

// value returns the field of key k in c.
func (k Key) value(c *Config) reflect.Value {
	return reflect.ValueOf(c).Elem().FieldByIndex(k.index)
}

var durationType = reflect.TypeFor[time.Duration]()

// set parses text into the field of key k: the syntax of environment
// variables and YAML scalars alike.
func (k Key) set(c *Config, text string) error {
	v := k.value(c)
	text = strings.TrimSpace(text)
	switch {
	case k.typ == durationType:
		d, err := time.ParseDuration(text)
		if err != nil {
			return fmt.Errorf("%q is not a duration (write it like 10s, 1m30s or 500ms)", text)
		}
		v.SetInt(int64(d))
	case k.typ.Kind() == reflect.String:
		v.SetString(text)
	case k.typ.Kind() == reflect.Int:
		n, err := strconv.Atoi(text)
		if err != nil {
			return fmt.Errorf("%q is not a whole number", text)
		}
		v.SetInt(int64(n))
	case k.typ.Kind() == reflect.Float64:
		f, err := strconv.ParseFloat(text, 64)
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			return fmt.Errorf("%q is not a number", text)
		}
		v.SetFloat(f)
	case k.typ.Kind() == reflect.Bool:
		switch strings.ToLower(text) {
		case "true":
			v.SetBool(true)
		case "false":
			v.SetBool(false)
		default:
			return fmt.Errorf("%q is not true or false", text)
		}
	case k.typ.Kind() == reflect.Slice && k.typ.Elem().Kind() == reflect.String:
		list := []string{}
		for _, s := range strings.Split(text, ",") {
			if s = strings.TrimSpace(s); s != "" {
				list = append(list, s)
			}
		}
		v.Set(reflect.ValueOf(list))
	default:
		panic(fmt.Sprintf("configs: key %s has unsupported type %s", k.Name, k.typ))
	}
	return nil
}

// text renders the field of key k as a YAML scalar's text, secrets
// redacted.
func (k Key) text(c *Config) any {
	v := k.value(c)
	switch {
	case k.Secret:
		if v.String() != "" {
			return Redacted
		}
		return ""
	case k.typ == durationType:
		return time.Duration(v.Int()).String()
	case k.typ.Kind() == reflect.Slice:
		if v.Len() == 0 {
			return []string{}
		}
	}
	return v.Interface()
}
