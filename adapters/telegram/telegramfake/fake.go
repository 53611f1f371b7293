// Package telegramfake is a fake Telegram Bot API server for tests.
//
// It listens on 127.0.0.1 and speaks the documented HTTP protocol
// (https://core.telegram.org/bots/api): POST /bot<token>/<method> with a
// JSON or form body, answered with {"ok":true,"result":...} or
// {"ok":false,"error_code":...,"description":...}. Updates pushed by a test
// are served by getUpdates (long polling, offsets confirm) or, once a bot
// has called setWebhook, posted to the webhook with the secret token
// header. What a bot sends is checked the way Telegram checks it (HTML
// parse mode, 4,096-character texts, 1-64-byte callback data, inline result
// ids, command names) and every request is recorded, so a test asserts on
// the exact payloads. Faults (429 flood control, other API errors, dropped
// connections) and held requests are injected per method.
//
// The package imports no Telegram client library: it checks the protocol,
// not one client's idea of it. It is a non-test package so that the
// adapter's tests and cmd/kazbot's tests can share it.
package telegramfake

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// DefaultBot is the bot getMe describes unless New is given another.
var DefaultBot = User{ID: 1000, IsBot: true, FirstName: "Kazbot Test", Username: "test_bot"}

// Request is one recorded Bot API call.
type Request struct {
	// Method is the Bot API method ("sendMessage").
	Method string
	// Params are the call's parameters as sent: JSON values, or JSON
	// strings for form fields.
	Params map[string]json.RawMessage
	// Code is the error_code answered, or 0 for success.
	Code int
	// Description is the error description answered, if any.
	Description string
	// At is when the answer was sent.
	At time.Time
}

// OK reports whether the call succeeded.
func (r Request) OK() bool { return r.Code == 0 }

// Has reports whether the parameter was sent.
func (r Request) Has(key string) bool { _, ok := r.Params[key]; return ok }

