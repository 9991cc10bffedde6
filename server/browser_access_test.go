package server_test

import (
	"testing"

	"github.com/chromedp/chromedp"

	"descent/server"
)

// TestBrowserWatchLink opens the students' link and then the teacher's in
// chromium: the token in the query becomes a cookie that the page's assets
// and websocket carry, and the watch-only page hides the run controls.
func TestBrowserWatchLink(t *testing.T) {
	needBrowser(t)
	train, test := realMNIST(t)
	_, ts := servePage(t, server.Config{Train: train, Test: test, Concurrent: 1, Access: server.Access{Token: "teacher-1234", WatchToken: "student-1234"}})
	b := &browser{t: t, ctx: newBrowser(t), dir: t.TempDir()}

	visible := func(sel string) string { return `document.querySelector('` + sel + `').offsetParent !== null` }
	b.run(chromedp.Navigate(ts.URL + "/?token=student-1234"))
	b.waitJS("the watch page ready over its websocket", `document.body.dataset.ready === "1" && document.body.dataset.role === "watch"`)
	b.waitJS("run controls hidden", `!(`+visible(`#view-train form button[type=submit]`)+`) && !(`+visible(`#view-train .runbar .buttons button`)+`)`)
	b.waitJS("the drawing canvas shown", `document.querySelector('#draw-canvas') !== null && window.descentErrors.length === 0`)

	b.run(chromedp.Navigate(ts.URL + "/?token=teacher-1234"))
	b.waitJS("the teacher's page ready", `document.body.dataset.ready === "1" && document.body.dataset.role === "control"`)
	b.waitJS("run controls shown", visible(`#view-train form button[type=submit]`))
	b.run(chromedp.Navigate(ts.URL + "/")) // the cookie alone
	b.waitJS("the page ready again from its cookie", `document.body.dataset.ready === "1" && document.body.dataset.role === "control"`)
}
