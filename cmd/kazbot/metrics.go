package main

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"kazbot/adapters/discord"
	"kazbot/adapters/telegram"
	"kazbot/bot"
)

// metrics is what serve exposes on /metrics, in a registry of its own (not
// the global one), with the Go runtime and process collectors. It is the
// engine's observer and both adapters' observer, so every count comes
// from where the event happens.
type metrics struct {
	reg        *prometheus.Registry
	questions  *prometheus.CounterVec
	latency    *prometheus.HistogramVec
	fallbacks  *prometheus.CounterVec
	limited    *prometheus.CounterVec
	apiErrors  *prometheus.CounterVec
	reconnects *prometheus.CounterVec
	reloads    *prometheus.CounterVec
}

var (
	_ bot.Observer      = (*metrics)(nil)
	_ telegram.Observer = (*metrics)(nil)
	_ discord.Observer  = (*metrics)(nil)
)

// newMetrics registers kazbot's metrics. The per-platform series of the
// given platforms start at zero, so dashboards and alerts see them before
// the first event.
func newMetrics(platforms []string) *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		questions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "kazbot_questions_total",
			Help: "Requests the engine answered, by platform and reply kind (fact, smalltalk, fallback, info, notice, silent).",
		}, []string{"platform", "kind"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "kazbot_answer_seconds",
			Help:    "How long the engine took to answer one request, by platform.",
			Buckets: []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1},
		}, []string{"platform"}),
		fallbacks: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "kazbot_fallbacks_total",
			Help: "Questions the engine could not answer confidently, by platform.",
		}, []string{"platform"}),
		limited: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "kazbot_rate_limited_total",
			Help: "Requests refused by the per-user rate limit, by platform.",
		}, []string{"platform"}),
		apiErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "kazbot_platform_api_errors_total",
			Help: "Failed platform API calls, by platform and operation.",
		}, []string{"platform", "op"}),
		reconnects: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "kazbot_platform_reconnects_total",
			Help: "Times a platform connection came back after a failure, by platform.",
		}, []string{"platform"}),
		reloads: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "kazbot_knowledge_reloads_total",
			Help: "Knowledge pack reloads (SIGHUP), by result (ok, rejected).",
		}, []string{"result"}),
	}
	m.reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.questions, m.latency, m.fallbacks, m.limited, m.apiErrors, m.reconnects, m.reloads,
	)
	for _, p := range platforms {
		m.latency.WithLabelValues(p)
		m.fallbacks.WithLabelValues(p)
		m.limited.WithLabelValues(p)
		m.reconnects.WithLabelValues(p)
	}
	m.reloads.WithLabelValues("ok")
	m.reloads.WithLabelValues("rejected")
	return m
}

// Answered counts one request the engine answered (bot.Observer).
func (m *metrics) Answered(platform string, kind bot.Kind, took time.Duration) {
	m.questions.WithLabelValues(platform, string(kind)).Inc()
	m.latency.WithLabelValues(platform).Observe(took.Seconds())
	if kind == bot.KindFallback {
		m.fallbacks.WithLabelValues(platform).Inc()
	}
}

// RateLimited counts one refused request (bot.Observer).
func (m *metrics) RateLimited(platform string) { m.limited.WithLabelValues(platform).Inc() }

// APIError counts one failed platform API call (the adapters' Observer).
func (m *metrics) APIError(platform, op string) { m.apiErrors.WithLabelValues(platform, op).Inc() }

// Reconnected counts one reconnection (the adapters' Observer).
func (m *metrics) Reconnected(platform string) { m.reconnects.WithLabelValues(platform).Inc() }

// reloaded counts one knowledge pack reload.
func (m *metrics) reloaded(ok bool) {
	result := "rejected"
	if ok {
		result = "ok"
	}
	m.reloads.WithLabelValues(result).Inc()
}

// gauge registers a gauge whose value is read at each scrape.
func (m *metrics) gauge(name, help string, labels prometheus.Labels, value func() float64) {
	m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: name, Help: help, ConstLabels: labels,
	}, value))
}
