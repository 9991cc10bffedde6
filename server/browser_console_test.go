package server_test

import (
	"context"
	"regexp"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"
)

// pageLog is what a page wrote to its console that fails a test: errors,
// uncaught exceptions and the browser's own entries for failed requests.
type pageLog struct {
	mu      sync.Mutex
	bad     []string
	allowed []*regexp.Regexp
}

var pageLogs sync.Map // context of a browser → *pageLog

// watchConsole records the page's console errors from now on and fails t at
// its end if there were any that allowPageErrors did not let through.
func watchConsole(t *testing.T, ctx context.Context) {
	t.Helper()
	pl := &pageLog{}
	pageLogs.Store(ctx, pl)
	messages := chromedp.Console(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.IsException() {
				pl.add(m.String() + " (" + m.URL + ")")
			}
		}
	}()
	t.Cleanup(func() {
		pageLogs.Delete(ctx)
		pl.mu.Lock()
		defer pl.mu.Unlock()
		for _, m := range pl.bad {
			t.Errorf("the page's console: %s", m)
		}
	})
}

func (pl *pageLog) add(m string) {
	pl.mu.Lock()
	defer pl.mu.Unlock()
	for _, re := range pl.allowed {
		if re.MatchString(m) {
			return
		}
	}
	pl.bad = append(pl.bad, m)
}

// allowPageErrors lets console errors that match pattern through, for a test
// that makes them on purpose (a server that goes away).
func allowPageErrors(ctx context.Context, pattern string) {
	if v, ok := pageLogs.Load(ctx); ok {
		pl := v.(*pageLog)
		pl.mu.Lock()
		pl.allowed = append(pl.allowed, regexp.MustCompile(pattern))
		pl.mu.Unlock()
	}
}
