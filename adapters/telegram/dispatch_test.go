package telegram

import (
	"context"
	"errors"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	tele "gopkg.in/telebot.v3"
)

func msgUpdate(id int, chat int64) tele.Update {
	return tele.Update{ID: id, Message: &tele.Message{ID: id, Chat: &tele.Chat{ID: chat}}}
}

func waitChan(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(10 * time.Second):
		t.Fatalf("timed out waiting until %s", what)
	}
}

func TestDispatcherKeepsEachChatInOrderAndBoundsWorkers(t *testing.T) {
	const workers, chats, per = 4, 20, 50
	var (
		mu        sync.Mutex
		seen      = map[int64][]int{}
		running   = map[int64]bool{}
		active    atomic.Int32
		maxActive atomic.Int32
		overlap   atomic.Bool
	)
	d := newDispatcher(context.Background(), workers, func(u tele.Update) {
		n := active.Add(1)
		for {
			m := maxActive.Load()
			if n <= m || maxActive.CompareAndSwap(m, n) {
				break
			}
		}
		chat := u.Message.Chat.ID
		mu.Lock()
		if running[chat] {
			overlap.Store(true)
		}
		running[chat] = true
		mu.Unlock()
		for range rand.IntN(50) {
			// vary how long each update takes
			_ = rand.Int()
		}
		mu.Lock()
		running[chat] = false
		seen[chat] = append(seen[chat], u.ID)
		mu.Unlock()
		active.Add(-1)
	})
	// Updates arrive interleaved across chats; ids rise in arrival order.
	next := map[int64]int{}
	for id := 1; id <= chats*per; id++ {
		chat := int64(rand.IntN(chats))
		for next[chat] == per {
			chat = (chat + 1) % chats
		}
		next[chat]++
		if err := d.submit(context.Background(), msgUpdate(id, chat)); err != nil {
			t.Fatal(err)
		}
	}
	d.close()
	waitChan(t, d.drained, "every update is handled")
	d.stop()

	for chat, ids := range seen {
		if len(ids) != per {
			t.Errorf("chat %d: %d updates handled, want %d", chat, len(ids), per)
		}
		for i := 1; i < len(ids); i++ {
			if ids[i] < ids[i-1] {
				t.Fatalf("chat %d handled update %d after %d", chat, ids[i], ids[i-1])
			}
		}
	}
	if overlap.Load() {
		t.Error("two updates of one chat ran at the same time")
	}
	if m := maxActive.Load(); m > workers {
		t.Errorf("%d updates ran at once with %d workers", m, workers)
	}
}

func TestDispatcherDoesNotLetABusyChatHoldUpOthers(t *testing.T) {
	block := make(chan struct{})
	started := make(chan struct{})
	othersDone := make(chan struct{})
	var others atomic.Int32
	d := newDispatcher(context.Background(), 2, func(u tele.Update) {
		if u.Message.Chat.ID == 1 {
			if u.ID == 1 {
				close(started)
				<-block
			}
			return
		}
		if others.Add(1) == 5 {
			close(othersDone)
		}
	})
	ctx := context.Background()
	_ = d.submit(ctx, msgUpdate(1, 1))
	waitChan(t, started, "the slow update starts")
	_ = d.submit(ctx, msgUpdate(2, 1)) // queued behind the slow one
	for id := 3; id <= 7; id++ {
		_ = d.submit(ctx, msgUpdate(id, int64(id)))
	}
	waitChan(t, othersDone, "other chats are answered while one chat is busy")
	close(block)
	d.close()
	waitChan(t, d.drained, "the busy chat finishes")
	d.stop()
}

func TestDispatcherStopsTakingUpdatesWhenClosed(t *testing.T) {
	d := newDispatcher(context.Background(), 1, func(tele.Update) {})
	d.close()
	if err := d.submit(context.Background(), msgUpdate(1, 1)); !errors.Is(err, errClosed) {
		t.Errorf("submit after close = %v, want errClosed", err)
	}
	waitChan(t, d.drained, "an empty dispatcher reports drained")
	d.stop()
}

func TestDispatcherDropsQueuedUpdatesAtTheDeadline(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	started := make(chan struct{})
	d := newDispatcher(ctx, 1, func(u tele.Update) {
		if u.ID == 10 {
			close(started)
			<-ctx.Done() // a send that only the deadline ends
		}
	})
	for id := 10; id < 13; id++ {
		_ = d.submit(context.Background(), msgUpdate(id, 1))
	}
	waitChan(t, started, "the first update runs")
	d.close()
	cancel()
	waitChan(t, d.drained, "the queue is emptied after the deadline")
	d.stop()
	if n, low := d.droppedCount(), d.lowestDropped(); n != 3 || low != 10 {
		t.Errorf("dropped %d updates from %d, want 3 from 10", n, low)
	}
}

func TestUpdatesAreKeyedByChatOrUser(t *testing.T) {
	user := &tele.User{ID: 7}
	chat := &tele.Chat{ID: -5}
	tests := []struct {
		name string
		u    tele.Update
		want string
	}{
		{"a message by its chat", tele.Update{Message: &tele.Message{Chat: chat}}, "c-5"},
		{"a button press by its message's chat", tele.Update{Callback: &tele.Callback{Sender: user, Message: &tele.Message{Chat: chat}}}, "c-5"},
		{"a press under an inline message by its user", tele.Update{Callback: &tele.Callback{Sender: user}}, "u7"},
		{"an inline query by its user", tele.Update{Query: &tele.Query{Sender: user}}, "q7"},
		{"an edited message is not handled", tele.Update{EditedMessage: &tele.Message{Chat: chat}}, ""},
		{"a channel post is not handled", tele.Update{ChannelPost: &tele.Message{Chat: chat}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := updateKey(tt.u); got != tt.want {
				t.Errorf("updateKey = %q, want %q", got, tt.want)
			}
		})
	}
}
