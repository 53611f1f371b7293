package configs

import (
	"errors"
	"fmt"
	"net"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"kazbot/adapters/telegram"
)

// Validate checks the configuration and returns every problem at once
// (errors.Join), each starting with its key: "limits.burst: must be at
// least 1, got 0". It includes the adapters' own checks of their keys. A
// platform without a token is not an error: it is simply not run, and
// its other keys are still checked.
func (c Config) Validate() error {
	var errs []error
	bad := func(key, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", key, fmt.Sprintf(format, args...)))
	}
	switch c.Log.Level {
	case "debug", "info", "warn", "error":
	default:
		bad("log.level", "must be debug, info, warn or error, got %q", c.Log.Level)
	}
	switch c.Log.Format {
	case "text", "json":
	default:
		bad("log.format", "must be text or json, got %q", c.Log.Format)
	}
	if c.Limits.RatePerMinute < 0 {
		bad("limits.rate_per_minute", "must not be negative (0 turns the limit off), got %v", c.Limits.RatePerMinute)
	}
	if c.Limits.Burst < 1 {
		bad("limits.burst", "must be at least 1, got %d", c.Limits.Burst)
	}
	if c.Limits.MaxInput < 1 || c.Limits.MaxInput > telegram.MaxInput {
		bad("limits.max_input", "must be between 1 and %d characters, got %d", telegram.MaxInput, c.Limits.MaxInput)
	}
	if c.HTTP.Listen != "" {
		if err := checkAddr(c.HTTP.Listen); err != nil {
			bad("http.listen", "%v", err)
		}
	}
	if c.Shutdown.Timeout <= 0 {
		bad("shutdown.timeout", "must be positive, got %s", c.Shutdown.Timeout)
	}
	errs = append(errs, c.validateTelegram()...)
	errs = append(errs, c.validateDiscord()...)
	return errors.Join(errs...)
}

// Placeholders stand in for a missing token, so the adapters check the
// other keys of a platform that is not enabled.
const (
	telegramPlaceholder = "0:placeholder"
	discordPlaceholder  = "placeholder"
)

func (c Config) validateTelegram() []error {
	var errs []error
	tc := c.TelegramConfig()
	if tc.Token == "" {
		tc.Token = telegramPlaceholder
	}
	errs = append(errs, flatten(tc.Validate())...)
	if w := c.Telegram.Webhook.Listen; w != "" {
		if err := checkAddr(w); err != nil {
			errs = append(errs, fmt.Errorf("telegram.webhook.listen: %w", err))
		} else if sameAddr(w, c.HTTP.Listen) {
			errs = append(errs, fmt.Errorf("telegram.webhook.listen: %q is also http.listen; give the webhook its own port", w))
		}
	}
	return errs
}

func (c Config) validateDiscord() []error {
	var errs []error
	dc := c.DiscordConfig()
	if dc.Token == "" {
		dc.Token = discordPlaceholder
	}
	if err := dc.Validate(); err != nil {
		errs = append(errs, flatten(err)...)
	}
	if c.Discord.ShardFromHostname && c.Discord.ShardCount < 2 {
		errs = append(errs, fmt.Errorf("discord.shard_from_hostname: needs discord.shard_count of 2 or more, got %d", c.Discord.ShardCount))
	}
	return errs
}

// flatten lists the problems in err: the leaves of errors.Join trees,
// looking through wrapping such as "discord config: %w".
func flatten(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, flatten(e)...)
		}
		return out
	}
	if inner := errors.Unwrap(err); inner != nil {
		if _, ok := inner.(interface{ Unwrap() []error }); ok {
			return flatten(inner)
		}
	}
	return []error{err}
}

// checkAddr checks a listen address: host:port, the port a number.
func checkAddr(addr string) error {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("%q is not host:port (for example 127.0.0.1:9090 or :9090)", addr)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return fmt.Errorf("%q has no valid port number", addr)
	}
	return nil
}

// sameAddr reports whether two listen addresses would collide: the same
// fixed port on hosts that overlap.
func sameAddr(a, b string) bool {
	ha, pa, err1 := net.SplitHostPort(a)
	hb, pb, err2 := net.SplitHostPort(b)
	if err1 != nil || err2 != nil || pa != pb || pa == "0" {
		return false
	}
	wild := func(h string) bool { return h == "" || h == "0.0.0.0" || h == "::" }
	return ha == hb || wild(ha) || wild(hb)
}

// ShardFromHostname returns the number that ends host after its last
// dash: a StatefulSet pod's ordinal ("kazbot-discord-2" is 2).
func ShardFromHostname(host string) (int, error) {
	m := ordinalRx.FindStringSubmatch(strings.TrimSpace(host))
	if m == nil {
		return 0, fmt.Errorf("discord.shard_from_hostname: host name %q does not end in -<number> (a StatefulSet pod name such as kazbot-discord-0)", host)
	}
	n, err := strconv.Atoi(m[1])
	if err != nil {
		return 0, fmt.Errorf("discord.shard_from_hostname: host name %q: %w", host, err)
	}
	return n, nil
}

var ordinalRx = regexp.MustCompile(`-([0-9]{1,6})$`)

// YAML renders the configuration as YAML in kazbot.yaml's layout, with
// every secret that is set shown as [redacted] and every unset one as "".
// src, when not nil, adds a comment naming where each value that is not
// the default came from.
func (c Config) YAML(src Sources) []byte {
	root := &yaml.Node{Kind: yaml.MappingNode}
	sections := map[string]*yaml.Node{"": root}
	for _, k := range keys {
		parent := ""
		parts := strings.Split(k.Name, ".")
		for _, p := range parts[:len(parts)-1] {
			path := strings.TrimPrefix(parent+"."+p, ".")
			if sections[path] == nil {
				m := &yaml.Node{Kind: yaml.MappingNode}
				sections[parent].Content = append(sections[parent].Content,
					&yaml.Node{Kind: yaml.ScalarNode, Value: p}, m)
				sections[path] = m
			}
			parent = path
		}
		val := &yaml.Node{}
		if err := val.Encode(k.text(&c)); err != nil {
			panic(fmt.Sprintf("configs: encode %s: %v", k.Name, err)) // only plain values
		}
		if val.Kind == yaml.SequenceNode {
			val.Style = yaml.FlowStyle
		}
		if from, ok := src[k.Name]; ok {
			val.LineComment = "from " + from
		}
		sections[parent].Content = append(sections[parent].Content,
			&yaml.Node{Kind: yaml.ScalarNode, Value: parts[len(parts)-1]}, val)
	}
	var b strings.Builder
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(root); err != nil {
		panic(fmt.Sprintf("configs: encode: %v", err))
	}
	_ = enc.Close()
	return []byte(b.String())
}
