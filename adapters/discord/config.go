package discord

import (
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"
)

// Defaults for Config.
const (
	// DefaultAPIURL is Discord's REST base URL (API version 9, the version
	// discordgo speaks).
	DefaultAPIURL = "https://discord.com/api/v9/"
	// DefaultPrefix starts a question in a plain channel message when
	// MessageContent is on.
	DefaultPrefix = "!kz"
	// DefaultShutdownTimeout bounds how long a graceful stop waits for
	// replies in flight.
	DefaultShutdownTimeout = 10 * time.Second
	// TokenEnv is the environment variable operators set the bot token in.
	TokenEnv = "KAZBOT_DISCORD_TOKEN"
)

// Config is the adapter's configuration: plain values, so cmd/kazbot can
// fill it from YAML and the environment. Zero values take the documented
// defaults. The token is never logged: Config's String and LogValue
// redact it.
type Config struct {
	// Token is the bot token from the developer portal (with or without the
	// "Bot " prefix). Required; comes from KAZBOT_DISCORD_TOKEN.
	Token string
	// APIURL is the REST base URL, ending in the API version (default
	// DefaultAPIURL). Point it at a REST proxy, or at a fake in tests.
	APIURL string
	// GatewayURL overrides the gateway WebSocket URL (ws:// or wss://).
	// Empty (the default) asks the REST API for it, as Discord recommends.
	GatewayURL string
	// GuildIDs, when set, registers the slash commands in these guilds
	// (updates show at once, good for development) instead of globally.
	GuildIDs []string
	// MessageContent requests the privileged Message Content intent (it
	// must be enabled in the developer portal) and answers plain channel
	// messages that start with Prefix. Off by default: slash commands,
	// direct messages, mentions and replies to the bot need no privileged
	// intent.
	MessageContent bool
	// Prefix starts a question in a plain channel message (default
	// DefaultPrefix). Only used with MessageContent.
	Prefix string
	// ShardID is this process's shard, 0 <= ShardID < ShardCount.
	ShardID int
	// ShardCount is the total number of shards; 0 or 1 means no sharding.
	ShardCount int
	// ShutdownTimeout bounds how long a graceful stop waits for replies in
	// flight (default DefaultShutdownTimeout).
	ShutdownTimeout time.Duration
}

// withDefaults returns c with zero values replaced by the defaults.
func (c Config) withDefaults() Config {
	c.Token = strings.TrimSpace(c.Token)
	if strings.TrimSpace(c.APIURL) == "" {
		c.APIURL = DefaultAPIURL
	}
	c.APIURL = strings.TrimSpace(c.APIURL)
	if !strings.HasSuffix(c.APIURL, "/") {
		c.APIURL += "/"
	}
	c.GatewayURL = strings.TrimSpace(c.GatewayURL)
	c.Prefix = strings.TrimSpace(c.Prefix)
	if c.Prefix == "" {
		c.Prefix = DefaultPrefix
	}
	if c.ShutdownTimeout == 0 {
		c.ShutdownTimeout = DefaultShutdownTimeout
	}
	return c
}

// Validate checks the configuration as New will use it (defaults filled
// in) and returns every problem, each naming its configuration key.
func (c Config) Validate() error { return c.withDefaults().validate() }

// validate checks a config that already has its defaults. Messages name the
// configuration key and say what is wrong.
func (c Config) validate() error {
	var errs []error
	if c.Token == "" || c.Token == "Bot" {
		errs = append(errs, fmt.Errorf("discord.token: no bot token; set %s", TokenEnv))
	}
	if err := checkURL(c.APIURL, "http", "https"); err != nil {
		errs = append(errs, fmt.Errorf("discord.api_url: %w", err))
	}
	if c.GatewayURL != "" {
		if err := checkURL(c.GatewayURL, "ws", "wss"); err != nil {
			errs = append(errs, fmt.Errorf("discord.gateway_url: %w", err))
		} else if strings.ContainsAny(c.GatewayURL, "?#") {
			errs = append(errs, fmt.Errorf("discord.gateway_url: %q must not have a query (the client adds ?v=%s&encoding=json)", c.GatewayURL, "9"))
		}
	}
	for _, g := range c.GuildIDs {
		if !isSnowflake(g) {
			errs = append(errs, fmt.Errorf("discord.guild_ids: %q is not a guild id (a number)", g))
		}
	}
	if strings.ContainsAny(c.Prefix, " \t\n") {
		errs = append(errs, fmt.Errorf("discord.prefix: %q must be one word", c.Prefix))
	}
	switch {
	case c.ShardCount < 0:
		errs = append(errs, fmt.Errorf("discord.shard_count: %d is negative", c.ShardCount))
	case c.ShardID < 0:
		errs = append(errs, fmt.Errorf("discord.shard_id: %d is negative", c.ShardID))
	case c.ShardCount > 0 && c.ShardID >= c.ShardCount:
		errs = append(errs, fmt.Errorf("discord.shard_id: %d must be less than discord.shard_count (%d)", c.ShardID, c.ShardCount))
	case c.ShardCount == 0 && c.ShardID != 0:
		errs = append(errs, fmt.Errorf("discord.shard_id: %d is set but discord.shard_count is not", c.ShardID))
	}
	if c.ShutdownTimeout < 0 {
		errs = append(errs, fmt.Errorf("discord.shutdown_timeout: %v is negative", c.ShutdownTimeout))
	}
	return errors.Join(errs...)
}

func checkURL(raw string, schemes ...string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("%q is not a URL", raw)
	}
	for _, s := range schemes {
		if u.Scheme == s && u.Host != "" {
			return nil
		}
	}
	return fmt.Errorf("%q must be an absolute %s URL", raw, strings.Join(schemes, " or "))
}

func isSnowflake(s string) bool {
	if s == "" || len(s) > 20 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// botToken returns the token in the form discordgo sends it.
func (c Config) botToken() string {
	if strings.HasPrefix(c.Token, "Bot ") {
		return c.Token
	}
	return "Bot " + c.Token
}

// rawToken returns the token without the "Bot " prefix: the secret that
// must never appear in logs or errors.
func (c Config) rawToken() string {
	return strings.TrimSpace(strings.TrimPrefix(c.Token, "Bot "))
}

func redacted(s string) string {
	if s == "" {
		return ""
	}
	return "[redacted]"
}

// String renders the config with the token redacted.
func (c Config) String() string {
	c.Token = redacted(c.Token)
	type plain Config // no methods: no recursion
	return fmt.Sprintf("%+v", plain(c))
}

// LogValue renders the config for log/slog with the token redacted.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("token", redacted(c.Token)),
		slog.String("api_url", c.APIURL),
		slog.String("gateway_url", c.GatewayURL),
		slog.Any("guild_ids", c.GuildIDs),
		slog.Bool("message_content", c.MessageContent),
		slog.String("prefix", c.Prefix),
		slog.Int("shard_id", c.ShardID),
		slog.Int("shard_count", c.ShardCount),
		slog.Duration("shutdown_timeout", c.ShutdownTimeout),
	)
}
