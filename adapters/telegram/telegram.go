// Package telegram connects kazbot's engine to Telegram through the Bot API,
// using gopkg.in/telebot.v3.
//
// The package owns the Telegram transport: long polling or a webhook, the
// command menu, per-chat ordering of updates, flood-control retries, and the
// rendering of an engine reply as Telegram HTML with an inline keyboard. It
// turns every update it accepts into a bot.Request and every bot.Reply into
// Telegram messages, callback answers or inline results.
//
// It must not make answering decisions: it never scores, searches or words
// an answer. Everything it shows comes from the engine (Handle, Show,
// Search, bot.Commands); it only escapes and transports it.
//
// Two telebot behaviours shape the design. Bot.Stop cancels every request in
// flight, and telebot's built-in webhook poller panics on Stop; so the
// adapter never calls Start or Stop. It polls getUpdates itself (or serves
// the webhook with its own http.Handler) and feeds Bot.ProcessUpdate from a
// pool of workers that keeps each chat's updates in order.
package telegram

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	tele "gopkg.in/telebot.v3"

	"kazbot/bot"
)

// Platform is the name the adapter reports to the engine and the observer.
const Platform = "telegram"

// TokenEnv is the environment variable operators set the bot token in.
const TokenEnv = "KAZBOT_TELEGRAM_TOKEN"

// Defaults for Config.
const (
	// DefaultAPIURL is the public Bot API server.
	DefaultAPIURL = "https://api.telegram.org"
	// DefaultPollTimeout is how long one getUpdates call waits for updates.
	DefaultPollTimeout = 10 * time.Second
	// DefaultShutdownTimeout bounds how long a stop waits for replies in
	// flight.
	DefaultShutdownTimeout = 10 * time.Second
	// DefaultWorkers is how many updates are handled at once (each chat's
	// updates one after another).
	DefaultWorkers = 8
	// DefaultWebhookPath is the path the webhook is served on.
	DefaultWebhookPath = "/telegram/webhook"
)

// Limits the adapter enforces.
const (
	// MaxMessage is Telegram's limit on one message's text; replies are
	// split into messages of at most this many bytes of HTML.
	MaxMessage = 4096
	// MaxInput is the most characters of user text the adapter passes on
	// (Telegram's own message limit); the engine applies its own, smaller
	// cap and says so when a question is too long.
	MaxInput = 4096
	// MaxInlineResults is the most results an inline query gets.
	MaxInlineResults = 10
	// maxQuery is the longest inline query Telegram sends (in characters).
	maxQuery = 256
	// maxCallbackText is Telegram's limit on a callback answer's text.
	maxCallbackText = 200
	// maxCallbackData is Telegram's limit on a button's callback data.
	maxCallbackData = 64
)

// allowedUpdates are the update types the adapter asks Telegram for; edited
// messages, channel posts and the rest are never delivered.
var allowedUpdates = []string{"message", "callback_query", "inline_query"}

// Config configures the adapter. The zero value of every field except
// Token means its default.
type Config struct {
	// Token is the bot token from @BotFather (from KAZBOT_TELEGRAM_TOKEN).
	// It is never logged: String and LogValue redact it.
	Token string
	// APIURL is the Bot API server, without a trailing slash (default
	// DefaultAPIURL); set it for a self-hosted Bot API server or a test fake.
	APIURL string
	// PollTimeout is the long-polling timeout of one getUpdates call, in
	// whole seconds (default DefaultPollTimeout). A stop does not wait for
	// it: the pending call is cancelled.
	PollTimeout time.Duration
	// ShutdownTimeout bounds how long a stop waits for replies in flight
	// (default DefaultShutdownTimeout).
	ShutdownTimeout time.Duration
	// Workers is how many updates are handled concurrently (default
	// DefaultWorkers). Updates of one chat are always handled in order.
	Workers int
	// Webhook, when Webhook.Listen is set, receives updates by webhook
	// instead of long polling.
	Webhook WebhookConfig
}

