package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"

	"descent/mnist"
	"descent/server"
	land "descent/server/landscape"
	"descent/server/protocol"
)

// classroom holds the flags of `descent serve` for a classroom: the tokens
// and the limits (server/access.go, server/limits.go).
type classroom struct {
	token, watch string
	limits       server.Limits
	resolved     *server.Access
}

// classroomFlags registers the access and limit flags on fs.
func classroomFlags(fs *flag.FlagSet) *classroom {
	c := &classroom{}
	fs.StringVar(&c.token, "token", "", "the teacher's token, which controls everything; generated when another address than loopback is bound")
	fs.StringVar(&c.watch, "watch-token", "", "the students' token: watch runs, draw and explore surfaces, but not start or stop runs; generated with --token")
	l := &c.limits
	fs.IntVar(&l.MaxQueued, "max-queued", server.DefaultMaxQueued, "runs that may wait for a training slot")
	fs.IntVar(&l.MaxRunsPerConn, "max-runs-per-conn", server.DefaultMaxRunsPerConn, "unfinished runs that one page may have started")
	fs.IntVar(&l.MaxEpochs, "max-epochs", server.DefaultMaxEpochs, "epochs of one run")
	fs.IntVar(&l.MaxParams, "max-params", server.DefaultMaxParams, "weights and biases of one network")
	fs.IntVar(&l.MaxTrajSteps, "max-traj-steps", protocol.MaxTrajSteps, "steps of one trajectory of the surface explorer")
	fs.IntVar(&l.MaxMessage, "max-message", server.DefaultMaxMessage, "bytes of one command (a drawing may take 128 KiB)")
	fs.Float64Var(&l.MaxRate, "max-rate", server.DefaultMaxRate, fmt.Sprintf("commands a page may send a second, %d at once", server.DefaultRateBurst))
	fs.IntVar(&l.MaxConns, "max-conns", server.DefaultMaxConns, "open websockets (pages)")
	fs.IntVar(&l.MaxAnalyses, "max-analyses", server.DefaultMaxAnalyses(), "heavy analyses (a Hessian, a loss landscape) at once, below training's priority")
	fs.IntVar(&l.MaxLearners, "max-learners", server.DefaultMaxLearners, "learn copies (\"learn this digit\") that one page may hold")
	fs.IntVar(&l.MaxLearnersTotal, "max-learners-total", server.DefaultMaxLearnersTotal, "learn copies of every page together")
	fs.IntVar(&l.MaxLearnMemory, "max-learn-memory", server.DefaultMaxLearnMemory, "MiB that the learn copies of every page may hold together")
	fs.IntVar(&l.MaxKept, "max-kept", server.DefaultMaxKept, "learn copies kept as models, for the life of the server")
	fs.IntVar(&l.LearnWorkers, "learn-workers", server.DefaultLearnWorkers, "learn steps and gradient checks carried out at once (each takes a core while it runs)")
	fs.IntVar(&l.MaxLandscapeGrid, "max-landscape-grid", land.DefaultMaxGrid, fmt.Sprintf("points along each side of a loss landscape's slice (at most %d)", mnist.MaxGrid))
	fs.IntVar(&l.MaxLandscapeImages, "max-landscape-images", land.DefaultMaxImages, "training (and test) images a loss landscape is measured on")
	fs.IntVar(&l.MaxHessianExamples, "max-hessian-examples", server.DefaultMaxHessianExamples, "training images of a Hessian's probe set (the panel's and sharpness tracking's)")
	fs.IntVar(&l.MaxHessianParams, "max-hessian-params", server.DefaultMaxHessianParams, "parameters of a network whose Hessian may be analysed or its sharpness tracked")
	fs.Float64Var(&l.SharpnessBudget, "sharpness-budget", server.DefaultSharpnessBudget, "each sharpness tracker's share of its run's arithmetic (above 0, at most 8; above 1 on cores that would idle)")
	return c
}

