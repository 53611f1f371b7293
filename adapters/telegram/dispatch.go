package telegram

import (
	"context"
	"errors"
	"strconv"
	"sync"

	tele "gopkg.in/telebot.v3"
)

// Dispatcher tuning.
const (
	// pendingPerWorker bounds the updates held in memory (queued or being
	// handled) per worker; when full, the poller and the webhook wait.
	pendingPerWorker = 64
	// fairTurn is how many updates of one chat a worker handles before it
	// lets other chats go first.
	fairTurn = 8
)

var errClosed = errors.New("telegram: not taking updates")

// dispatcher handles updates on a fixed pool of workers. Updates with the
// same key (one chat, or one user's inline queries) are handled one after
// another in arrival order; different keys run concurrently. This is the
// ordering telebot cannot give: its poller runs either every handler in
// its own goroutine (no order) or all of them on one goroutine (no
// concurrency).
type dispatcher struct {
	ctx   context.Context // cancelled at the shutdown deadline
	run   func(u tele.Update)
	slots chan struct{} // one per update held
	ready chan string   // keys with queued updates and no worker
	quit  chan struct{}
	wg    sync.WaitGroup

	mu         sync.Mutex
	queues     map[string][]tele.Update
	pending    int
	closed     bool
	drained    chan struct{} // closed once closed and nothing pending
	isDrained  bool
	dropped    int
	minDropped int // lowest update id dropped or cut short, 0 if none
}

func newDispatcher(ctx context.Context, workers int, run func(tele.Update)) *dispatcher {
	capacity := workers * pendingPerWorker
	d := &dispatcher{
		ctx:     ctx,
		run:     run,
		slots:   make(chan struct{}, capacity),
		ready:   make(chan string, capacity), // never blocks: #keys <= #pending
		quit:    make(chan struct{}),
		queues:  map[string][]tele.Update{},
		drained: make(chan struct{}),
	}
	d.wg.Add(workers)
	for range workers {
		go d.worker()
	}
	return d
}

// updateKey is the ordering key of u, or "" for updates the adapter does
// not handle.
func updateKey(u tele.Update) string {
	switch {
	case u.Message != nil && u.Message.Chat != nil:
		return "c" + strconv.FormatInt(u.Message.Chat.ID, 10)
	case u.Callback != nil && u.Callback.Message != nil && u.Callback.Message.Chat != nil:
		return "c" + strconv.FormatInt(u.Callback.Message.Chat.ID, 10)
	case u.Callback != nil && u.Callback.Sender != nil:
		return "u" + strconv.FormatInt(u.Callback.Sender.ID, 10)
	case u.Query != nil && u.Query.Sender != nil:
		return "q" + strconv.FormatInt(u.Query.Sender.ID, 10)
	}
	return ""
}

// submit queues u behind the earlier updates of its chat. It waits while
// the dispatcher is full, until ctx is done. Updates the adapter does not
// handle are accepted and skipped.
func (d *dispatcher) submit(ctx context.Context, u tele.Update) error {
	key := updateKey(u)
	if key == "" {
		return nil
	}
	select {
	case d.slots <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		<-d.slots
		return errClosed
	}
	d.pending++
	q, busy := d.queues[key]
	d.queues[key] = append(q, u)
	if !busy {
		d.ready <- key
	}
	return nil
}

func (d *dispatcher) worker() {
	defer d.wg.Done()
	for {
		select {
		case key := <-d.ready:
			d.serve(key)
		case <-d.quit:
			return
		}
	}
}

// serve handles key's queued updates in order. After fairTurn updates it
// puts the key back at the end of the line.
func (d *dispatcher) serve(key string) {
	for n := 0; ; n++ {
		d.mu.Lock()
		q := d.queues[key]
		if len(q) == 0 {
			delete(d.queues, key)
			d.mu.Unlock()
			return
		}
		if n == fairTurn {
			d.ready <- key
			d.mu.Unlock()
			return
		}
		u := q[0]
		q[0] = tele.Update{}
		d.queues[key] = q[1:]
		d.mu.Unlock()

		cut := d.ctx.Err() != nil
		if !cut {
			d.run(u)
			cut = d.ctx.Err() != nil
		}
		d.done(u.ID, cut)
	}
}

// done releases u's slot; cut says it was dropped or aborted by the
// shutdown deadline.
func (d *dispatcher) done(id int, cut bool) {
	d.mu.Lock()
	d.pending--
	if cut {
		d.dropped++
		if d.minDropped == 0 || id < d.minDropped {
			d.minDropped = id
		}
	}
	d.checkDrained()
	d.mu.Unlock()
	<-d.slots
}

// close stops taking updates; drained is closed once the queued ones are
// handled.
func (d *dispatcher) close() {
	d.mu.Lock()
	d.closed = true
	d.checkDrained()
	d.mu.Unlock()
}

func (d *dispatcher) checkDrained() {
	if d.closed && d.pending == 0 && !d.isDrained {
		d.isDrained = true
		close(d.drained)
	}
}

// stop ends the workers; call it after drained.
func (d *dispatcher) stop() {
	close(d.quit)
	d.wg.Wait()
}

func (d *dispatcher) pendingCount() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.pending
}

func (d *dispatcher) droppedCount() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.dropped
}

// lowestDropped returns the lowest update id that was dropped or cut short,
// or 0.
func (d *dispatcher) lowestDropped() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.minDropped
}