// WebhookConfig configures webhook mode.
type WebhookConfig struct {
	// Listen is the address the webhook listener binds ("0.0.0.0:8443").
	// Empty means long polling.
	Listen string
	// PublicURL is the externally reachable base URL Telegram posts to
	// ("https://bot.example.com"); the webhook URL is PublicURL+Path.
	PublicURL string
	// SecretToken is sent by Telegram in X-Telegram-Bot-Api-Secret-Token
	// on every webhook request; requests without it are refused. 1-256
	// characters of A-Z, a-z, 0-9, _ and -. Required in webhook mode.
	SecretToken string
	// Path is the path the webhook is served on (default
	// DefaultWebhookPath).
	Path string
}

const redacted = "[redacted]"

// String renders the configuration with the token and webhook secret
// redacted.
func (c Config) String() string {
	type plain Config
	return fmt.Sprintf("%+v", plain(c.redacted()))
}

// LogValue renders the configuration for slog with secrets redacted.
func (c Config) LogValue() slog.Value {
	r := c.redacted()
	return slog.GroupValue(
		slog.String("token", r.Token),
		slog.String("api_url", r.APIURL),
		slog.Duration("poll_timeout", r.PollTimeout),
		slog.Duration("shutdown_timeout", r.ShutdownTimeout),
		slog.Int("workers", r.Workers),
		slog.String("webhook_listen", r.Webhook.Listen),
		slog.String("webhook_public_url", r.Webhook.PublicURL),
		slog.String("webhook_secret_token", r.Webhook.SecretToken),
		slog.String("webhook_path", r.Webhook.Path),
	)
}

func (c Config) redacted() Config {
	if c.Token != "" {
		c.Token = redacted
	}
	if c.Webhook.SecretToken != "" {
		c.Webhook.SecretToken = redacted
	}
	return c
}

// withDefaults fills in the defaults of zero fields.
func (c Config) withDefaults() Config {
	if c.APIURL == "" {
		c.APIURL = DefaultAPIURL
	}
	c.APIURL = strings.TrimRight(c.APIURL, "/")
	if c.PollTimeout == 0 {
		c.PollTimeout = DefaultPollTimeout
	}
	if c.ShutdownTimeout == 0 {
		c.ShutdownTimeout = DefaultShutdownTimeout
	}
	if c.Workers == 0 {
		c.Workers = DefaultWorkers
	}
	c.Webhook.PublicURL = strings.TrimRight(c.Webhook.PublicURL, "/")
	if c.Webhook.Path == "" {
		c.Webhook.Path = DefaultWebhookPath
	}
	return c
}

var (
	secretRx = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)
	pathRx   = regexp.MustCompile(`^/[A-Za-z0-9/_.~-]*$`)
)

// Validate checks the configuration after defaults are applied; each error
// names the configuration key.
func (c Config) Validate() error {
	c = c.withDefaults()
	var errs []error
	bad := func(key, format string, args ...any) {
		errs = append(errs, fmt.Errorf("telegram.%s: %s", key, fmt.Sprintf(format, args...)))
	}
	switch {
	case c.Token == "":
		bad("token", "is required (set %s)", TokenEnv)
	case strings.ContainsAny(c.Token, " \t\r\n/?#%"):
		bad("token", "is not a bot token: it contains spaces or URL characters (check %s)", TokenEnv)
	}
	if u, err := url.Parse(c.APIURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		bad("api_url", "must be an http or https URL like %s, got %q", DefaultAPIURL, c.APIURL)
	}
	if c.PollTimeout < time.Second || c.PollTimeout > 10*time.Minute {
		bad("poll_timeout", "must be between 1s and 10m, got %s", c.PollTimeout)
	}
	if c.ShutdownTimeout < 0 {
		bad("shutdown_timeout", "must not be negative, got %s", c.ShutdownTimeout)
	}
	if c.Workers < 1 || c.Workers > 1024 {
		bad("workers", "must be between 1 and 1024, got %d", c.Workers)
	}
	w := c.Webhook
	if w.Listen == "" {
		if w.PublicURL != "" || w.SecretToken != "" {
			bad("webhook.listen", "is required when webhook.public_url or webhook.secret_token is set")
		}
	} else {
		if u, err := url.Parse(w.PublicURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
			bad("webhook.public_url", "must be the https URL Telegram can reach this listener at, got %q", w.PublicURL)
		}
		if !secretRx.MatchString(w.SecretToken) {
			bad("webhook.secret_token", "is required in webhook mode: 1-256 characters of A-Z, a-z, 0-9, _ and -")
		}
		if !pathRx.MatchString(w.Path) {
			bad("webhook.path", "must start with / and hold only letters, digits and /_.~-, got %q", w.Path)
		}
	}
	return errors.Join(errs...)
}

