package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"os"
	"os/signal"
	"slices"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"kazbot/adapters/discord"
	"kazbot/adapters/telegram"
	"kazbot/bot"
	"kazbot/configs"
	"kazbot/knowledge"
)

// stopGrace is how long serve waits, past shutdown.timeout, for the
// platforms to close their sessions after the replies in flight are done
// (a Discord close takes about a second, Telegram's last confirmation up
// to three).
const stopGrace = 5 * time.Second

// noTokenMessage is what serve prints when no platform is enabled.
const noTokenMessage = `kazbot serve: no platform token is set, so there is nothing to serve.
Set one or both in the environment (never in the configuration file):
  export KAZBOT_TELEGRAM_TOKEN=...   # from @BotFather in Telegram
  export KAZBOT_DISCORD_TOKEN=...    # from the Bot page of the Discord developer portal
To try kazbot without any token, run: kazbot chat
`

// platform is a running chat platform: both adapters are one.
type platform interface {
	// Name is the platform's name ("discord", "telegram").
	Name() string
	// Run serves until ctx is cancelled, then stops gracefully.
	Run(ctx context.Context) error
	// Ready reports whether the platform is connected and serving.
	Ready() bool
}

// engine is what the adapters need of the engine. *bot.Engine is one;
// tests wrap it.
type engine interface {
	telegram.Engine
	discord.Engine
}

// serveHooks are the parts of serve's outside world that tests replace.
type serveHooks struct {
	// reload returns the channel reload requests arrive on, and a function
	// that stops them. The default is SIGHUP.
	reload func() (<-chan os.Signal, func())
	// hostname is the host name, for discord.shard_from_hostname.
	hostname func() (string, error)
	// wrap, when set, wraps the engine the adapters use.
	wrap func(*bot.Engine) engine
	// started, when set, is told that serve is about to serve, with the
	// HTTP listener's address ("" when it is off).
	started func(httpAddr string)
}

func defaultServeHooks() serveHooks {
	return serveHooks{
		reload: func() (<-chan os.Signal, func()) {
			ch := make(chan os.Signal, 1)
			signal.Notify(ch, syscall.SIGHUP)
			return ch, func() { signal.Stop(ch) }
		},
		hostname: os.Hostname,
	}
}

func runServe(ctx context.Context, std Stdio, args []string) error {
	return serve(ctx, std, args, defaultServeHooks())
}

// serve is `kazbot serve` with its outside world in hooks.
func serve(ctx context.Context, std Stdio, args []string, hooks serveHooks) error {
	fs := newCmdFlags(std, "serve", "[--config FILE] [--knowledge DIR] [--discord-shard-from-hostname]",
		"Serve runs kazbot on every platform whose token is set (KAZBOT_TELEGRAM_TOKEN,\n"+
			"KAZBOT_DISCORD_TOKEN), concurrently, with one engine, and the operator HTTP\n"+
			"listener (/healthz, /readyz, /metrics). SIGHUP reloads the knowledge pack from\n"+
			"DIR; SIGINT or SIGTERM stops it gracefully. Run kazbot config to see the\n"+
			"configuration it would use.")
	path := configFlag(fs)
	dir := knowledgeFlag(fs)
	shardFromHost := fs.Bool("discord-shard-from-hostname", false,
		"take discord.shard_id from the number that ends the host name (a StatefulSet pod ordinal)")
	if err := parseCmdFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError(fs, "unexpected argument %q", fs.Arg(0))
	}
	// Take reload requests from the start: an unhandled SIGHUP would end
	// the process.
	reload, stopReload := hooks.reload()
	defer stopReload()

	cfg, src, err := loadConfig(std, *path)
	if err != nil {
		printProblems(std.Err, "serve", err)
		return exitError{1}
	}
	if *dir != "" {
		cfg.Knowledge.Dir = *dir
	}
	if *shardFromHost {
		cfg.Discord.ShardFromHostname = true
	}
	err = errors.Join(resolveShard(&cfg, src, hooks.hostname), cfg.Validate())
	if err != nil {
		printProblems(std.Err, "serve", err)
		return exitError{1}
	}
	if len(cfg.Enabled()) == 0 {
		fmt.Fprint(std.Err, noTokenMessage)
		return exitError{1}
	}

	s, err := newServer(cfg, std, hooks)
	if err != nil {
		return err
	}
	var ln net.Listener
	if cfg.HTTP.Listen != "" {
		ln, err = net.Listen("tcp", cfg.HTTP.Listen)
		if err != nil {
			s.log.Error("cannot open the HTTP listener", "key", "http.listen", "err", err)
			return exitError{1}
		}
	}
	addr := ""
	if ln != nil {
		addr = ln.Addr().String()
	}
	if hooks.started != nil {
		hooks.started(addr)
	}
	return s.run(ctx, ln, reload)
}

