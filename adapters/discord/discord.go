// Package discord connects kazbot's engine to Discord through
// github.com/bwmarrin/discordgo.
//
// It owns the transport and the rendering: it registers the slash commands
// (/ask with question autocomplete, /fact with topic autocomplete, /topics,
// /timeline, /help, /about), turns interactions, direct messages, mentions
// and replies to the bot into bot.Requests, and renders each bot.Reply as
// embeds within Discord's limits, with suggestions as buttons and topics as
// a select menu. It keeps the gateway session alive across drops (discordgo
// resumes it), answers every interaction within Discord's three seconds,
// sends allowed_mentions with an empty parse list on every message so no
// text can ping anyone, and stops gracefully.
//
// It must not understand questions: it never scores, searches or words an
// answer. Everything it shows comes from the engine (Handle, Show,
// Complete, CompleteTopic, bot.Commands); it only escapes and transports.
// It never logs the bot token.
//
// discordgo keeps its REST endpoints in package variables, so one process
// runs one Discord adapter, and Run points those variables at
// Config.APIURL.
package discord

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"

	"kazbot/bot"
)

// platform is the adapter's name and bot.Request.Platform.
const platform = "discord"

// defaultDeferAfter is how long an interaction waits for the engine before
// it is deferred (type 5) and answered by an edit: well inside Discord's
// three seconds, including a REST round trip.
const defaultDeferAfter = 1500 * time.Millisecond

// Engine is what the adapter needs from kazbot's engine; *bot.Engine
// satisfies it.
type Engine interface {
	// Handle answers a question or a command.
	Handle(ctx context.Context, req bot.Request) bot.Reply
	// Show answers a button press or a chosen fact (a bot.FactButton or
	// bot.TopicButton payload).
	Show(ctx context.Context, req bot.Request, payload string) bot.Reply
	// Complete suggests fact questions for autocomplete.
	Complete(prefix string, n int) []bot.Suggestion
	// CompleteTopic suggests topics for autocomplete.
	CompleteTopic(prefix string, n int) []bot.TopicRef
}

// Observer is told about events worth counting (metrics). A nil Observer
// is a no-op.
type Observer interface {
	// APIError is called when a Discord API call fails; op names it
	// ("respond", "send_message", "register_commands", ...).
	APIError(platform, op string)
	// Reconnected is called each time the gateway connection comes back
	// after a drop (resumed or re-identified).
	Reconnected(platform string)
}

type nopObserver struct{}

func (nopObserver) APIError(string, string) {}
func (nopObserver) Reconnected(string)      {}

// Option configures an Adapter.
type Option func(*Adapter)

// WithLogger sets the logger (default: discard). The adapter scopes it
// with component=discord.
func WithLogger(l *slog.Logger) Option {
	return func(a *Adapter) {
		if l != nil {
			a.log = l
		}
	}
}

// WithObserver sets who is told about API errors and reconnects (default:
// nobody).
func WithObserver(o Observer) Option {
	return func(a *Adapter) {
		if o != nil {
			a.obs = o
		}
	}
}

// Adapter is a Discord bot serving one engine. Create it with New, then
// call Run once.
type Adapter struct {
	cfg        Config
	eng        Engine
	log        *slog.Logger
	obs        Observer
	scrub      scrubber
	deferAfter time.Duration

	running   atomic.Bool
	stopped   atomic.Bool // no more gateway connections
	connected atomic.Bool
	serving   atomic.Bool
	everConn  atomic.Bool

	idMu  sync.Mutex
	botID string
	appID string

	mu       sync.Mutex
	closing  bool
	inflight sync.WaitGroup
}

// New validates cfg, applies its defaults and returns an adapter over eng.
func New(cfg Config, eng Engine, opts ...Option) (*Adapter, error) {
	if eng == nil {
		return nil, errors.New("discord: no engine")
	}
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, fmt.Errorf("discord config: %w", err)
	}
	a := &Adapter{
		cfg:        cfg,
		eng:        eng,
		log:        slog.New(slog.DiscardHandler),
		obs:        nopObserver{},
		scrub:      newScrubber(cfg.rawToken()),
		deferAfter: defaultDeferAfter,
	}
	for _, o := range opts {
		o(a)
	}
	a.log = a.log.With("component", platform)
	return a, nil
}

// Name returns "discord".
func (a *Adapter) Name() string { return platform }

// Ready reports whether the gateway is connected and the adapter is
// serving (commands registered, not stopping): the /readyz check.
func (a *Adapter) Ready() bool { return a.connected.Load() && a.serving.Load() }