// check refuses bad tokens and limits out of range.
func (c *classroom) check() error {
	if err := c.limits.Check(); err != nil {
		return err
	}
	for _, l := range []int{c.limits.MaxQueued, c.limits.MaxRunsPerConn, c.limits.MaxEpochs, c.limits.MaxParams,
		c.limits.MaxTrajSteps, c.limits.MaxMessage, c.limits.MaxConns, c.limits.MaxAnalyses, c.limits.MaxLearners, c.limits.MaxLearnersTotal,
		c.limits.MaxLearnMemory, c.limits.MaxKept, c.limits.LearnWorkers, c.limits.MaxLandscapeGrid, c.limits.MaxLandscapeImages,
		c.limits.MaxHessianExamples, c.limits.MaxHessianParams} {
		if l < 1 {
			return fmt.Errorf("server: each --max-… flag and --learn-workers must be at least 1")
		}
	}
	if c.limits.MaxRate <= 0 || c.limits.SharpnessBudget <= 0 {
		return fmt.Errorf("server: --max-rate and --sharpness-budget must be positive")
	}
	for flag, tok := range map[string]string{"--token": c.token, "--watch-token": c.watch} {
		if tok != "" {
			if err := server.CheckToken(flag, tok); err != nil {
				return err
			}
		}
	}
	if c.token != "" && c.token == c.watch {
		return fmt.Errorf("server: --token and --watch-token must differ")
	}
	return nil
}

// access returns the tokens: none on loopback without flags; else the
// given ones, and random ones for those not given.
func (c *classroom) access(addr net.Addr) server.Access {
	if c.resolved != nil {
		return *c.resolved
	}
	a := server.Access{Token: c.token, WatchToken: c.watch}
	if !isLoopback(addr) || !a.Open() {
		if a.Token == "" {
			a.Token = server.NewToken()
		}
		if a.WatchToken == "" {
			a.WatchToken = server.NewToken()
		}
	}
	a.LoopbackNames = a.Open() // against DNS rebinding (server/access.go)
	c.resolved = &a
	return a
}

// isLoopback reports whether addr accepts connections from this machine only.
func isLoopback(addr net.Addr) bool {
	tcp, ok := addr.(*net.TCPAddr)
	return ok && tcp.IP.IsLoopback()
}

// announce prints the links to share, on stdout and in the log.
func (c *classroom) announce(stdout io.Writer, log *slog.Logger, addr net.Addr) {
	a := c.access(addr)
	hosts := shareHosts(addr)
	if a.Open() {
		fmt.Fprintf(stdout, "descent: serving on http://%s (Ctrl-C to stop)\n", hosts[0])
		log.Info("serving", "url", "http://"+hosts[0])
		return
	}
	link := func(host, tok string) string { return "http://" + host + "/?token=" + url.QueryEscape(tok) }
	where := addr.String()
	if tcp, ok := addr.(*net.TCPAddr); ok && tcp.IP.IsUnspecified() {
		where = fmt.Sprintf("port %d of every address of this machine", tcp.Port)
	}
	fmt.Fprintf(stdout, "descent: serving on %s (Ctrl-C to stop); the links to share:\n", where)
	for _, h := range hosts {
		fmt.Fprintf(stdout, "  teacher (controls everything): %s\n", link(h, a.Token))
		fmt.Fprintf(stdout, "  students (watch and draw):     %s\n", link(h, a.WatchToken))
		log.Info("serving", "teacher", link(h, a.Token), "watch", link(h, a.WatchToken))
	}
}

// shareHosts returns host:port for the links: the address itself, or for an
// unspecified one (0.0.0.0, ::) this machine's non-loopback IPv4 addresses.
func shareHosts(addr net.Addr) []string {
	tcp, ok := addr.(*net.TCPAddr)
	if !ok || !tcp.IP.IsUnspecified() {
		return []string{addr.String()}
	}
	port := fmt.Sprint(tcp.Port)
	var hosts []string
	if ifs, err := net.InterfaceAddrs(); err == nil {
		for _, ia := range ifs {
			if n, ok := ia.(*net.IPNet); ok && !n.IP.IsLoopback() && n.IP.To4() != nil {
				hosts = append(hosts, net.JoinHostPort(n.IP.String(), port))
			}
		}
	}
	if len(hosts) == 0 {
		hosts = []string{net.JoinHostPort("127.0.0.1", port)}
	}
	return hosts
}