// Engine is what the adapter needs from kazbot's engine; *bot.Engine
// satisfies it.
type Engine interface {
	// Handle answers a question or a command.
	Handle(ctx context.Context, req bot.Request) bot.Reply
	// Show answers a button press; payload is the button's data.
	Show(ctx context.Context, req bot.Request, payload string) bot.Reply
	// Search lists up to n facts for an inline query.
	Search(ctx context.Context, q string, n int) []bot.Reply
}

// Observer is told about platform trouble, for metrics. Methods must be
// safe for concurrent use and return quickly.
type Observer interface {
	// APIError is called once per failed Bot API call (op is the method).
	APIError(platform, op string)
	// Reconnected is called when polling works again after failures.
	Reconnected(platform string)
}

// *bot.Engine is the engine the adapter is built for.
var _ Engine = (*bot.Engine)(nil)

type nopObserver struct{}

func (nopObserver) APIError(string, string) {}
func (nopObserver) Reconnected(string)      {}

// Option configures an Adapter.
type Option func(*Adapter)

// WithLogger sets the logger (default: discard). The adapter adds
// "component"="telegram".
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

// Adapter serves one Telegram bot. Create it with New and start it with Run.
type Adapter struct {
	cfg  Config
	eng  Engine
	log  *slog.Logger
	obs  Observer
	send *sender

	started atomic.Bool
	ready   atomic.Bool

	// Set by Run before any update is handled.
	boot *tele.Bot       // start-up calls; aborted by Run's ctx
	bot  *tele.Bot       // serving: ProcessUpdate and replies
	ctx  context.Context // handlers' context: cancelled at the shutdown deadline
	disp atomic.Pointer[dispatcher]

	mu          sync.Mutex
	webhookAddr string
}

// New validates cfg and returns an adapter that answers with eng. It does
// not touch the network; Run connects.
func New(cfg Config, eng Engine, opts ...Option) (*Adapter, error) {
	if eng == nil {
		return nil, errors.New("telegram: engine is nil")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	a := &Adapter{
		cfg: cfg.withDefaults(),
		eng: eng,
		log: slog.New(slog.DiscardHandler),
		obs: nopObserver{},
	}
	for _, o := range opts {
		o(a)
	}
	a.log = a.log.With("component", Platform)
	a.send = &sender{a: a}
	return a, nil
}

// Name returns "telegram".
func (a *Adapter) Name() string { return Platform }

// Ready reports whether the adapter is connected and serving updates.
func (a *Adapter) Ready() bool { return a.ready.Load() }

// WebhookAddr returns the address the webhook listener is bound to, once
// Run has started it in webhook mode ("" otherwise).
func (a *Adapter) WebhookAddr() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.webhookAddr
}

// tokenError is returned when the Bot API refuses the token.
type tokenError struct{ detail string }

func (e *tokenError) Error() string {
	return fmt.Sprintf("telegram: the bot token was rejected (%s); check %s", e.detail, TokenEnv)
}

// Run connects, serves updates until ctx is cancelled, then stops
// gracefully: it stops taking updates, lets the replies in flight finish
// (bounded by Config.ShutdownTimeout) and returns nil. It returns an error
// when the token is rejected or the adapter cannot start. Run may be called
// once.
func (a *Adapter) Run(ctx context.Context) error {
	if !a.started.CompareAndSwap(false, true) {
		return errors.New("telegram: Run called twice")
	}
	// hard is the context of handling updates and sending replies. It
	// outlives ctx so replies in flight finish after a stop, and is
	// cancelled only at the shutdown deadline. Start-up calls use ctx.
	hard, hardCancel := context.WithCancel(context.WithoutCancel(ctx))
	defer hardCancel()

	b, err := a.connect(ctx, hard)
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return err
	}
	a.bot, a.ctx = b, hard
	a.register(b)
	a.setCommands(ctx)

	d := newDispatcher(hard, a.cfg.Workers, a.process)
	if a.cfg.Webhook.Listen != "" {
		return a.serveWebhook(ctx, d, hardCancel)
	}
	return a.servePolling(ctx, d, hardCancel)
}