// server is one running `kazbot serve`.
type server struct {
	cfg       configs.Config
	base      *slog.Logger // no component: the adapters add their own
	log       *slog.Logger // component=serve
	eng       *bot.Engine
	metrics   *metrics
	platforms []platform
	stopping  atomic.Bool
}

// newServer builds the engine, the metrics and the adapters. Problems are
// logged, and returned as exitError.
func newServer(cfg configs.Config, std Stdio, hooks serveHooks) (*server, error) {
	base := newLogger(std.Err, cfg.Log, cfg.Telegram.Token, cfg.Telegram.Webhook.SecretToken,
		strings.TrimSpace(strings.TrimPrefix(cfg.Discord.Token, "Bot ")))
	s := &server{
		cfg:     cfg,
		base:    base,
		log:     base.With("component", "serve"),
		metrics: newMetrics(cfg.Enabled()),
	}
	where := cfg.Knowledge.Dir
	if where == "" {
		where = "built-in"
	}
	s.log.Info("starting kazbot", "platforms", strings.Join(cfg.Enabled(), ","), "http", cfg.HTTP.Listen,
		"knowledge", where, "rate_per_minute", cfg.Limits.RatePerMinute, "burst", cfg.Limits.Burst,
		"max_input", cfg.Limits.MaxInput, "shutdown_timeout", cfg.Shutdown.Timeout)

	pack, err := loadPack(cfg.Knowledge.Dir)
	if err != nil {
		logPackProblems(s.log, where, err)
		s.log.Error("cannot start without a valid knowledge pack", "knowledge", where)
		return nil, exitError{1}
	}
	s.eng, err = bot.New(pack,
		bot.WithLogger(base.With("component", "engine")),
		bot.WithObserver(s.metrics),
		bot.WithMaxInput(cfg.Limits.MaxInput),
		bot.WithRateLimit(cfg.Limits.RatePerMinute, cfg.Limits.Burst, nil),
	)
	if err != nil {
		s.log.Error("cannot build the engine", "err", err)
		return nil, exitError{1}
	}
	var eng engine = s.eng
	if hooks.wrap != nil {
		eng = hooks.wrap(s.eng)
	}
	s.metrics.gauge("kazbot_knowledge_facts", "Facts in the knowledge pack that is answering.", nil,
		func() float64 { return float64(len(s.eng.Pack().Facts)) })

	for _, name := range cfg.Enabled() {
		var p platform
		switch name {
		case "discord":
			p, err = discord.New(cfg.DiscordConfig(), eng, discord.WithLogger(base), discord.WithObserver(s.metrics))
		case "telegram":
			p, err = telegram.New(cfg.TelegramConfig(), eng, telegram.WithLogger(base), telegram.WithObserver(s.metrics))
		}
		if err != nil { // Validate ran the same checks
			s.log.Error("cannot configure the platform", "platform", name, "err", err)
			return nil, exitError{1}
		}
		s.platforms = append(s.platforms, p)
		s.metrics.gauge("kazbot_platform_ready", "1 while the platform is connected and serving, else 0.",
			prometheus.Labels{"platform": name}, func() float64 {
				if p.Ready() {
					return 1
				}
				return 0
			})
	}
	return s, nil
}

// logPackProblems logs each problem of an invalid pack on its own line.
func logPackProblems(log *slog.Logger, where string, err error) int {
	var errs knowledge.Errors
	if errors.As(err, &errs) {
		for _, e := range errs {
			log.Error("knowledge pack problem", "knowledge", where, "problem", e.Error())
		}
		return len(errs)
	}
	log.Error("cannot load the knowledge pack", "knowledge", where, "err", err)
	return 1
}

type runResult struct {
	name string
	err  error
}

