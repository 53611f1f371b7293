package telegram

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	tele "gopkg.in/telebot.v3"
)

// SecretHeader is the header Telegram puts the webhook secret token in.
const SecretHeader = "X-Telegram-Bot-Api-Secret-Token"

// WebhookHandler returns the handler for Telegram's webhook requests. Run
// serves it on Config.Webhook.Listen at Config.Webhook.Path; it is exported
// so tests and other servers can mount it. Every request must carry the
// configured secret in SecretHeader (compared in constant time) or it is
// refused with 401 and not handled. Accepted updates are queued behind the
// earlier updates of their chat and answered 200 at once; while the
// adapter is not serving (before Run, during a stop) the answer is 503 and
// Telegram delivers the update again later.
func (a *Adapter) WebhookHandler() http.Handler {
	return http.HandlerFunc(a.serveUpdate)
}

func (a *Adapter) serveUpdate(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	secret := a.cfg.Webhook.SecretToken
	got := r.Header.Get(SecretHeader)
	if secret == "" || subtle.ConstantTimeCompare([]byte(got), []byte(secret)) != 1 {
		a.log.Warn("webhook request refused: wrong or missing secret token", "remote", r.RemoteAddr)
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	var u tele.Update
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	if err := dec.Decode(&u); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			http.Error(w, "update too large", http.StatusRequestEntityTooLarge)
			return
		}
		a.log.Warn("webhook request refused: body is not an update", "err", err)
		http.Error(w, "bad update", http.StatusBadRequest)
		return
	}
	d := a.disp.Load()
	if d == nil {
		http.Error(w, "not serving", http.StatusServiceUnavailable)
		return
	}
	if err := d.submit(r.Context(), u); err != nil {
		http.Error(w, "not serving", http.StatusServiceUnavailable)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// startWebhook listens on Config.Webhook.Listen and registers the webhook
// with setWebhook. The dispatcher must be in place: Telegram may deliver at
// once.
func (a *Adapter) startWebhook(ctx context.Context) (*http.Server, error) {
	wc := a.cfg.Webhook
	ln, err := net.Listen("tcp", wc.Listen)
	if err != nil {
		return nil, fmt.Errorf("telegram: webhook listener (telegram.webhook.listen %q): %w", wc.Listen, err)
	}
	a.mu.Lock()
	a.webhookAddr = ln.Addr().String()
	a.mu.Unlock()
	mux := http.NewServeMux()
	mux.Handle(wc.Path, a.WebhookHandler())
	srv := &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
	}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			a.ready.Store(false)
			a.log.Error("webhook listener failed; no updates arrive until a restart", "err", err)
		}
	}()
	hook := &tele.Webhook{
		SecretToken:    wc.SecretToken,
		AllowedUpdates: allowedUpdates,
		Endpoint:       &tele.WebhookEndpoint{PublicURL: wc.PublicURL + wc.Path},
	}
	if err := a.send.call(ctx, "setWebhook", nil, func() error { return a.boot.SetWebhook(hook) }); err != nil {
		_ = srv.Close()
		return nil, fmt.Errorf("telegram: register webhook %s: %w", wc.PublicURL+wc.Path, err)
	}
	return srv, nil
}
