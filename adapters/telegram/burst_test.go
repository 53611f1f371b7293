package telegram_test

import (
	"fmt"
	"regexp"
	"strconv"
	"testing"
	"time"

	"kazbot/adapters/telegram/telegramfake"
	"kazbot/bot/bottest"
)

// burstQuestions are asked in turn; each reply is tagged with the message
// it answers.
var burstQuestions = []string{
	"When did Kazakhstan join the United Nations?",
	"What share of the Tengiz oil field did Chevron get?",
	"How did Kazakhstan and China divide the disputed border land?",
	"What is the Khorgos free trade zone?",
	"How much have US companies invested in Kazakhstan?",
	"When was Kazakhstan first elected to the UN Security Council?",
	"hello",
	"what is the capital of brazil",
	"/fact china",
	"/topics",
}

const (
	burstUsers    = 50
	burstPerUser  = 10
	burstUpdates  = burstUsers * burstPerUser
	burstFirstUID = 5000
)

// burst builds 500 messages from 50 users, interleaved as they would
// arrive: every user's first message, then every user's second, and so on.
func burst() []telegramfake.Update {
	var us []telegramfake.Update
	for n := range burstPerUser {
		for i := range burstUsers {
			u := telegramfake.NewUser(int64(burstFirstUID + i))
			text := fmt.Sprintf("q%d|%s", n, burstQuestions[(n+i)%len(burstQuestions)])
			us = append(us, telegramfake.Text(telegramfake.PrivateChat(u), u, text))
		}
	}
	return us
}

var tagOut = regexp.MustCompile(`\[q(\d+)\]`)

// checkBurst verifies that every chat got exactly its messages' answers, in
// order.
func checkBurst(t testing.TB, sent []telegramfake.Sent) {
	t.Helper()
	if len(sent) != burstUpdates {
		t.Fatalf("sent %d messages for %d updates", len(sent), burstUpdates)
	}
	next := map[int64]int{}
	for _, s := range sent {
		m := tagOut.FindStringSubmatch(s.Visible)
		if m == nil {
			t.Fatalf("chat %d got an untagged reply %q", s.ChatID, s.Visible)
		}
		n, _ := strconv.Atoi(m[1])
		if n != next[s.ChatID] {
			t.Fatalf("chat %d got the answer to message %d when message %d was due", s.ChatID, n, next[s.ChatID])
		}
		next[s.ChatID]++
	}
	for i := range burstUsers {
		if got := next[int64(burstFirstUID+i)]; got != burstPerUser {
			t.Errorf("chat %d got %d answers, want %d", burstFirstUID+i, got, burstPerUser)
		}
	}
}

func TestABurstOf500UpdatesFrom50UsersIsAnsweredOnceInOrder(t *testing.T) {
	h := start(t, tagEngine{bottest.Engine(t)})
	began := time.Now()
	h.push(burst()...)
	sent := h.waitSent(burstUpdates)
	took := time.Since(began)
	checkBurst(t, sent)
	t.Logf("%d updates from %d users answered in %v: %.0f updates/s end to end (go test -bench Burst for a steadier figure)",
		burstUpdates, burstUsers, took.Round(time.Millisecond), burstUpdates/took.Seconds())
}

// BenchmarkBurst measures end-to-end throughput: 500 updates from 50 users
// pushed to the fake, polled, answered by the real engine over the test
// pack and sent back, per iteration.
func BenchmarkBurst(b *testing.B) {
	h := start(b, tagEngine{bottest.Engine(b)})
	us := burst()
	b.ResetTimer()
	began := time.Now()
	for i := range b.N {
		h.push(us...)
		h.waitSent((i + 1) * burstUpdates)
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N*burstUpdates)/time.Since(began).Seconds(), "updates/s")
	checkBurst(b, h.fake.Sent()[:burstUpdates])
}