// run serves until ctx is cancelled or a platform fails, then stops
// everything. It returns nil after a requested stop, exitError{1} after a
// failure.
func (s *server) run(ctx context.Context, ln net.Listener, reload <-chan os.Signal) error {
	runCtx, cancelRun := context.WithCancel(ctx)
	defer cancelRun()

	results := make(chan runResult, len(s.platforms))
	running := map[string]bool{}
	for _, p := range s.platforms {
		running[p.Name()] = true
		go func() { results <- runResult{p.Name(), p.Run(runCtx)} }()
	}
	var httpSrv *http.Server
	httpErr := make(chan error, 1)
	if ln != nil {
		httpLog := s.base.With("component", "http")
		httpSrv = &http.Server{
			Handler:           s.handler(httpLog),
			ReadHeaderTimeout: 5 * time.Second,
			ErrorLog:          slog.NewLogLogger(httpLog.Handler(), slog.LevelWarn),
		}
		go func() { httpErr <- httpSrv.Serve(ln) }()
		s.log.Info("operator HTTP listener up", "addr", ln.Addr().String(), "paths", "/healthz /readyz /metrics")
	}

	failed := false
	var deadline <-chan time.Time
	stop := func(why string, args ...any) {
		if s.stopping.Swap(true) {
			return
		}
		s.log.Info(why, append(args, "timeout", s.cfg.Shutdown.Timeout)...)
		cancelRun()
		deadline = time.After(s.cfg.Shutdown.Timeout + stopGrace)
	}
	readyTick := time.NewTicker(100 * time.Millisecond)
	defer readyTick.Stop()
	tick := readyTick.C
	done := ctx.Done()
	for len(running) > 0 {
		select {
		case <-done:
			done = nil
			stop("stopping: no new updates; finishing replies in flight")
		case r := <-results:
			delete(running, r.name)
			if ctx.Err() != nil { // a stop this loop has not seen yet
				done = nil
				stop("stopping: no new updates; finishing replies in flight")
			}
			switch {
			case r.err != nil:
				failed = true
				s.log.Error("platform failed", "platform", r.name, "err", r.err)
				stop("stopping the other platforms after a failure")
			case !s.stopping.Load():
				failed = true
				s.log.Error("platform stopped on its own", "platform", r.name)
				stop("stopping the other platforms after a failure")
			default:
				s.log.Info("platform stopped", "platform", r.name)
			}
		case <-reload:
			if !s.stopping.Load() {
				s.reload()
			}
		case err := <-httpErr:
			failed = true
			s.log.Error("the HTTP listener failed", "err", err)
			httpSrv = nil
			stop("stopping after a failure")
		case <-tick:
			if len(s.notReady()) == 0 {
				s.log.Info("all platforms ready", "platforms", strings.Join(s.cfg.Enabled(), ","))
				tick = nil
			}
		case <-deadline:
			failed = true
			s.log.Error("platforms still running past the shutdown timeout; exiting anyway",
				"platforms", strings.Join(slices.Sorted(maps.Keys(running)), ","))
			running = nil
		}
	}
	if httpSrv != nil {
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 3*time.Second)
		if err := httpSrv.Shutdown(sctx); err != nil {
			s.log.Warn("the HTTP listener did not stop cleanly", "err", err)
		}
		cancel()
	}
	if failed {
		s.log.Error("kazbot stopped after a failure")
		return exitError{1}
	}
	s.log.Info("kazbot stopped")
	return nil
}

// notReady returns the enabled platforms that are not ready.
func (s *server) notReady() []string {
	var out []string
	for _, p := range s.platforms {
		if !p.Ready() {
			out = append(out, p.Name())
		}
	}
	return out
}

// handler serves /healthz, /readyz and /metrics.
func (s *server) handler(log *slog.Logger) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		if s.stopping.Load() {
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprintln(w, "not ready: stopping")
			return
		}
		if nr := s.notReady(); len(nr) > 0 {
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprintf(w, "not ready: %s\n", strings.Join(nr, ", "))
			return
		}
		fmt.Fprintf(w, "ready: %s\n", strings.Join(s.cfg.Enabled(), ", "))
	})
	mux.Handle("GET /metrics", promhttp.HandlerFor(s.metrics.reg, promhttp.HandlerOpts{
		Registry: s.metrics.reg,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelError),
	}))
	return mux
}

// reload reloads the knowledge pack from knowledge.dir: a valid pack is
// swapped in atomically (requests in flight finish on the old one); an
// invalid one is logged, problem by problem, and the old one stays.
func (s *server) reload() {
	log := s.base.With("component", "reload")
	dir := s.cfg.Knowledge.Dir
	if dir == "" {
		log.Info("reload requested, but the built-in knowledge pack is in use: nothing to reload (set knowledge.dir or --knowledge to reload from disk)")
		return
	}
	log.Info("reloading the knowledge pack", "knowledge", dir)
	pack, err := loadPack(dir)
	if err == nil {
		err = s.eng.Reload(pack)
	}
	if err != nil {
		n := logPackProblems(log, dir, err)
		log.Error("reload rejected: the current knowledge pack stays", "knowledge", dir, "problems", n,
			"facts", len(s.eng.Pack().Facts))
		s.metrics.reloaded(false)
		return
	}
	log.Info("knowledge pack reloaded", "knowledge", dir, "pack", pack.Name, "facts", len(pack.Facts))
	s.metrics.reloaded(true)
}