// servePolling takes updates by long polling until ctx is cancelled.
func (a *Adapter) servePolling(ctx context.Context, d *dispatcher, hardCancel context.CancelFunc) error {
	a.prepareLongPolling(ctx)
	if ctx.Err() != nil { // stopped while starting
		a.drain(d, hardCancel, time.Now())
		return nil
	}
	a.disp.Store(d)
	a.log.Info("serving telegram updates by long polling", "bot", a.bot.Me.Username, "workers", a.cfg.Workers)
	p := newPoller(a)
	err := p.run(ctx, d)
	a.ready.Store(false)
	a.disp.Store(nil)
	a.drain(d, hardCancel, time.Now().Add(a.cfg.ShutdownTimeout))
	p.confirm(context.WithoutCancel(ctx), d)
	return err
}

// serveWebhook registers the webhook and serves it until ctx is cancelled.
func (a *Adapter) serveWebhook(ctx context.Context, d *dispatcher, hardCancel context.CancelFunc) error {
	// Telegram may deliver as soon as setWebhook is through: take updates
	// from the start.
	a.disp.Store(d)
	srv, err := a.startWebhook(ctx)
	if err != nil {
		a.disp.Store(nil)
		a.drain(d, hardCancel, time.Now().Add(a.cfg.ShutdownTimeout))
		if ctx.Err() != nil {
			return nil
		}
		return err
	}
	if ctx.Err() == nil {
		a.ready.Store(true)
		a.log.Info("serving telegram updates by webhook", "bot", a.bot.Me.Username,
			"listen", a.WebhookAddr(), "workers", a.cfg.Workers)
		<-ctx.Done()
	}
	// Stop taking updates: new webhook requests get 503 and Telegram
	// delivers them again later (to another replica behind the balancer).
	// The webhook stays registered for the other replicas.
	a.ready.Store(false)
	a.disp.Store(nil)
	deadline := time.Now().Add(a.cfg.ShutdownTimeout)
	sctx, cancel := context.WithDeadline(context.WithoutCancel(ctx), deadline)
	if err := srv.Shutdown(sctx); err != nil {
		a.log.Warn("webhook listener did not stop cleanly", "err", err)
	}
	cancel()
	a.drain(d, hardCancel, deadline)
	return nil
}

// drain stops taking updates and waits for the queued ones, up to the
// shutdown deadline; past it, sends in flight are aborted and the rest
// dropped.
func (a *Adapter) drain(d *dispatcher, hardCancel context.CancelFunc, deadline time.Time) {
	d.close()
	timer := time.NewTimer(time.Until(deadline))
	defer timer.Stop()
	select {
	case <-d.drained:
	default:
		select {
		case <-d.drained:
		case <-timer.C:
			a.log.Warn("shutdown deadline passed; abandoning replies in flight",
				"timeout", a.cfg.ShutdownTimeout, "pending", d.pendingCount())
			hardCancel()
			<-d.drained
		}
	}
	d.stop()
	if n := d.droppedCount(); n > 0 {
		a.log.Warn("updates not answered because of the shutdown deadline", "count", n)
	}
	a.send.closeIdle()
	a.log.Info("telegram adapter stopped")
}

