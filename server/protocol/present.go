package protocol

// A teacher who leads, under the same Version: the teacher's link (the
// control role) presents its current lesson step, or a view with its
// settings, as the page's URL state (what follows "#" in its address, the
// same state a copied link carries), and every page gets it; the pages of the
// watch link that follow the teacher open it. A watch page can never
// present.

// Command and event types of presenting.
const (
	CmdPresent  = "present"   // Present: show this to every page
	EvPresented = "presented" // Presented: what the teacher shows now (to every page)
)

// MaxPresentState bounds a presented state, in bytes: a link of the page
// stays well under 2,000 characters.
const MaxPresentState = 2000

// Present sends the teacher's view to every page; an empty State stops
// presenting.
//
//	{"type":"present","req":3,"state":"view=surface&fn=rosenbrock&m=gd,adam"}
type Present struct {
	Type  string `json:"type"`
	Req   int64  `json:"req,omitempty"`
	State string `json:"state"` // the page's URL state; printable, at most MaxPresentState bytes
}

// Presented is what the teacher presents now: sent to every page when it
// changes, and to a page that connects while a state is presented, after
// hello. Version grows with every change, so a page can tell a new
// presentation of the same state from an old one.
//
//	{"type":"presented","state":"lesson=2&step=1","version":4}
type Presented struct {
	Type    string `json:"type"`
	State   string `json:"state"` // "" when the teacher stopped presenting
	Version int64  `json:"version"`
}
