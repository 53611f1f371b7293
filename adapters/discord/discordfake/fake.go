// Package discordfake is a fake Discord for tests: the gateway (WebSocket,
// JSON encoding) and the REST endpoints kazbot's Discord adapter uses,
// served on 127.0.0.1. It speaks the documented protocol closely enough for
// the real discordgo client: HELLO, IDENTIFY (checking the token, close
// 4004 when it is wrong), READY, heartbeats, RESUME after a drop with the
// missed events replayed; slash command registration, interaction
// callbacks, webhook follow-ups and edits, and channel messages. It
// enforces Discord's documented limits on what it receives (embeds,
// components, autocomplete choices, command definitions) and answers a
// violation with 400, as Discord does, and records it.
//
// Tests drive it by dispatching events (SendInteraction, SendMessage),
// injecting failures (RateLimitNext, FailNext), dropping the connection
// (Drop) and waiting for the requests the bot makes (WaitRequest).
//
// It is not part of the bot: only tests import it.
package discordfake

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// Fixed identities of the fake world.
const (
	// Token is the bot token the fake accepts (without the "Bot " prefix).
	Token = "fake-discord-token.X9hQ2v"
	// BotID is the bot's user id, sent in READY.
	BotID = "100000000000000001"
	// AppID is the bot's application id, sent in READY.
	AppID = "200000000000000002"
	// GuildID is the default guild of dispatched events.
	GuildID = "300000000000000003"
	// ChannelID is the default channel of dispatched events.
	ChannelID = "400000000000000004"
	// UserID is the default human user of dispatched events.
	UserID = "500000000000000005"
	// APIPrefix is the REST path prefix (API version 9).
	APIPrefix = "/api/v9/"
)

// Request is one REST request the fake received, with the status it
// answered.
type Request struct {
	Method string
	// Path is the URL path, for example "/api/v9/channels/4000/messages".
	Path  string
	Query string
	// Auth is the Authorization header.
	Auth   string
	Body   []byte
	Status int
}

// Decode unmarshals the request body into v.
func (r Request) Decode(v any) error { return json.Unmarshal(r.Body, v) }

// JSON returns the body as generic JSON (nil when it is not JSON).
func (r Request) JSON() map[string]any {
	var m map[string]any
	if json.Unmarshal(r.Body, &m) != nil {
		return nil
	}
	return m
}

// Identify is the payload of an IDENTIFY the fake received.
type Identify struct {
	Token      string         `json:"token"`
	Intents    int            `json:"intents"`
	Shard      *[2]int        `json:"shard"`
	Compress   bool           `json:"compress"`
	Properties map[string]any `json:"properties"`
}

// ServerOption configures a Server.
type ServerOption func(*Server)

// WithToken sets the accepted bot token (default Token).
func WithToken(token string) ServerOption { return func(s *Server) { s.token = token } }

// WithHeartbeatInterval sets the interval sent in HELLO (default 41.25 s,
// Discord's usual value).
func WithHeartbeatInterval(d time.Duration) ServerOption {
	return func(s *Server) { s.heartbeat = d }
}

// WithGatewayDiscovery makes GET /gateway answer url instead of the fake's
// own gateway (to test a gateway URL override).
func WithGatewayDiscovery(url string) ServerOption { return func(s *Server) { s.discovery = url } }

// Server is a running fake Discord.
type Server struct {
	srv       *httptest.Server
	token     string
	heartbeat time.Duration
	discovery string
	upgrader  websocket.Upgrader

	mu         sync.Mutex
	changed    chan struct{} // closed and replaced on every state change
	requests   []Request
	failures   []*failure
	violations []string
	identifies []Identify
	resumes    int
	conns      int
	conn       *gwConn
	sessions   int
	sessionID  string
	seq        int64
	pending    [][]byte // dispatches (already numbered) while no session is connected
	nextID     int
	closed     bool
}

type gwConn struct {
	ws      *websocket.Conn
	writeMu sync.Mutex
}

func (c *gwConn) write(data []byte) error {
	c.writeMu.Lock()
	defer c.writeMu.Unlock()
	c.ws.SetWriteDeadline(time.Now().Add(5 * time.Second))
	return c.ws.WriteMessage(websocket.TextMessage, data)
}

type failure struct {
	method, pathPart string
	status           int
	body             string
	header           http.Header
	times            int
}

// New starts a fake on 127.0.0.1 and stops it when the test ends.
func New(tb testing.TB, opts ...ServerOption) *Server {
	tb.Helper()
	s := &Server{
		token:     Token,
		heartbeat: 41250 * time.Millisecond,
		changed:   make(chan struct{}),
	}
	for _, o := range opts {
		o(s)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/gateway", s.serveGateway)
	mux.HandleFunc("/gateway/", s.serveGateway)
	mux.HandleFunc(APIPrefix, s.serveREST)
	s.srv = httptest.NewServer(mux)
	tb.Cleanup(s.Close)
	return s
}

// Close drops any gateway connection and stops the server.
func (s *Server) Close() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	c := s.conn
	s.conn = nil
	s.mu.Unlock()
	if c != nil {
		c.ws.Close()
	}
	s.srv.CloseClientConnections()
	s.srv.Close()
}