// Run connects to Discord, registers the slash commands and serves until
// ctx is cancelled. Then it stops taking events, lets replies in flight
// finish (at most Config.ShutdownTimeout), closes the session and returns
// nil. A rejected token fails Run with an error that says so and names
// KAZBOT_DISCORD_TOKEN. Run may be called once.
func (a *Adapter) Run(ctx context.Context) error {
	if !a.running.CompareAndSwap(false, true) {
		return errors.New("discord: Run called twice")
	}
	setEndpoints(a.cfg.APIURL)
	routeLibraryLogs(a.log, a.scrub)

	s, err := discordgo.New(a.cfg.botToken())
	if err != nil {
		return fmt.Errorf("discord: new session: %w", a.scrub.err(err))
	}
	var transport http.RoundTripper = http.DefaultTransport.(*http.Transport).Clone()
	if a.cfg.GatewayURL != "" {
		transport = gatewayTransport{next: transport, gatewayURL: a.cfg.GatewayURL}
	}
	s.Client = &http.Client{Timeout: 20 * time.Second, Transport: transport}
	s.Dialer = &websocket.Dialer{
		Proxy:            http.ProxyFromEnvironment,
		HandshakeTimeout: 45 * time.Second,
		// After a stop, discordgo's reconnect loop (if a drop raced the
		// stop) must not bring the session back.
		NetDialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			if a.stopped.Load() {
				return nil, errors.New("adapter stopped")
			}
			var d net.Dialer
			return d.DialContext(ctx, network, addr)
		},
	}
	s.Identify.Intents = a.intents()
	s.ShardID, s.ShardCount = a.cfg.ShardID, max(a.cfg.ShardCount, 1)
	s.SyncEvents = true // our handlers only hand work to goroutines; order matters for connect/disconnect
	s.StateEnabled = false
	s.LogLevel = discordgo.LogWarning

	hctx, cancelHandlers := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelHandlers()
	a.addHandlers(s, hctx)

	a.log.Info("connecting to the gateway", "config", a.cfg)
	if err := a.open(ctx, s); err != nil {
		a.stopped.Store(true)
		if ctx.Err() != nil {
			return nil
		}
		return err
	}
	if err := a.registerCommands(ctx, s); err != nil {
		a.stopped.Store(true)
		a.closeSession(s)
		if ctx.Err() != nil {
			return nil
		}
		return err
	}
	a.serving.Store(true)
	a.log.Info("serving", "shard_id", a.cfg.ShardID, "shard_count", s.ShardCount, "guilds", len(a.cfg.GuildIDs))

	<-ctx.Done()
	a.stop(s, cancelHandlers)
	return nil
}

// intents are the gateway intents: guild and direct messages (mentions and
// DMs carry their content without a privileged intent), plus Message
// Content only when configured.
func (a *Adapter) intents() discordgo.Intent {
	in := discordgo.IntentGuilds | discordgo.IntentGuildMessages | discordgo.IntentDirectMessages
	if a.cfg.MessageContent {
		in |= discordgo.IntentMessageContent
	}
	return in
}

// open opens the gateway session; cancelling ctx abandons the attempt.
func (a *Adapter) open(ctx context.Context, s *discordgo.Session) error {
	errc := make(chan error, 1)
	go func() { errc <- s.Open() }()
	select {
	case err := <-errc:
		if err != nil {
			return a.openError(err)
		}
		return nil
	case <-ctx.Done():
		a.stopped.Store(true)
		select {
		case err := <-errc:
			if err == nil {
				a.closeSession(s)
			}
		case <-time.After(a.cfg.ShutdownTimeout):
			a.log.Warn("gave up waiting for the gateway connection during stop")
		}
		return ctx.Err()
	}
}

// openError explains why the gateway could not be opened.
func (a *Adapter) openError(err error) error {
	if rejected(err) {
		return a.rejectedToken(err)
	}
	var ce *websocket.CloseError
	if errors.As(err, &ce) {
		switch ce.Code {
		case 4010, 4011:
			return fmt.Errorf("discord: the gateway refused the shard settings (discord.shard_id %d, discord.shard_count %d): %w",
				a.cfg.ShardID, a.cfg.ShardCount, a.scrub.err(err))
		case 4013, 4014:
			return fmt.Errorf("discord: the gateway refused the requested intents; enable the Message Content intent in the developer portal or set discord.message_content to false: %w",
				a.scrub.err(err))
		}
	}
	return fmt.Errorf("discord: connect to the gateway: %w", a.scrub.err(err))
}

// rejected reports whether err says the token is invalid: HTTP 401 from the
// REST API or close code 4004 from the gateway.
func rejected(err error) bool {
	var re *discordgo.RESTError
	if errors.As(err, &re) && re.Response != nil && re.Response.StatusCode == http.StatusUnauthorized {
		return true
	}
	var ce *websocket.CloseError
	if errors.As(err, &ce) && ce.Code == 4004 {
		return true
	}
	return errors.Is(err, discordgo.ErrUnauthorized)
}

func (a *Adapter) rejectedToken(err error) error {
	return fmt.Errorf("discord: the bot token was rejected; check %s (the token from the Bot page of the developer portal): %w",
		TokenEnv, a.scrub.err(err))
}