// connect checks the token with getMe and returns the client that serves
// updates. A rejected token is an error at once; other failures (network,
// 5xx) are logged and retried with backoff until ctx is done, so a platform
// outage at start-up does not stop the process (Ready stays false
// meanwhile).
//
// There are two telebot clients. The start-up one (a.boot: getMe,
// setMyCommands, webhook calls) is aborted by ctx, so a stop during
// start-up is prompt. The serving one sends replies; its requests are
// aborted only at the shutdown deadline (hard), so a stop lets them finish.
func (a *Adapter) connect(ctx, hard context.Context) (*tele.Bot, error) {
	bootClient := newSendClient(ctx)
	defer bootClient.CloseIdleConnections()
	backoff := minBackoff
	for {
		boot, err := tele.NewBot(tele.Settings{
			URL:     a.cfg.APIURL,
			Token:   a.cfg.Token,
			Client:  bootClient,
			OnError: a.onHandlerError,
		})
		switch {
		case err == nil && (boot.Me == nil || boot.Me.Username == ""):
			return nil, fmt.Errorf("telegram: getMe at %s returned no bot username", a.cfg.APIURL)
		case err == nil:
			a.boot = boot
			a.send.client = newSendClient(hard)
			b, err := tele.NewBot(tele.Settings{
				URL:         a.cfg.APIURL,
				Token:       a.cfg.Token,
				Synchronous: true, // ProcessUpdate runs the handler on our worker
				Offline:     true, // getMe is done
				Client:      a.send.client,
				OnError:     a.onHandlerError,
			})
			if err != nil {
				return nil, fmt.Errorf("telegram: %w", a.redact(err))
			}
			b.Me = boot.Me
			return b, nil
		case errors.Is(err, tele.ErrUnauthorized):
			return nil, &tokenError{detail: "getMe returned 401 Unauthorized"}
		case errors.Is(err, tele.ErrNotFound):
			return nil, &tokenError{detail: fmt.Sprintf("getMe returned 404 Not Found; if %s is a self-hosted Bot API server, check its URL too", a.cfg.APIURL)}
		}
		a.obs.APIError(Platform, "getMe")
		a.log.Warn("cannot reach the Telegram Bot API; retrying", "api_url", a.cfg.APIURL,
			"retry_in", backoff, "err", a.redact(err))
		if sleep(ctx, backoff) != nil {
			return nil, fmt.Errorf("telegram: connect to %s: %w", a.cfg.APIURL, a.redact(err))
		}
		backoff = min(2*backoff, maxBackoff)
	}
}

// setCommands registers the command menu. A failure is logged: the bot
// works without a menu.
func (a *Adapter) setCommands(ctx context.Context) {
	cmds := commandMenu()
	err := a.send.call(ctx, "setMyCommands", nil, func() error { return a.boot.SetCommands(cmds) })
	if err == nil {
		a.log.Debug("command menu registered", "commands", len(cmds))
	}
}

// prepareLongPolling removes a webhook left from webhook mode: while one is
// set, getUpdates fails with 409 Conflict. Pending updates are kept.
func (a *Adapter) prepareLongPolling(ctx context.Context) {
	var info *tele.Webhook
	err := a.send.call(ctx, "getWebhookInfo", nil, func() (err error) {
		info, err = a.boot.Webhook()
		return err
	})
	if err != nil || info == nil || info.Listen == "" {
		return
	}
	a.log.Warn("a webhook is set for this bot; removing it to use long polling (pending updates are kept)",
		"webhook_url", info.Listen)
	_ = a.send.call(ctx, "deleteWebhook", nil, func() error { return a.boot.RemoveWebhook(false) })
}

// onHandlerError logs an error a handler returned to telebot.
func (a *Adapter) onHandlerError(err error, c tele.Context) {
	attrs := []any{"err", a.redact(err)}
	if c != nil {
		attrs = append(attrs, "update_id", c.Update().ID)
	}
	a.log.Error("telegram handler failed", attrs...)
}

// redact removes the token from err's text.
func (a *Adapter) redact(err error) error {
	if err == nil {
		return nil
	}
	return errors.New(redactToken(err.Error(), a.cfg.Token))
}

func redactToken(s, token string) string {
	if token == "" {
		return s
	}
	for _, form := range []string{token, url.PathEscape(token), url.QueryEscape(token)} {
		s = strings.ReplaceAll(s, form, redacted)
	}
	return s
}

// Shared HTTP timeouts.
const (
	sendTimeout  = 30 * time.Second
	pollSlack    = 15 * time.Second
	maxBodyBytes = 1 << 20
)

// newSendClient is the HTTP client telebot uses: every request is aborted
// when abort is done (the shutdown deadline).
func newSendClient(abort context.Context) *http.Client {
	base := http.DefaultTransport.(*http.Transport).Clone()
	base.MaxIdleConnsPerHost = 64
	return &http.Client{
		Timeout:   sendTimeout,
		Transport: &abortTransport{base: base, abort: abort},
	}
}