// APIURL is the REST base URL to configure (…/api/v9/).
func (s *Server) APIURL() string { return s.srv.URL + APIPrefix }

// GatewayURL is the fake's gateway WebSocket URL.
func (s *Server) GatewayURL() string {
	return "ws" + strings.TrimPrefix(s.srv.URL, "http") + "/gateway"
}

// notify wakes waiters; s.mu must be held.
func (s *Server) notify() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// waitFor waits until cond (called with s.mu held) is true.
func (s *Server) waitFor(ctx context.Context, what string, cond func() bool) error {
	for {
		s.mu.Lock()
		ok, ch := cond(), s.changed
		s.mu.Unlock()
		if ok {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return fmt.Errorf("discordfake: waiting for %s: %w", what, ctx.Err())
		}
	}
}

// ---- gateway ----

func (s *Server) serveGateway(w http.ResponseWriter, r *http.Request) {
	ws, err := s.upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	c := &gwConn{ws: ws}
	defer ws.Close()
	s.mu.Lock()
	s.conns++
	s.notify()
	s.mu.Unlock()

	hello, _ := json.Marshal(map[string]any{"op": 10, "d": map[string]any{"heartbeat_interval": s.heartbeat.Milliseconds()}})
	if c.write(hello) != nil {
		return
	}
	ws.SetReadDeadline(time.Now().Add(10 * time.Second))
	var first struct {
		Op int             `json:"op"`
		D  json.RawMessage `json:"d"`
	}
	if ws.ReadJSON(&first) != nil {
		return
	}
	ws.SetReadDeadline(time.Time{})
	switch first.Op {
	case 2:
		if !s.identify(c, first.D) {
			return
		}
	case 6:
		if !s.resume(c, first.D) {
			return
		}
	default:
		s.closeWith(c, 4003, "Not authenticated.")
		return
	}
	for {
		var m struct {
			Op int `json:"op"`
		}
		if err := ws.ReadJSON(&m); err != nil {
			s.mu.Lock()
			if s.conn == c {
				s.conn = nil
				s.notify()
			}
			s.mu.Unlock()
			return
		}
		if m.Op == 1 {
			c.write([]byte(`{"op":11}`))
		}
	}
}

func (s *Server) closeWith(c *gwConn, code int, text string) {
	c.writeMu.Lock()
	c.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, text), time.Now().Add(time.Second))
	c.writeMu.Unlock()
}

func (s *Server) identify(c *gwConn, raw json.RawMessage) bool {
	var id Identify
	if json.Unmarshal(raw, &id) != nil || strings.TrimPrefix(id.Token, "Bot ") != s.token {
		s.closeWith(c, 4004, "Authentication failed.")
		return false
	}
	s.mu.Lock()
	s.identifies = append(s.identifies, id)
	s.sessions++
	s.sessionID = "session-" + strconv.Itoa(s.sessions)
	s.seq = 1
	s.pending = nil
	ready := map[string]any{
		"v":           9,
		"session_id":  s.sessionID,
		"user":        map[string]any{"id": BotID, "username": "kazbot", "discriminator": "0", "bot": true},
		"application": map[string]any{"id": AppID, "flags": 0},
		"guilds":      []any{map[string]any{"id": GuildID, "unavailable": true}},
	}
	if id.Shard != nil {
		ready["shard"] = id.Shard
	}
	data, _ := json.Marshal(map[string]any{"op": 0, "s": s.seq, "t": "READY", "d": ready})
	err := c.write(data)
	if err == nil {
		s.conn = c
	}
	s.notify()
	s.mu.Unlock()
	return err == nil
}