// registerCommands overwrites the slash commands globally, or in each
// configured guild.
func (a *Adapter) registerCommands(ctx context.Context, s *discordgo.Session) error {
	_, appID := a.ids()
	if appID == "" {
		return errors.New("discord: the gateway's READY named no application; cannot register slash commands")
	}
	cmds := applicationCommands()
	guilds := a.cfg.GuildIDs
	if len(guilds) == 0 {
		guilds = []string{""}
	}
	for _, g := range guilds {
		if _, err := s.ApplicationCommandBulkOverwrite(appID, g, cmds, discordgo.WithContext(ctx)); err != nil {
			a.obs.APIError(platform, "register_commands")
			if rejected(err) {
				return a.rejectedToken(err)
			}
			where := "globally"
			if g != "" {
				where = "in guild " + g
			}
			return fmt.Errorf("discord: register slash commands %s: %w", where, a.scrub.err(err))
		}
		a.log.Info("slash commands registered", "guild", g, "count", len(cmds))
	}
	return nil
}

// stop drains handlers in flight (bounded by ShutdownTimeout), then closes
// the session.
func (a *Adapter) stop(s *discordgo.Session, cancelHandlers context.CancelFunc) {
	a.mu.Lock()
	a.closing = true
	a.mu.Unlock()
	a.serving.Store(false) // after closing: once not Ready, no new event starts
	a.log.Info("stopping: waiting for replies in flight", "timeout", a.cfg.ShutdownTimeout)

	drained := make(chan struct{})
	go func() {
		a.inflight.Wait()
		close(drained)
	}()
	timer := time.NewTimer(a.cfg.ShutdownTimeout)
	defer timer.Stop()
	select {
	case <-drained:
	case <-timer.C:
		a.log.Warn("stop: replies still in flight after the shutdown timeout; cancelling them", "timeout", a.cfg.ShutdownTimeout)
	}
	cancelHandlers()
	a.stopped.Store(true)
	a.closeSession(s)
	a.log.Info("stopped")
}

func (a *Adapter) closeSession(s *discordgo.Session) {
	if err := s.Close(); err != nil {
		a.log.Warn("close the gateway session", "err", a.scrub.err(err))
	}
}

// ids returns the bot's user id and application id from READY.
func (a *Adapter) ids() (botID, appID string) {
	a.idMu.Lock()
	defer a.idMu.Unlock()
	return a.botID, a.appID
}

// addHandlers registers the gateway event handlers. discordgo calls them
// synchronously (SyncEvents), so they only record state or hand the work to
// a tracked goroutine.
func (a *Adapter) addHandlers(s *discordgo.Session, hctx context.Context) {
	s.AddHandler(func(_ *discordgo.Session, e *discordgo.Ready) {
		a.idMu.Lock()
		if e.User != nil {
			a.botID = e.User.ID
		}
		if e.Application != nil && e.Application.ID != "" {
			a.appID = e.Application.ID
		} else if a.appID == "" {
			a.appID = a.botID // a bot's application id is its user id
		}
		botID := a.botID
		a.idMu.Unlock()
		a.log.Info("gateway ready", "bot_id", botID)
	})
	s.AddHandler(func(_ *discordgo.Session, _ *discordgo.Resumed) {
		a.log.Info("gateway session resumed")
	})
	s.AddHandler(func(_ *discordgo.Session, _ *discordgo.Connect) {
		a.connected.Store(true)
		if a.everConn.Swap(true) {
			a.obs.Reconnected(platform)
			a.log.Info("gateway reconnected")
		}
	})
	s.AddHandler(func(_ *discordgo.Session, _ *discordgo.Disconnect) {
		a.connected.Store(false)
		if !a.stopped.Load() {
			a.log.Warn("gateway disconnected; reconnecting")
		}
	})
	s.AddHandler(func(s *discordgo.Session, e *discordgo.InteractionCreate) {
		if e.Interaction == nil {
			return
		}
		a.spawn(hctx, "interaction", e.ID, func(ctx context.Context) { a.onInteraction(ctx, s, e.Interaction) })
	})
	s.AddHandler(func(s *discordgo.Session, e *discordgo.MessageCreate) {
		if e.Message == nil {
			return
		}
		a.spawn(hctx, "message", e.ID, func(ctx context.Context) { a.onMessage(ctx, s, e.Message) })
	})
}

// spawn runs fn in a goroutine that a graceful stop waits for, and that
// recovers from a panic (logged with the event id) so one bad event cannot
// stop the bot. Events that arrive while stopping are dropped.
func (a *Adapter) spawn(ctx context.Context, kind, id string, fn func(context.Context)) {
	a.mu.Lock()
	if a.closing {
		a.mu.Unlock()
		a.log.Debug("dropped an event while stopping", "kind", kind, "id", id)
		return
	}
	a.inflight.Add(1)
	a.mu.Unlock()
	go func() {
		defer a.inflight.Done()
		defer a.recoverPanic(kind, id)
		fn(ctx)
	}()
}

func (a *Adapter) recoverPanic(kind, id string) {
	if v := recover(); v != nil {
		a.log.Error("recovered from a panic while handling an event",
			"kind", kind, "id", id, "panic", a.scrub.text(fmt.Sprint(v)))
	}
}