// Str returns a parameter as a string: a JSON string's content, or the
// JSON text of any other value ("" when absent).
func (r Request) Str(key string) string {
	raw, ok := r.Params[key]
	if !ok {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return string(raw)
}

// Int returns a parameter sent as a number or a numeric string (0 when
// absent or not a number).
func (r Request) Int(key string) int64 {
	n, _ := strconv.ParseInt(strings.TrimSpace(r.Str(key)), 10, 64)
	return n
}

// Bool returns a parameter sent as true or "true".
func (r Request) Bool(key string) bool { return r.Str(key) == "true" }

// Decode decodes a parameter into v. Parameters that hold JSON inside a
// JSON string (telebot sends reply_markup that way) are decoded from the
// string's content.
func (r Request) Decode(key string, v any) error {
	raw, ok := r.Params[key]
	if !ok {
		return fmt.Errorf("parameter %q not sent", key)
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		raw = json.RawMessage(s)
	}
	return json.Unmarshal(raw, v)
}

// Sent is a message the bot sent successfully with sendMessage.
type Sent struct {
	Request
	// ChatID is the chat it went to.
	ChatID int64
	// Text is the text as sent (HTML source in HTML mode).
	Text string
	// ParseMode is the parse_mode sent.
	ParseMode string
	// Visible is the text a user sees (tags removed, entities decoded).
	Visible string
	// ReplyTo is reply_to_message_id, or 0.
	ReplyTo int
	// ThreadID is message_thread_id, or 0.
	ThreadID int
	// Keyboard is the inline keyboard sent, or nil.
	Keyboard *InlineKeyboard
	// Message is the message the fake answered with.
	Message Message
}

// Fault is an injected failure of one call.
type Fault struct {
	// Code is the error_code and HTTP status (429, 400, 500 ...).
	Code int
	// Description is the error description.
	Description string
	// RetryAfter is parameters.retry_after in seconds (flood control).
	RetryAfter int
	// Drop closes the connection without answering.
	Drop bool
}

// Flood is Telegram's 429 answer asking to retry after seconds.
func Flood(seconds int) Fault {
	return Fault{Code: 429, Description: fmt.Sprintf("Too Many Requests: retry after %d", seconds), RetryAfter: seconds}
}

// Delivery is one webhook post the fake made.
type Delivery struct {
	UpdateID int
	// Status is the HTTP status the bot answered, or 0 when the post failed.
	Status int
	Err    error
}

// Server is a fake Bot API server. Create it with New; its methods are safe
// for concurrent use.
type Server struct {
	// URL is the base URL to give a client as its API URL
	// (http://127.0.0.1:port, no trailing slash).
	URL string
	// Token is the bot token the server accepts; other tokens get 401.
	Token string
	// Bot is the bot getMe describes.
	Bot User

	srv    *httptest.Server
	closed chan struct{}
	wg     sync.WaitGroup

	mu        sync.Mutex
	changed   chan struct{}
	maxHold   time.Duration
	nextID    int
	nextQuery int
	queue     []Update // for getUpdates, ascending ids
	confirmed int
	allowed   []string
	chats     map[int64]Chat
	lastMsg   map[int64]int
	msgs      map[int64]map[int]bool
	requests  []Request
	sent      []Sent
	faults    map[string][]Fault
	holds     map[string]chan struct{}
	inflight  map[string]int
	active    map[string]int
	commands  json.RawMessage
	hookURL   string
	hookKey   string
	outbox    []Update
	delivered []Delivery
}

// New starts a fake server on 127.0.0.1 that accepts token and describes
// bot (DefaultBot when bot is the zero User). Close it when done.
func New(token string, bot User) *Server {
	if bot == (User{}) {
		bot = DefaultBot
	}
	s := &Server{
		Token:    token,
		Bot:      bot,
		closed:   make(chan struct{}),
		changed:  make(chan struct{}),
		maxHold:  2 * time.Second,
		chats:    map[int64]Chat{},
		lastMsg:  map[int64]int{},
		msgs:     map[int64]map[int]bool{},
		faults:   map[string][]Fault{},
		holds:    map[string]chan struct{}{},
		inflight: map[string]int{},
		active:   map[string]int{},
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL
	s.wg.Add(1)
	go s.deliverLoop()
	return s
}

// Close stops the server, ending held and long-polling requests.
func (s *Server) Close() {
	s.mu.Lock()
	select {
	case <-s.closed:
		s.mu.Unlock()
		return
	default:
	}
	close(s.closed)
	s.mu.Unlock()
	s.srv.CloseClientConnections()
	s.srv.Close()
	s.wg.Wait()
}

// SetMaxHold sets how long getUpdates may wait for an update (the smaller
// of this and the request's timeout; default 2s).
func (s *Server) SetMaxHold(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.maxHold = d
}

// notify wakes everyone waiting for a change. s.mu must be held.
func (s *Server) notify() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// Wait blocks until cond returns true or ctx is done; cond is checked
// after every request the server handles and every update pushed.
func (s *Server) Wait(ctx context.Context, cond func() bool) error {
	for {
		s.mu.Lock()
		ch := s.changed
		s.mu.Unlock()
		if cond() {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// Push stamps updates (update ids, message ids, dates, query ids and the
// entities Telegram would mark) and makes them available: to getUpdates,
// or posted to the webhook once one is set. It returns the stamped
// updates.
func (s *Server) Push(us ...Update) []Update {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Update, 0, len(us))
	for _, u := range us {
		s.nextID++
		u.UpdateID = s.nextID
		for _, m := range []*Message{u.Message, u.EditedMessage} {
			if m == nil {
				continue
			}
			s.chats[m.Chat.ID] = m.Chat
			if m.MessageID == 0 {
				m.MessageID = s.newMessageID(m.Chat.ID)
			}
			if m.Date == 0 {
				m.Date = time.Now().Unix()
			}
			if m.Entities == nil && m.Text != "" {
				m.Entities = entities(m.Text)
			}
		}
		if cq := u.CallbackQuery; cq != nil {
			if cq.ID == "" {
				s.nextQuery++
				cq.ID = fmt.Sprintf("cb%d", s.nextQuery)
			}
			if cq.ChatInstance == "" {
				cq.ChatInstance = "ci1"
			}
			if cq.Message != nil {
				s.chats[cq.Message.Chat.ID] = cq.Message.Chat
			}
		}
		if iq := u.InlineQuery; iq != nil && iq.ID == "" {
			s.nextQuery++
			iq.ID = fmt.Sprintf("iq%d", s.nextQuery)
		}
		out = append(out, u)
		if s.hookURL != "" {
			s.outbox = append(s.outbox, u)
		} else {
			s.queue = append(s.queue, u)
		}
	}
	s.notify()
	return out
}

func (s *Server) newMessageID(chat int64) int {
	s.lastMsg[chat]++
	id := s.lastMsg[chat]
	if s.msgs[chat] == nil {
		s.msgs[chat] = map[int]bool{}
	}
	s.msgs[chat][id] = true
	return id
}

// AddChat makes chat known, as if the bot had seen it, so messages can be
// sent to it (updates pushed with Push add their chats themselves).
func (s *Server) AddChat(chat Chat) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.chats[chat.ID] = chat
}

// Confirmed returns the highest update id a getUpdates offset confirmed.
func (s *Server) Confirmed() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.confirmed
}

// Queued returns how many updates wait for getUpdates (unconfirmed).
func (s *Server) Queued() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.queue)
}

