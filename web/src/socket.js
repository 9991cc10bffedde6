// The websocket to the server: it reconnects with backoff and lets the page
// resubscribe (the server then sends each run's history again).

export class Socket {
  constructor(onEvent, onState) {
    this.onEvent = onEvent;
    this.onState = onState; // ("connecting" | "open" | "closed", secondsUntilRetry)
    this.delay = 500;
    this.req = 0;
    this.ws = null;
    this.connect();
  }

  connect() {
    const proto = location.protocol === "https:" ? "wss:" : "ws:";
    this.onState("connecting");
    const ws = new WebSocket(`${proto}//${location.host}/ws`);
    this.ws = ws;
    ws.onopen = () => { this.delay = 500; this.onState("open"); };
    ws.onmessage = (m) => {
      let ev;
      try { ev = JSON.parse(m.data); } catch { return; }
      this.onEvent(ev);
    };
    ws.onclose = () => {
      if (this.ws !== ws) return;
      const wait = this.delay;
      this.delay = Math.min(this.delay * 2, 10000);
      this.onState("closed", Math.round(wait / 1000));
      setTimeout(() => this.connect(), wait);
    };
  }

  get open() { return this.ws && this.ws.readyState === WebSocket.OPEN; }

  /** send sends a command and returns its req number. */
  send(cmd) {
    const req = ++this.req;
    if (this.open) this.ws.send(JSON.stringify({ ...cmd, req }));
    return req;
  }
}