func (s *Server) resume(c *gwConn, raw json.RawMessage) bool {
	var r struct {
		Token     string `json:"token"`
		SessionID string `json:"session_id"`
		Seq       int64  `json:"seq"`
	}
	if json.Unmarshal(raw, &r) != nil || strings.TrimPrefix(r.Token, "Bot ") != s.token {
		s.closeWith(c, 4004, "Authentication failed.")
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if r.SessionID != s.sessionID {
		// Invalid session, not resumable: the client must identify again.
		c.write([]byte(`{"op":9,"d":false}`))
		return false
	}
	s.resumes++
	s.seq++
	data, _ := json.Marshal(map[string]any{"op": 0, "s": s.seq, "t": "RESUMED", "d": map[string]any{}})
	if c.write(data) != nil {
		return false
	}
	// Replay what the client missed.
	for len(s.pending) > 0 {
		if c.write(s.pending[0]) != nil {
			return false
		}
		s.pending = s.pending[1:]
	}
	s.conn = c
	s.notify()
	return true
}

// Dispatch sends a gateway event (op 0) to the connected client, or queues
// it for replay after a RESUME when none is connected.
func (s *Server) Dispatch(event string, d any) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.sessionID == "" {
		return fmt.Errorf("discordfake: dispatch %s: no session has identified", event)
	}
	s.seq++
	data, err := json.Marshal(map[string]any{"op": 0, "s": s.seq, "t": event, "d": d})
	if err != nil {
		return fmt.Errorf("discordfake: dispatch %s: %w", event, err)
	}
	if s.conn == nil || s.conn.write(data) != nil {
		s.pending = append(s.pending, data)
	}
	return nil
}

// Drop breaks the gateway connection without a close frame, as a network
// failure would. The client should reconnect and RESUME.
func (s *Server) Drop() {
	s.mu.Lock()
	c := s.conn
	s.conn = nil
	s.notify()
	s.mu.Unlock()
	if c != nil {
		c.ws.UnderlyingConn().Close()
	}
}

// Connected reports whether a client session is connected and ready.
func (s *Server) Connected() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.conn != nil
}

// WaitReady waits until a client has identified and is connected, and
// returns its latest IDENTIFY.
func (s *Server) WaitReady(ctx context.Context) (Identify, error) {
	var id Identify
	err := s.waitFor(ctx, "a session to identify", func() bool {
		if s.conn == nil || len(s.identifies) == 0 {
			return false
		}
		id = s.identifies[len(s.identifies)-1]
		return true
	})
	return id, err
}

// WaitResumed waits until the client has resumed n sessions in all and is
// connected.
func (s *Server) WaitResumed(ctx context.Context, n int) error {
	return s.waitFor(ctx, fmt.Sprintf("%d resume(s)", n), func() bool { return s.resumes >= n && s.conn != nil })
}

// Stats returns how many WebSocket connections, IDENTIFYs and RESUMEs the
// fake has seen.
func (s *Server) Stats() (connections, identifies, resumes int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.conns, len(s.identifies), s.resumes
}

// ---- REST ----

// RateLimitNext answers the next request whose method is method and whose
// path contains pathPart with 429 and retry_after, as Discord does.
func (s *Server) RateLimitNext(method, pathPart string, retryAfter time.Duration) {
	body, _ := json.Marshal(map[string]any{
		"message":     "You are being rate limited.",
		"retry_after": retryAfter.Seconds(),
		"global":      false,
	})
	h := http.Header{}
	h.Set("Retry-After", strconv.Itoa(int(retryAfter.Seconds()+0.999)))
	h.Set("X-RateLimit-Scope", "user")
	s.FailNext(method, pathPart, http.StatusTooManyRequests, string(body), h, 1)
}

// FailNext answers the next times requests whose method is method and whose
// path contains pathPart with status and body.
func (s *Server) FailNext(method, pathPart string, status int, body string, header http.Header, times int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failures = append(s.failures, &failure{method: method, pathPart: pathPart, status: status, body: body, header: header, times: times})
}

// Requests returns every REST request so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// WaitRequest waits for a request (already received or to come) that match
// accepts, and returns the first one.
func (s *Server) WaitRequest(ctx context.Context, what string, match func(Request) bool) (Request, error) {
	var found Request
	err := s.waitFor(ctx, what, func() bool {
		for _, r := range s.requests {
			if match(r) {
				found = r
				return true
			}
		}
		return false
	})
	return found, err
}

// Violations returns every Discord limit the bot's requests broke.
func (s *Server) Violations() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.violations...)
}