// Requests returns the recorded calls of method ("" for all), in order.
func (s *Server) Requests(method string) []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Request
	for _, r := range s.requests {
		if method == "" || r.Method == method {
			out = append(out, r)
		}
	}
	return out
}

// Sent returns the messages sent successfully, in order.
func (s *Server) Sent() []Sent {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.sent)
}

// SentCount returns how many messages were sent successfully.
func (s *Server) SentCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.sent)
}

// SentTo returns the messages sent successfully to chat, in order.
func (s *Server) SentTo(chat int64) []Sent {
	var out []Sent
	for _, m := range s.Sent() {
		if m.ChatID == chat {
			out = append(out, m)
		}
	}
	return out
}

// WaitSent waits until at least n messages were sent and returns them all.
func (s *Server) WaitSent(ctx context.Context, n int) ([]Sent, error) {
	err := s.Wait(ctx, func() bool { return s.SentCount() >= n })
	sent := s.Sent()
	if err != nil {
		return sent, fmt.Errorf("waiting for %d sent messages, have %d: %w", n, len(sent), err)
	}
	return sent, nil
}

// WaitRequests waits until method was called at least n times and returns
// the calls.
func (s *Server) WaitRequests(ctx context.Context, method string, n int) ([]Request, error) {
	err := s.Wait(ctx, func() bool { return len(s.Requests(method)) >= n })
	reqs := s.Requests(method)
	if err != nil {
		return reqs, fmt.Errorf("waiting for %d %s calls, have %d: %w", n, method, len(reqs), err)
	}
	return reqs, nil
}

// FailNext makes the next calls of method fail with faults, one per call.
func (s *Server) FailNext(method string, faults ...Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults[method] = append(s.faults[method], faults...)
}

// Hold makes calls of method wait until release is called (or the client
// gives up); InFlight counts the waiting calls. release may be called more
// than once.
func (s *Server) Hold(method string) (release func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch := make(chan struct{})
	s.holds[method] = ch
	var once sync.Once
	return func() {
		once.Do(func() {
			s.mu.Lock()
			if s.holds[method] == ch {
				delete(s.holds, method)
			}
			close(ch)
			s.mu.Unlock()
		})
	}
}

