// The live connection to /ws/. The session cookie authenticates it (same origin), so no token ever travels in a
// URL. It reconnects with a growing, jittered delay, pings every 25 s, and treats a missing pong as a dead line:
// a half-open TCP connection (laptop sleep, proxy timeout) otherwise looks "open" forever and silently misses events.

const PING_EVERY_MS = 25_000;
const PONG_WITHIN_MS = 10_000;
const FIRST_DELAY_MS = 500;
const MAX_DELAY_MS = 15_000;
const CLOSE_UNAUTHENTICATED = 4401;

export class LiveSocket {
  constructor({ onReady, onFrame, onPong, onStatus, onUnauthenticated }) {
    this.onReady = onReady;
    this.onPong = onPong;
    this.onFrame = onFrame;
    this.onStatus = onStatus;
    this.onUnauthenticated = onUnauthenticated;
    this.ws = null;
    this.attempt = 0;
    this.everReady = false;
    this.retryTimer = null;
    this.pingTimer = null;
    this.pongTimer = null;
    window.addEventListener("online", () => this.reconnectNow());
  }

  get url() {
    const scheme = window.location.protocol === "https:" ? "wss" : "ws";
    return `${scheme}://${window.location.host}/ws/`;
  }

  start() {
    this.connect();
  }

  connect() {
    clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.onStatus(this.everReady ? "reconnecting" : "connecting");
    const ws = new WebSocket(this.url);
    this.ws = ws;
    ws.addEventListener("message", (event) => {
      let frame;
      try {
        frame = JSON.parse(event.data);
      } catch {
        return; // the server only sends JSON; anything else is not ours to act on
      }
      this.handle(frame);
    });
    ws.addEventListener("close", (event) => {
      if (this.ws !== ws) return; // an older socket replaced by reconnectNow()
      this.stopHeartbeat();
      this.ws = null;
      if (event.code === CLOSE_UNAUTHENTICATED) this.onUnauthenticated();
      this.scheduleReconnect();
    });
  }

  handle(frame) {
    if (frame.type === "pong") {
      clearTimeout(this.pongTimer);
      this.onPong(frame);
      return;
    }
    if (frame.type === "ready") {
      // Only a socket the server accepted resets the delay: one that opens and is refused keeps backing off.
      this.attempt = 0;
      const reconnected = this.everReady;
      this.everReady = true;
      this.startHeartbeat();
      this.onStatus("live");
      this.onReady(frame, { reconnected });
      return;
    }
    this.onFrame(frame);
  }

  send(frame) {
    if (this.ws && this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(frame));
  }

  startHeartbeat() {
    this.stopHeartbeat();
    this.pingTimer = setInterval(() => this.ping(), PING_EVERY_MS);
  }

  ping() {
    this.send({ type: "ping" });
    clearTimeout(this.pongTimer);
    this.pongTimer = setTimeout(() => this.ws?.close(), PONG_WITHIN_MS);
  }

  stopHeartbeat() {
    clearInterval(this.pingTimer);
    clearTimeout(this.pongTimer);
  }

  scheduleReconnect() {
    // Exponential with jitter, so that a restarted server is not hit by every open tab in the same instant.
    const ceiling = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** this.attempt);
    const delay = ceiling / 2 + Math.random() * (ceiling / 2);
    this.attempt += 1;
    this.onStatus("reconnecting");
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  reconnectNow() {
    if (this.ws && this.ws.readyState <= WebSocket.OPEN) return;
    this.connect();
  }
}
