package telegram

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	tele "gopkg.in/telebot.v3"
)

// Polling tuning.
const (
	pollLimit  = 100
	minBackoff = 250 * time.Millisecond
	maxBackoff = 30 * time.Second
	// confirmTimeout bounds the getUpdates call that confirms the last
	// handled updates at a stop.
	confirmTimeout = 3 * time.Second
)

// apiError is a Bot API answer with "ok": false.
type apiError struct {
	method      string
	code        int
	description string
	retryAfter  int
}

func (e *apiError) Error() string {
	return fmt.Sprintf("%s: telegram: %s (%d)", e.method, e.description, e.code)
}

// poller is kazbot's long poller. It replaces telebot's LongPoller, which
// retries failures in a tight loop, cannot be cancelled without Bot.Stop and
// hands updates to one consumer: this one honours ctx, backs off, waits out
// flood control, reports 409 conflicts and feeds the dispatcher.
type poller struct {
	a      *Adapter
	client *http.Client
	offset int // next update id to ask for
	asked  int // offset of the last getUpdates call Telegram answered
}

func newPoller(a *Adapter) *poller {
	t := http.DefaultTransport.(*http.Transport).Clone()
	return &poller{a: a, client: &http.Client{Transport: t}}
}

// run polls until ctx is cancelled. It returns an error only when the
// token is rejected.
func (p *poller) run(ctx context.Context, d *dispatcher) error {
	a := p.a
	defer p.client.CloseIdleConnections()
	backoff := minBackoff
	failing := false
	for ctx.Err() == nil {
		if !failing {
			a.ready.Store(true)
		}
		ups, err := p.getUpdates(ctx, p.offset, pollLimit, a.cfg.PollTimeout)
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			var ae *apiError
			errors.As(err, &ae)
			if ae != nil && (ae.code == http.StatusUnauthorized || ae.code == http.StatusNotFound) {
				a.obs.APIError(Platform, "getUpdates")
				return &tokenError{detail: fmt.Sprintf("getUpdates returned %d %s", ae.code, ae.description)}
			}
			wait := backoff
			backoff = min(2*backoff, maxBackoff)
			switch {
			case ae != nil && ae.code == http.StatusTooManyRequests && ae.retryAfter > 0:
				wait = time.Duration(ae.retryAfter) * time.Second
			case ae != nil && ae.code == http.StatusConflict && strings.Contains(ae.description, "webhook"):
				err = fmt.Errorf("%w: a webhook was set for this bot while polling; run every instance in one mode", err)
			case ae != nil && ae.code == http.StatusConflict:
				err = fmt.Errorf("%w: another process is polling with this token; run one poller per bot or use webhook mode", err)
			}
			a.obs.APIError(Platform, "getUpdates")
			a.log.Warn("telegram polling failed; retrying", "method", "getUpdates", "retry_in", wait, "err", a.redact(err))
			failing = true
			a.ready.Store(false)
			if sleep(ctx, wait) != nil {
				return nil
			}
			continue
		}
		p.asked = p.offset
		if failing {
			failing = false
			backoff = minBackoff
			a.ready.Store(true)
			a.obs.Reconnected(Platform)
			a.log.Info("telegram polling works again")
		}
		for _, u := range ups {
			if u.ID < p.offset {
				continue // already taken
			}
			if err := d.submit(ctx, u); err != nil {
				return nil // stopping; u stays unconfirmed and comes again
			}
			p.offset = u.ID + 1
		}
	}
	return nil
}

// confirm tells Telegram, after a stop, that the updates taken so far are
// handled, so the next start does not get them again. Long polling
// confirms a batch only with the next call; without this the last batch
// would be answered twice across a restart. Updates dropped at the
// shutdown deadline stay unconfirmed.
func (p *poller) confirm(ctx context.Context, d *dispatcher) {
	offset := p.offset
	if low := d.lowestDropped(); low != 0 && low < offset {
		offset = low
	}
	if offset <= p.asked {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, confirmTimeout)
	defer cancel()
	// timeout 0 returns at once; limit 1 keeps the answer small. What it
	// returns is not taken, so it stays unconfirmed.
	if _, err := p.getUpdates(ctx, offset, 1, 0); err != nil {
		p.a.obs.APIError(Platform, "getUpdates")
		p.a.log.Warn("could not confirm the last updates; they may be answered again after a restart",
			"method", "getUpdates", "offset", offset, "err", p.a.redact(err))
	}
}

// getUpdates calls the Bot API's getUpdates.
func (p *poller) getUpdates(ctx context.Context, offset, limit int, timeout time.Duration) ([]tele.Update, error) {
	const method = "getUpdates"
	body, err := json.Marshal(map[string]any{
		"offset":          offset,
		"limit":           limit,
		"timeout":         int(timeout / time.Second),
		"allowed_updates": allowedUpdates,
	})
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, timeout+pollSlack)
	defer cancel()
	a := p.a
	req, err := http.NewRequestWithContext(ctx, http.MethodPost,
		a.cfg.APIURL+"/bot"+a.cfg.Token+"/"+method, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", method, a.redact(err))
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := p.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", method, a.redact(err))
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return nil, fmt.Errorf("%s: read answer: %w", method, a.redact(err))
	}
	var r struct {
		OK          bool              `json:"ok"`
		Result      []json.RawMessage `json:"result"`
		ErrorCode   int               `json:"error_code"`
		Description string            `json:"description"`
		Parameters  struct {
			RetryAfter int `json:"retry_after"`
		} `json:"parameters"`
	}
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("%s: answer is not Bot API JSON (HTTP %d)", method, resp.StatusCode)
	}
	if !r.OK {
		code := r.ErrorCode
		if code == 0 {
			code = resp.StatusCode
		}
		return nil, &apiError{method: method, code: code, description: r.Description, retryAfter: r.Parameters.RetryAfter}
	}
	ups := make([]tele.Update, 0, len(r.Result))
	for _, raw := range r.Result {
		var u tele.Update
		if err := json.Unmarshal(raw, &u); err != nil {
			// One undecodable update must not block the others: take its
			// id (so it is confirmed) and skip it.
			var id struct {
				ID int `json:"update_id"`
			}
			_ = json.Unmarshal(raw, &id)
			a.log.Warn("skipping an update that does not decode", "update_id", id.ID, "err", err)
			u = tele.Update{ID: id.ID}
		}
		ups = append(ups, u)
	}
	return ups, nil
}