func (s *Server) serveREST(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	req := Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Auth: r.Header.Get("Authorization"), Body: body}
	status, header, resp := s.route(req)
	req.Status = status

	s.mu.Lock()
	s.requests = append(s.requests, req)
	s.notify()
	s.mu.Unlock()

	for k, vs := range header {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	if resp == nil {
		w.WriteHeader(status)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(resp)
}

func jsonBody(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}

func errorBody(code int, msg string) []byte {
	return jsonBody(map[string]any{"code": code, "message": msg})
}

// route decides the answer to one request.
func (s *Server) route(req Request) (int, http.Header, []byte) {
	s.mu.Lock()
	for i, f := range s.failures {
		if f.method == req.Method && strings.Contains(req.Path, f.pathPart) {
			f.times--
			if f.times <= 0 {
				s.failures = append(s.failures[:i], s.failures[i+1:]...)
			}
			s.mu.Unlock()
			return f.status, f.header, []byte(f.body)
		}
	}
	s.mu.Unlock()

	parts := strings.Split(strings.TrimPrefix(req.Path, APIPrefix), "/")
	// Interaction callbacks and webhooks are authorised by their token in
	// the URL; everything else needs the bot token.
	open := parts[0] == "interactions" || parts[0] == "webhooks"
	if !open && req.Auth != "Bot "+s.token {
		return http.StatusUnauthorized, nil, errorBody(0, "401: Unauthorized")
	}

	switch {
	case req.Method == "GET" && len(parts) == 1 && parts[0] == "gateway":
		url := s.discovery
		if url == "" {
			url = s.GatewayURL()
		}
		return http.StatusOK, nil, jsonBody(map[string]any{"url": url})
	case req.Method == "GET" && len(parts) == 2 && parts[0] == "gateway" && parts[1] == "bot":
		return http.StatusOK, nil, jsonBody(map[string]any{"url": s.GatewayURL(), "shards": 1,
			"session_start_limit": map[string]any{"total": 1000, "remaining": 1000, "reset_after": 0, "max_concurrency": 1}})
	case req.Method == "GET" && req.Path == APIPrefix+"users/@me":
		return http.StatusOK, nil, jsonBody(map[string]any{"id": BotID, "username": "kazbot", "bot": true})
	case req.Method == "PUT" && parts[0] == "applications" && parts[len(parts)-1] == "commands":
		if parts[1] != AppID {
			return http.StatusNotFound, nil, errorBody(10002, "Unknown Application")
		}
		var cmds []map[string]any
		if err := json.Unmarshal(req.Body, &cmds); err != nil {
			return s.violation(req, "commands body: "+err.Error())
		}
		if v := ValidateCommands(cmds); len(v) > 0 {
			return s.violation(req, v...)
		}
		for i, c := range cmds {
			c["id"] = strconv.Itoa(900 + i)
			c["application_id"] = AppID
			c["version"] = "1"
		}
		return http.StatusOK, nil, jsonBody(cmds)
	case req.Method == "POST" && parts[0] == "interactions" && len(parts) == 4 && parts[3] == "callback":
		if parts[2] != InteractionToken(parts[1]) {
			return http.StatusUnauthorized, nil, errorBody(50027, "Invalid Webhook Token")
		}
		var cb map[string]any
		if err := json.Unmarshal(req.Body, &cb); err != nil {
			return s.violation(req, "callback body: "+err.Error())
		}
		if v := ValidateCallback(cb); len(v) > 0 {
			return s.violation(req, v...)
		}
		return http.StatusNoContent, nil, nil
	case parts[0] == "webhooks" && len(parts) >= 3:
		if parts[1] != AppID {
			return http.StatusNotFound, nil, errorBody(10015, "Unknown Webhook")
		}
		switch {
		case req.Method == "DELETE":
			return http.StatusNoContent, nil, nil
		case req.Method == "POST" || req.Method == "PATCH":
			var m map[string]any
			if err := json.Unmarshal(req.Body, &m); err != nil {
				return s.violation(req, "webhook body: "+err.Error())
			}
			if v := ValidateMessage(m, req.Method == "POST"); len(v) > 0 {
				return s.violation(req, v...)
			}
			return http.StatusOK, nil, s.message(ChannelID, m)
		}
	case req.Method == "POST" && parts[0] == "channels" && len(parts) == 3 && parts[2] == "messages":
		var m map[string]any
		if err := json.Unmarshal(req.Body, &m); err != nil {
			return s.violation(req, "message body: "+err.Error())
		}
		if v := ValidateMessage(m, true); len(v) > 0 {
			return s.violation(req, v...)
		}
		return http.StatusOK, nil, s.message(parts[1], m)
	}
	return http.StatusNotFound, nil, errorBody(0, "404: Not Found")
}

func (s *Server) violation(req Request, v ...string) (int, http.Header, []byte) {
	s.mu.Lock()
	for _, x := range v {
		s.violations = append(s.violations, req.Method+" "+req.Path+": "+x)
	}
	s.mu.Unlock()
	return http.StatusBadRequest, nil, jsonBody(map[string]any{
		"code": 50035, "message": "Invalid Form Body", "errors": map[string]any{"_errors": v},
	})
}

// message returns a Message object for a message the bot created.
func (s *Server) message(channelID string, m map[string]any) []byte {
	s.mu.Lock()
	s.nextID++
	id := "7000000000000" + strconv.Itoa(10000+s.nextID)
	s.mu.Unlock()
	out := map[string]any{
		"id": id, "channel_id": channelID, "type": 0, "content": m["content"],
		"timestamp": time.Now().UTC().Format(time.RFC3339),
		"author":    map[string]any{"id": BotID, "username": "kazbot", "bot": true},
		"embeds":    m["embeds"], "components": m["components"],
	}
	return jsonBody(out)
}