// Active returns how many calls of method are being served now (held,
// long-polling or in progress).
func (s *Server) Active(method string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.active[method]
}

// InFlight returns how many calls of method are held.
func (s *Server) InFlight(method string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.inflight[method]
}

// Commands returns the last setMyCommands "commands" value as sent.
func (s *Server) Commands() json.RawMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.commands
}

// SetWebhook sets a webhook as if a bot had called setWebhook (for example
// to test that a polling bot removes a stale one).
func (s *Server) SetWebhook(url, secret string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hookURL, s.hookKey = url, secret
	s.notify()
}

// Webhook returns the registered webhook URL and secret token.
func (s *Server) Webhook() (url, secret string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hookURL, s.hookKey
}

// Deliveries returns the webhook posts made so far.
func (s *Server) Deliveries() []Delivery {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.delivered)
}

// apiErr is a failed call's answer.
type apiErr struct {
	code        int
	description string
	retryAfter  int
}

func badRequest(format string, args ...any) *apiErr {
	return &apiErr{code: 400, description: "Bad Request: " + fmt.Sprintf(format, args...)}
}

var pathRx = regexp.MustCompile(`^/bot([^/]+)/([A-Za-z]+)$`)

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	m := pathRx.FindStringSubmatch(r.URL.Path)
	if m == nil {
		writeErr(w, &apiErr{code: 404, description: "Not Found"})
		return
	}
	token, method := m[1], m[2]
	params, perr := readParams(r)
	rec := Request{Method: method, Params: params}
	if token != s.Token {
		s.finish(w, rec, nil, &apiErr{code: 401, description: "Unauthorized"})
		return
	}
	if perr != nil {
		s.finish(w, rec, nil, badRequest("%v", perr))
		return
	}
	s.mu.Lock()
	s.active[method]++
	s.notify()
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.active[method]--
		s.mu.Unlock()
	}()
	if !s.hold(r.Context(), method) {
		return
	}
	s.mu.Lock()
	var fault *Fault
	if q := s.faults[method]; len(q) > 0 {
		fault = &q[0]
		s.faults[method] = q[1:]
	}
	s.mu.Unlock()
	if fault != nil {
		if fault.Drop {
			s.record(rec, &apiErr{code: -1, description: "connection dropped"})
			if hj, ok := w.(http.Hijacker); ok {
				if conn, _, err := hj.Hijack(); err == nil {
					conn.Close()
					return
				}
			}
			panic(http.ErrAbortHandler)
		}
		s.finish(w, rec, nil, &apiErr{code: fault.Code, description: fault.Description, retryAfter: fault.RetryAfter})
		return
	}
	var result any
	var err *apiErr
	switch method {
	case "getMe":
		result = s.Bot
	case "getUpdates":
		result, err = s.getUpdates(r.Context(), rec)
	case "sendMessage":
		result, err = s.sendMessage(&rec)
	case "answerCallbackQuery":
		result, err = s.answerCallbackQuery(rec)
	case "answerInlineQuery":
		result, err = s.answerInlineQuery(rec)
	case "setMyCommands":
		result, err = s.setMyCommands(rec)
	case "getMyCommands":
		s.mu.Lock()
		if s.commands != nil {
			result = s.commands
		} else {
			result = []any{}
		}
		s.mu.Unlock()
	case "setWebhook":
		result, err = s.setWebhook(rec)
	case "deleteWebhook":
		s.mu.Lock()
		s.hookURL, s.hookKey = "", ""
		if rec.Bool("drop_pending_updates") {
			s.queue = nil
		}
		s.mu.Unlock()
		result = true
	case "getWebhookInfo":
		s.mu.Lock()
		result = map[string]any{"url": s.hookURL, "has_custom_certificate": false, "pending_update_count": len(s.queue) + len(s.outbox)}
		s.mu.Unlock()
	default:
		err = &apiErr{code: 404, description: "Not Found"}
	}
	s.finish(w, rec, result, err)
}

