package telegram

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	tele "gopkg.in/telebot.v3"

	"kazbot/bot"
)

// maxFloodWaits is how many 429 answers in a row one call waits out before
// giving up.
const maxFloodWaits = 10

// sender performs Bot API calls for the adapter: it waits out flood control
// and resends, and logs and counts every other failure.
type sender struct {
	a      *Adapter
	client *http.Client
}

// call runs fn, one Bot API call named op. On a tele.FloodError it waits
// RetryAfter (bounded by ctx) and calls fn again: Telegram did not perform
// a request it answered with 429, so resending neither loses nor doubles
// it. Any other error is logged with attrs, counted and returned without
// the token in its text.
func (s *sender) call(ctx context.Context, op string, attrs []any, fn func() error) error {
	a := s.a
	for floods := 0; ; floods++ {
		err := fn()
		if err == nil {
			return nil
		}
		a.obs.APIError(Platform, op)
		var flood tele.FloodError
		if errors.As(err, &flood) && floods < maxFloodWaits {
			wait := time.Duration(max(flood.RetryAfter, 1)) * time.Second
			a.log.Warn("telegram flood control: waiting before resending",
				append([]any{"method", op, "retry_after", wait}, attrs...)...)
			if sleep(ctx, wait) == nil {
				continue
			}
			err = fmt.Errorf("%w (not resent: shutting down)", err)
		}
		err = a.redact(err)
		a.log.Warn("telegram api call failed", append([]any{"method", op, "err", err}, attrs...)...)
		return err
	}
}

// sleep waits d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (s *sender) closeIdle() {
	if s.client != nil {
		s.client.CloseIdleConnections()
	}
}

// target is where a reply goes.
type target struct {
	chat     *tele.Chat
	threadID int           // forum topic, or 0
	replyTo  *tele.Message // quoted in groups, or nil
	updateID int
}

func (t target) attrs() []any {
	return []any{"chat_id", t.chat.ID, "update_id", t.updateID}
}

// reply sends r to t as one or more HTML messages; the keyboard goes with
// the last one. KindSilent sends nothing.
func (s *sender) reply(ctx context.Context, t target, r bot.Reply) {
	if r.Kind == bot.KindSilent {
		return
	}
	chunks := renderHTML(r)
	if len(chunks) == 0 {
		s.a.log.Warn("engine reply has nothing to show", append([]any{"kind", r.Kind}, t.attrs()...)...)
		return
	}
	markup := keyboard(r)
	for i, text := range chunks {
		opts := &tele.SendOptions{
			ParseMode:             tele.ModeHTML,
			DisableWebPagePreview: true,
			ThreadID:              t.threadID,
		}
		if i == 0 && t.replyTo != nil {
			opts.ReplyTo = t.replyTo
			opts.AllowWithoutReply = true
		}
		if i == len(chunks)-1 {
			opts.ReplyMarkup = markup
		}
		err := s.call(ctx, "sendMessage", t.attrs(), func() error {
			_, err := s.a.bot.Send(t.chat, text, opts)
			return err
		})
		if err != nil {
			return // the rest would make no sense without this part
		}
	}
}

// abortTransport cancels every request when abort is done, on top of the
// request's own context. telebot's Raw has no context parameter; this is
// how a stop that runs out of time aborts sends in flight without
// telebot's Stop.
type abortTransport struct {
	base  http.RoundTripper
	abort context.Context
}

func (t *abortTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx, cancel := context.WithCancel(req.Context())
	stop := context.AfterFunc(t.abort, cancel)
	resp, err := t.base.RoundTrip(req.WithContext(ctx))
	if err != nil {
		stop()
		cancel()
		return nil, err
	}
	resp.Body = &cancelOnClose{ReadCloser: resp.Body, done: func() { stop(); cancel() }}
	return resp, nil
}

// CloseIdleConnections lets http.Client.CloseIdleConnections reach the
// base transport.
func (t *abortTransport) CloseIdleConnections() {
	if c, ok := t.base.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}

type cancelOnClose struct {
	io.ReadCloser
	done func()
}

func (b *cancelOnClose) Close() error {
	err := b.ReadCloser.Close()
	b.done()
	return err
}

// chatID formats a chat or user id for a bot.Request.
func chatID(id int64) string { return strconv.FormatInt(id, 10) }
