/**
 * A websocket that comes back by itself, framework-free.
 *
 * Why not partysocket / reconnecting-websocket: their delay has no jitter (a room of players on
 * one wifi reconnects in lock-step), the pending delay is private (the UI must say "reconnecting
 * in 3 s"), and they queue messages while closed (an action would be sent again blindly).
 *
 * The owner gets `onOpen` (send `hello` there), `onMessage` and `onStatus`. The attempt count
 * resets only once a message arrives, so a server that accepts and drops at once still backs off.
 * Close codes 4000-4999 mean the server refused this client for good: no retry.
 */
import { backoffDelayMs, DEFAULT_BACKOFF, type BackoffPolicy } from "./backoff";

export type ConnectionPhase = "connecting" | "open" | "reconnecting" | "stopped";

export interface ConnectionStatus {
  phase: ConnectionPhase;
  /** Failed attempts in a row; 0 once the server has talked to us. */
  attempt: number;
  /** Wall-clock time (ms) of the next attempt while `reconnecting`. */
  retry_at_ms: number | null;
  /** Why the last connection ended, or why the socket stopped. */
  reason: string | null;
}

export interface SocketLike {
  readyState: number;
  onopen: ((event: unknown) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  send(text: string): void;
  close(code?: number, reason?: string): void;
}

export interface SocketEnvironment {
  createSocket(url: string): SocketLike;
  now(): number;
  setTimer(callback: () => void, delay_ms: number): unknown;
  clearTimer(handle: unknown): void;
  random(): number;
}

export interface Heartbeat {
  /** How often to send `{"type": "ping"}`. */
  ping_every_ms: number;
  /** Reconnect when nothing at all arrived for this long (a dead wifi link stays "open"). */
  stale_after_ms: number;
}

export interface SocketHandlers {
  onOpen(send: (text: string) => void): void;
  onMessage(text: string): void;
  onStatus(status: ConnectionStatus): void;
}

export interface SocketOptions {
  backoff?: BackoffPolicy;
  heartbeat?: Heartbeat | null;
  environment?: SocketEnvironment;
}

const OPEN = 1;
const CHECK_EVERY_MS = 1_000;

export const browserEnvironment: SocketEnvironment = {
  createSocket: (url) => new WebSocket(url) as unknown as SocketLike,
  now: () => Date.now(),
  setTimer: (callback, delay_ms) => window.setTimeout(callback, delay_ms),
  clearTimer: (handle) => window.clearTimeout(handle as number),
  random: () => Math.random(),
};

/** `ws://host/path` or `wss://host/path` for a path on the page's own host. */
export function websocketUrl(path: string, location: { protocol: string; host: string }): string {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${location.host}${path}`;
}

export class ReconnectingSocket {
  private socket: SocketLike | null = null;
  private retryTimer: unknown = null;
  private heartbeatTimer: unknown = null;
  private lastReceivedAt = 0;
  private lastPingAt = 0;
  private status: ConnectionStatus = {
    phase: "connecting",
    attempt: 0,
    retry_at_ms: null,
    reason: null,
  };
  private readonly env: SocketEnvironment;
  private readonly backoff: BackoffPolicy;
  private readonly heartbeat: Heartbeat | null;

  constructor(
    private readonly url: string,
    private readonly handlers: SocketHandlers,
    options: SocketOptions = {},
  ) {
    this.env = options.environment ?? browserEnvironment;
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.heartbeat = options.heartbeat === undefined ? null : options.heartbeat;
  }

  get current(): ConnectionStatus {
    return this.status;
  }

  start(): void {
    if (this.status.phase === "stopped") return;
    this.connect();
  }

  /** Closes for good; nothing reconnects after this. */
  stop(reason: string | null = null): void {
    this.clearTimers();
    this.setStatus({ phase: "stopped", attempt: this.status.attempt, retry_at_ms: null, reason });
    const socket = this.socket;
    this.socket = null;
    if (socket) this.detachAndClose(socket);
  }

  /** Sends when open; returns false (and sends nothing later) otherwise. */
  send(text: string): boolean {
    if (!this.socket || this.socket.readyState !== OPEN || this.status.phase !== "open") {
      return false;
    }
    this.socket.send(text);
    return true;
  }

  /** Skips the wait, e.g. when the browser says it is online again or the user clicks. */
  reconnectNow(): void {
    if (this.status.phase !== "reconnecting") return;
    if (this.retryTimer !== null) this.env.clearTimer(this.retryTimer);
    this.retryTimer = null;
    this.connect();
  }

  private connect(): void {
    this.setStatus({ ...this.status, phase: "connecting", retry_at_ms: null });
    let socket: SocketLike;
    try {
      socket = this.env.createSocket(this.url);
    } catch (error) {
      this.scheduleRetry(String(error));
      return;
    }
    this.socket = socket;
    socket.onopen = () => this.handleOpen(socket);
    socket.onmessage = (event) => this.handleMessage(socket, event.data);
    socket.onclose = (event) => this.handleClose(socket, event.code, event.reason);
    socket.onerror = () => {
      // A close event always follows an error; the retry is scheduled there.
    };
  }

  private handleOpen(socket: SocketLike): void {
    if (socket !== this.socket) return;
    this.lastReceivedAt = this.env.now();
    this.lastPingAt = this.lastReceivedAt;
    this.setStatus({ ...this.status, phase: "open", retry_at_ms: null, reason: null });
    this.handlers.onOpen((text) => socket.send(text));
    if (this.heartbeat) this.scheduleHeartbeat();
  }

  private handleMessage(socket: SocketLike, data: unknown): void {
    if (socket !== this.socket || typeof data !== "string") return;
    this.lastReceivedAt = this.env.now();
    if (this.status.attempt !== 0) this.setStatus({ ...this.status, attempt: 0 });
    this.handlers.onMessage(data);
  }

  private handleClose(socket: SocketLike, code: number, reason: string): void {
    if (socket !== this.socket) return;
    this.socket = null;
    this.clearTimers();
    const why = reason || `connection closed (code ${code})`;
    if (code >= 4000 && code < 5000) {
      this.setStatus({ ...this.status, phase: "stopped", retry_at_ms: null, reason: why });
      return;
    }
    this.scheduleRetry(why);
  }

  private scheduleRetry(reason: string): void {
    const attempt = this.status.attempt + 1;
    const delay_ms = backoffDelayMs(attempt, () => this.env.random(), this.backoff);
    this.setStatus({
      phase: "reconnecting",
      attempt,
      retry_at_ms: this.env.now() + delay_ms,
      reason,
    });
    this.retryTimer = this.env.setTimer(() => {
      this.retryTimer = null;
      this.connect();
    }, delay_ms);
  }

  private scheduleHeartbeat(): void {
    this.heartbeatTimer = this.env.setTimer(() => this.checkHeartbeat(), CHECK_EVERY_MS);
  }

  private checkHeartbeat(): void {
    this.heartbeatTimer = null;
    const heartbeat = this.heartbeat;
    const socket = this.socket;
    if (!heartbeat || !socket || this.status.phase !== "open") return;
    const now = this.env.now();
    if (now - this.lastReceivedAt > heartbeat.stale_after_ms) {
      this.socket = null;
      this.detachAndClose(socket);
      this.scheduleRetry("no answer from the server");
      return;
    }
    if (now - this.lastPingAt >= heartbeat.ping_every_ms) {
      this.lastPingAt = now;
      socket.send(JSON.stringify({ type: "ping" }));
    }
    this.scheduleHeartbeat();
  }

  private detachAndClose(socket: SocketLike): void {
    socket.onopen = null;
    socket.onmessage = null;
    socket.onclose = null;
    socket.onerror = null;
    try {
      socket.close(1000, "client closed");
    } catch {
      // Closing a socket that never opened may throw in some browsers; it is gone either way.
    }
  }

  private clearTimers(): void {
    if (this.retryTimer !== null) this.env.clearTimer(this.retryTimer);
    if (this.heartbeatTimer !== null) this.env.clearTimer(this.heartbeatTimer);
    this.retryTimer = null;
    this.heartbeatTimer = null;
  }

  private setStatus(status: ConnectionStatus): void {
    this.status = status;
    this.handlers.onStatus(status);
  }
}
