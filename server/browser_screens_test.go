package server_test

import (
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"descent/server"
)

// TestBrowserFirstScreens saves the first screen of each view (Train,
// Compare, Surface, Draw) at a projector's 1280×800 and a phone's 390×844,
// in English and in Korean, as <view>-<lang>-<w>x<h>.png.
func TestBrowserFirstScreens(t *testing.T) {
	needBrowser(t)
	train, test := realMNIST(t)
	srv := server.New(server.Config{Train: train, Test: test, Concurrent: 1,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	ts := httptest.NewServer(srv)
	defer ts.Close()
	defer srv.Close()
	b := &browser{t: t, ctx: newBrowser(t), dir: screenshotDir(t)}
	b.run(chromedp.EmulateViewport(1280, 800), chromedp.Navigate(ts.URL+"/"))
	b.waitJS("page ready", `document.body.dataset.ready === "1"`)
	for _, size := range [][2]int64{{1280, 800}, {390, 844}} {
		var opts []chromedp.EmulateViewportOption
		if size[0] < 500 {
			opts = append(opts, chromedp.EmulateMobile)
		}
		b.run(chromedp.EmulateViewport(size[0], size[1], opts...))
		for _, lang := range []string{"en", "ko"} {
			b.eval(fmt.Sprintf(`window.descent.setLanguage(%q), 0`, lang))
			for _, view := range []string{"train", "compare", "surface", "draw"} {
				b.run(chromedp.Click(chromedp.CSS("#tab-"+view)), chromedp.Sleep(600*time.Millisecond))
				b.eval(`window.scrollTo(0, 0), 0`)
				b.shot(fmt.Sprintf("%s-%s-%dx%d.png", view, lang, size[0], size[1]))
			}
		}
	}
}
