package server_test

import (
	"fmt"
	"testing"

	"descent/server"
)

// TestBrowserPresent is a class led from the teacher's link: the teacher
// presents the surface and the student's watch page follows it, its paths
// drawn; then a lesson step, its Try it, and a run the teacher starts,
// which the student's page watches live. The student steps out ("Explore on
// my own") and the teacher's next view no longer moves the page; "Follow
// the teacher" brings it back. The watch page has no Present switch and the
// server refuses it one; when the teacher stops, the page says so.
func TestBrowserPresent(t *testing.T) {
	needBrowser(t)
	train, test := subsetMNIST(t)
	_, ts := servePage(t, server.Config{Train: train, Test: test, Concurrent: 1,
		Access: server.Access{Token: "teacher-1234", WatchToken: "student-1234"}})
	teacher := openPage(t, ts.URL+"/?token=teacher-1234", 1280, 800, "en")
	student := openPage(t, ts.URL+"/?token=student-1234", 390, 844, "ko")
	student.waitJS("the watch page waiting for the teacher", `document.body.dataset.role === "watch" &&
		document.querySelector("[data-act=present]").hidden && !document.querySelector("[data-act=follow]").hidden &&
		document.querySelector(".present-state").textContent === "선생님이 보여 주는 화면 없음"`)
	student.eval(`window.descent.store.command({ type: "present", state: "v=draw" }, (ev) => { window.refused = ev.code; }), 0`)
	student.waitJS("the server refusing the watch page", `window.refused === "watchOnly"`)

	surface := "v=surface&fn=quadratic&fp=cond:10&o=gd:0.1,adam:0.3"
	teacher.eval(fmt.Sprintf(`window.descent.links.apply(%q), 0`, surface))
	teacher.click("[data-act=present]")
	teacher.waitJS("presenting", `document.querySelector("[data-act=present]").getAttribute("aria-pressed") === "true"`)
	follows(student, "the surface", `window.descent.links.state() === `+fmt.Sprintf("%q", surface))
	teacher.click("#view-surface [data-act=surfPlay]")
	follows(student, "the teacher's paths", `window.descent.surface.set && window.descent.surface.set.trajs.length === 2 &&
		window.descent.surface.set.trajs.every((tr) => tr.points.length > 5)`)
	student.shot("present-surface-ko-390x844.png")

	teacher.eval(`window.descent.links.apply("v=lessons&lesson=2&step=3"), 0`)
	follows(student, "the lesson step", `!document.querySelector("#view-lessons").hidden &&
		document.querySelector("#view-lessons [data-step='3']").getAttribute("aria-current") === "step"`)
	teacher.click("#view-lessons [data-act=lessonTry]")
	follows(student, "the step's Try it", `!document.querySelector("#view-compare").hidden && !document.querySelector(".lesson-banner").hidden &&
		window.descent.links.state() === "v=compare&lesson=2&step=3&rs=0.01,0.1,1,10&e=1&p=1&sh=1"`)

	teacher.eval(`window.descent.links.apply("v=train&b=64&e=4&p=1&n=640"), 0`)
	teacher.click("#view-train form button[type=submit]")
	teacher.waitJS("the teacher's run", `window.descent.views.train.current === "r1"`)
	follows(student, "the teacher's run", `window.descent.views.train.current === "r1" && !document.querySelector("#view-train").hidden`)
	student.waitJS("the run live on the student's page", `window.descent.store.run("r1").info.status === "running" &&
		window.descent.store.run("r1").steps.step.length > 0`)
	n := student.eval(`window.descent.store.run("r1").steps.step.length`)
	student.waitJS("more steps while it trains", fmt.Sprintf(`window.descent.store.run("r1").steps.step.length > %g`, n))
	student.shot("present-train-ko-390x844.png")

	student.click("[data-act=follow]")
	student.waitJS("exploring", `!window.descent.links.following && document.querySelector("[data-act=follow] .long").textContent === "선생님 따라가기"`)
	v := student.eval(`window.descent.store.presented.version`)
	teacher.eval(`document.querySelector("#tab-draw").click(), 0`)
	student.waitJS("the teacher's next view", fmt.Sprintf(`window.descent.store.presented.version > %g && window.descent.store.presented.state.startsWith("v=draw")`, v))
	if !student.truth(`!document.querySelector("#view-train").hidden && window.descent.links.view === "train"`) {
		t.Errorf("the student exploring on their own was moved to %s", student.text(`window.descent.links.view`))
	}
	student.click("[data-act=follow]")
	student.waitJS("following again", `window.descent.links.following && !document.querySelector("#view-draw").hidden`)

	teacher.click("[data-act=present]")
	student.waitJS("the teacher stopped", `window.descent.store.presented.state === "" &&
		document.querySelector(".present-state").textContent === "선생님이 보여 주는 화면 없음" && !document.querySelector("#view-draw").hidden`)
	for _, b := range []*browser{teacher, student} {
		if errs := b.list(`window.descentErrors`); len(errs) > 0 {
			t.Errorf("errors on the page: %q", errs)
		}
	}
}

// follows waits until the student's page shows what cond says, and checks
// that it says it follows the teacher.
func follows(b *browser, what, cond string) {
	b.t.Helper()
	b.waitJS("the student following "+what, cond)
	if got := b.text(`document.querySelector(".present-state").textContent`); got != "선생님을 따라가는 중" {
		b.t.Errorf("following %s, the page says %q", what, got)
	}
}
