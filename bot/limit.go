package bot

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// limiter is a token bucket per user. A user refused once is told; further
// refusals are silent until a request is allowed again.
type limiter struct {
	mu       sync.Mutex
	every    rate.Limit
	burst    int
	now      func() time.Time
	users    map[string]*userLimit
	lastSwep time.Time
}

type userLimit struct {
	lim      *rate.Limiter
	told     bool
	lastSeen time.Time
}

// idleAfter is how long an unused bucket is kept; a bucket idle that long is
// full again, so dropping it changes nothing.
const idleAfter = 10 * time.Minute

func newLimiter(perMinute float64, burst int, now func() time.Time) *limiter {
	if burst < 1 {
		burst = 1
	}
	if now == nil {
		now = time.Now
	}
	return &limiter{
		every: rate.Limit(perMinute / 60),
		burst: burst,
		now:   now,
		users: map[string]*userLimit{},
	}
}

// allow reports whether key may make a request now and, if not, whether
// this is the first refusal since the last allowed request.
func (l *limiter) allow(key string) (allowed, notify bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	l.sweep(now)
	u := l.users[key]
	if u == nil {
		u = &userLimit{lim: rate.NewLimiter(l.every, l.burst)}
		l.users[key] = u
	}
	u.lastSeen = now
	if u.lim.AllowN(now, 1) {
		u.told = false
		return true, false
	}
	notify = !u.told
	u.told = true
	return false, notify
}

// sweep drops buckets idle for longer than idleAfter, at most once a minute.
func (l *limiter) sweep(now time.Time) {
	if now.Sub(l.lastSwep) < time.Minute {
		return
	}
	l.lastSwep = now
	for k, u := range l.users {
		if now.Sub(u.lastSeen) > idleAfter {
			delete(l.users, k)
		}
	}
}