// hold waits while method is held. It reports false when the client or
// the server gave up.
func (s *Server) hold(ctx context.Context, method string) bool {
	s.mu.Lock()
	ch, held := s.holds[method]
	if !held {
		s.mu.Unlock()
		return true
	}
	s.inflight[method]++
	s.notify()
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.inflight[method]--
		s.notify()
		s.mu.Unlock()
	}()
	select {
	case <-ch:
		return true
	case <-ctx.Done():
		return false
	case <-s.closed:
		return false
	}
}

func (s *Server) record(rec Request, err *apiErr) {
	if err != nil {
		rec.Code, rec.Description = err.code, err.description
	}
	if rec.At.IsZero() {
		rec.At = time.Now()
	}
	s.mu.Lock()
	s.requests = append(s.requests, rec)
	s.notify()
	s.mu.Unlock()
}

func (s *Server) finish(w http.ResponseWriter, rec Request, result any, err *apiErr) {
	s.record(rec, err)
	if err != nil {
		writeErr(w, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"ok": true, "result": result})
}

func writeErr(w http.ResponseWriter, e *apiErr) {
	body := map[string]any{"ok": false, "error_code": e.code, "description": e.description}
	if e.retryAfter > 0 {
		body["parameters"] = map[string]any{"retry_after": e.retryAfter}
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(e.code)
	_ = json.NewEncoder(w).Encode(body)
}

// readParams reads a call's parameters from a JSON body, a form body, or
// the query string.
func readParams(r *http.Request) (map[string]json.RawMessage, error) {
	params := map[string]json.RawMessage{}
	for k, v := range r.URL.Query() {
		params[k], _ = json.Marshal(v[0])
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 10<<20))
	if err != nil {
		return params, err
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch {
	case len(bytes.TrimSpace(body)) == 0 || string(bytes.TrimSpace(body)) == "null":
	case ct == "application/x-www-form-urlencoded":
		vals, err := url.ParseQuery(string(body))
		if err != nil {
			return params, err
		}
		for k, v := range vals {
			params[k], _ = json.Marshal(v[0])
		}
	default:
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(body, &obj); err != nil {
			return params, fmt.Errorf("body is not a JSON object: %v", err)
		}
		for k, v := range obj {
			params[k] = v
		}
	}
	return params, nil
}

func (s *Server) getUpdates(ctx context.Context, rec Request) (any, *apiErr) {
	offset := int(rec.Int("offset"))
	limit := int(rec.Int("limit"))
	if limit <= 0 || limit > 100 {
		limit = 100
	}
	timeout := time.Duration(rec.Int("timeout")) * time.Second
	var allowed []string
	if rec.Has("allowed_updates") {
		_ = rec.Decode("allowed_updates", &allowed)
	}
	s.mu.Lock()
	if s.hookURL != "" {
		s.mu.Unlock()
		return nil, &apiErr{code: 409, description: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"}
	}
	if rec.Has("allowed_updates") && len(allowed) > 0 {
		s.allowed = allowed
	}
	if offset > 0 {
		s.queue = slices.DeleteFunc(s.queue, func(u Update) bool { return u.UpdateID < offset })
		s.confirmed = max(s.confirmed, offset-1)
	}
	deadline := time.Now().Add(min(timeout, s.maxHold))
	s.mu.Unlock()
	for {
		s.mu.Lock()
		if len(s.allowed) > 0 {
			s.queue = slices.DeleteFunc(s.queue, func(u Update) bool { return !slices.Contains(s.allowed, u.kind()) })
		}
		var out []Update
		for _, u := range s.queue {
			if u.UpdateID >= offset && len(out) < limit {
				out = append(out, u)
			}
		}
		ch := s.changed
		s.mu.Unlock()
		wait := time.Until(deadline)
		if len(out) > 0 || wait <= 0 {
			if out == nil {
				out = []Update{}
			}
			return out, nil
		}
		t := time.NewTimer(wait)
		select {
		case <-ch:
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return []Update{}, nil
		case <-s.closed:
			t.Stop()
			return []Update{}, nil
		}
		t.Stop()
	}
}

func (s *Server) sendMessage(rec *Request) (any, *apiErr) {
	chatID := rec.Int("chat_id")
	if chatID == 0 {
		return nil, badRequest("chat_id is empty")
	}
	text := rec.Str("text")
	mode := rec.Str("parse_mode")
	visible := text
	if strings.EqualFold(mode, "HTML") {
		v, err := ParseHTML(text)
		if err != nil {
			return nil, badRequest("can't parse entities: %v", err)
		}
		visible = v
	}
	if strings.TrimSpace(visible) == "" {
		return nil, badRequest("message text is empty")
	}
	if utf16Len(visible) > 4096 {
		return nil, badRequest("message is too long")
	}
	var kb *InlineKeyboard
	if rec.Has("reply_markup") {
		kb = &InlineKeyboard{}
		if err := rec.Decode("reply_markup", kb); err != nil {
			return nil, badRequest("can't parse reply keyboard markup JSON object")
		}
		if err := checkKeyboard(kb); err != nil {
			return nil, err
		}
	}
	replyTo := int(rec.Int("reply_to_message_id"))
	thread := int(rec.Int("message_thread_id"))

	s.mu.Lock()
	defer s.mu.Unlock()
	chat, ok := s.chats[chatID]
	if !ok {
		return nil, badRequest("chat not found")
	}
	if replyTo != 0 && !s.msgs[chatID][replyTo] && !rec.Bool("allow_sending_without_reply") {
		return nil, badRequest("message to be replied not found")
	}
	bot := s.Bot
	rec.At = time.Now()
	msg := Message{
		MessageID:       s.newMessageID(chatID),
		MessageThreadID: thread,
		From:            &bot,
		Date:            time.Now().Unix(),
		Chat:            chat,
		Text:            visible,
		ReplyMarkup:     kb,
	}
	s.sent = append(s.sent, Sent{
		Request: *rec, ChatID: chatID, Text: text, ParseMode: mode, Visible: visible,
		ReplyTo: replyTo, ThreadID: thread, Keyboard: kb, Message: msg,
	})
	return msg, nil
}

func checkKeyboard(kb *InlineKeyboard) *apiErr {
	for _, b := range kb.Buttons() {
		if strings.TrimSpace(b.Text) == "" {
			return badRequest("text buttons are unallowed in the inline keyboard")
		}
		if b.URL == "" && (len(b.CallbackData) == 0 || len(b.CallbackData) > 64) {
			return badRequest("BUTTON_DATA_INVALID")
		}
	}
	return nil
}

func (s *Server) answerCallbackQuery(rec Request) (any, *apiErr) {
	if rec.Str("callback_query_id") == "" {
		return nil, badRequest("query is too old and response timeout expired or query ID is invalid")
	}
	if utf8.RuneCountInString(rec.Str("text")) > 200 {
		return nil, badRequest("MESSAGE_TOO_LONG")
	}
	return true, nil
}

func (s *Server) answerInlineQuery(rec Request) (any, *apiErr) {
	if rec.Str("inline_query_id") == "" {
		return nil, badRequest("query is too old and response timeout expired or query ID is invalid")
	}
	var results []struct {
		Type    string `json:"type"`
		ID      string `json:"id"`
		Title   string `json:"title"`
		Content *struct {
			Text      string `json:"message_text"`
			ParseMode string `json:"parse_mode"`
		} `json:"input_message_content"`
	}
	if err := rec.Decode("results", &results); err != nil {
		return nil, badRequest("can't parse inline query results JSON object")
	}
	if len(results) > 50 {
		return nil, badRequest("RESULTS_TOO_MUCH")
	}
	seen := map[string]bool{}
	for _, r := range results {
		if r.ID == "" || len(r.ID) > 64 {
			return nil, badRequest("RESULT_ID_INVALID")
		}
		if seen[r.ID] {
			return nil, badRequest("RESULT_ID_DUPLICATE")
		}
		seen[r.ID] = true
		if r.Type != "article" {
			continue
		}
		if r.Title == "" || r.Content == nil || r.Content.Text == "" {
			return nil, badRequest("RESULT_TYPE_INVALID")
		}
		visible := r.Content.Text
		if strings.EqualFold(r.Content.ParseMode, "HTML") {
			v, err := ParseHTML(r.Content.Text)
			if err != nil {
				return nil, badRequest("can't parse entities: %v", err)
			}
			visible = v
		}
		if utf16Len(visible) > 4096 {
			return nil, badRequest("MESSAGE_TOO_LONG")
		}
	}
	return true, nil
}

var commandNameRx = regexp.MustCompile(`^[a-z0-9_]{1,32}$`)

func (s *Server) setMyCommands(rec Request) (any, *apiErr) {
	var cmds []struct {
		Command     string `json:"command"`
		Description string `json:"description"`
	}
	if err := rec.Decode("commands", &cmds); err != nil {
		return nil, badRequest("can't parse commands JSON object")
	}
	if len(cmds) > 100 {
		return nil, badRequest("too many commands")
	}
	for _, c := range cmds {
		if !commandNameRx.MatchString(c.Command) {
			return nil, badRequest("BOT_COMMAND_INVALID")
		}
		if n := utf8.RuneCountInString(c.Description); n < 1 || n > 256 {
			return nil, badRequest("command description must be 1-256 characters")
		}
	}
	s.mu.Lock()
	s.commands = rec.Params["commands"]
	s.mu.Unlock()
	return true, nil
}

var secretTokenRx = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)

func (s *Server) setWebhook(rec Request) (any, *apiErr) {
	u := rec.Str("url")
	secret := rec.Str("secret_token")
	if secret != "" && !secretTokenRx.MatchString(secret) {
		return nil, badRequest("secret token contains unallowed characters")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hookURL, s.hookKey = u, secret
	if u != "" {
		// Updates waiting for getUpdates now go to the webhook.
		s.outbox = append(s.outbox, s.queue...)
		s.queue = nil
	}
	if rec.Has("allowed_updates") {
		var allowed []string
		_ = rec.Decode("allowed_updates", &allowed)
		if len(allowed) > 0 {
			s.allowed = allowed
		}
	}
	return true, nil
}

// deliverLoop posts updates to the webhook, one at a time, in order.
func (s *Server) deliverLoop() {
	defer s.wg.Done()
	client := &http.Client{Timeout: 10 * time.Second}
	defer client.CloseIdleConnections()
	for {
		s.mu.Lock()
		var u *Update
		if s.hookURL != "" && len(s.outbox) > 0 {
			u = &s.outbox[0]
			s.outbox = s.outbox[1:]
		}
		hookURL, secret, allowed, ch := s.hookURL, s.hookKey, s.allowed, s.changed
		s.mu.Unlock()
		if u == nil {
			select {
			case <-ch:
				continue
			case <-s.closed:
				return
			}
		}
		if len(allowed) > 0 && !slices.Contains(allowed, u.kind()) {
			continue
		}
		d := Delivery{UpdateID: u.UpdateID}
		body, _ := json.Marshal(u)
		req, err := http.NewRequest(http.MethodPost, hookURL, bytes.NewReader(body))
		if err == nil {
			req.Header.Set("Content-Type", "application/json")
			if secret != "" {
				req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
			}
			var resp *http.Response
			if resp, err = client.Do(req); err == nil {
				d.Status = resp.StatusCode
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		}
		d.Err = err
		s.mu.Lock()
		s.delivered = append(s.delivered, d)
		s.notify()
		s.mu.Unlock()
	}
}
