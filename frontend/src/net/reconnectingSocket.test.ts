import { beforeEach, describe, expect, it } from "vitest";
import {
  ReconnectingSocket,
  websocketUrl,
  type ConnectionStatus,
  type SocketEnvironment,
  type SocketLike,
} from "./reconnectingSocket";

class FakeSocket implements SocketLike {
  readyState = 0;
  sent: string[] = [];
  closed = false;
  onopen: SocketLike["onopen"] = null;
  onclose: SocketLike["onclose"] = null;
  onerror: SocketLike["onerror"] = null;
  onmessage: SocketLike["onmessage"] = null;

  send(text: string) {
    this.sent.push(text);
  }
  close() {
    this.closed = true;
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  receive(text: string) {
    this.onmessage?.({ data: text });
  }
  drop(code = 1006, reason = "") {
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }
}

/** Timers and sockets the test drives by hand; time moves only with `advance`. */
class FakeEnvironment implements SocketEnvironment {
  now_ms = 0;
  sockets: FakeSocket[] = [];
  private timers = new Map<number, { at: number; callback: () => void }>();
  private nextTimer = 1;

  createSocket() {
    const socket = new FakeSocket();
    this.sockets.push(socket);
    return socket;
  }
  now() {
    return this.now_ms;
  }
  setTimer(callback: () => void, delay_ms: number) {
    const handle = this.nextTimer++;
    this.timers.set(handle, { at: this.now_ms + delay_ms, callback });
    return handle;
  }
  clearTimer(handle: unknown) {
    this.timers.delete(handle as number);
  }
  random() {
    return 0.5;
  }
  advance(ms: number) {
    const until = this.now_ms + ms;
    for (;;) {
      const due = [...this.timers.entries()]
        .filter(([, timer]) => timer.at <= until)
        .sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.now_ms = due[1].at;
      due[1].callback();
    }
    this.now_ms = until;
  }
  get last(): FakeSocket {
    return this.sockets[this.sockets.length - 1]!;
  }
}

describe("ReconnectingSocket", () => {
  let env: FakeEnvironment;
  let statuses: ConnectionStatus[];
  let received: string[];
  let socket: ReconnectingSocket;

  beforeEach(() => {
    env = new FakeEnvironment();
    statuses = [];
    received = [];
    socket = new ReconnectingSocket(
      "ws://test/ws/play/",
      {
        onOpen: (send) => send(JSON.stringify({ type: "hello", attempt: env.sockets.length })),
        onMessage: (text) => received.push(text),
        onStatus: (status) => statuses.push(status),
      },
      { environment: env, heartbeat: { ping_every_ms: 10_000, stale_after_ms: 25_000 } },
    );
    socket.start();
  });

  it("says hello on every open, the first and after a drop", () => {
    env.last.open();
    env.last.drop();
    env.advance(1_000);
    env.last.open();
    expect(env.sockets.map((item) => item.sent[0])).toEqual([
      '{"type":"hello","attempt":1}',
      '{"type":"hello","attempt":2}',
    ]);
  });

  it("waits longer after each failed attempt and tells when it retries", () => {
    env.last.drop();
    expect(socket.current).toMatchObject({ phase: "reconnecting", attempt: 1, retry_at_ms: 375 });
    env.advance(375);
    env.last.drop();
    expect(socket.current).toMatchObject({ phase: "reconnecting", attempt: 2 });
    expect(socket.current.retry_at_ms! - env.now_ms).toBe(750);
    env.advance(750);
    expect(env.sockets).toHaveLength(3);
  });

  it("starts the backoff over once the server talked to it", () => {
    env.last.drop();
    env.advance(375);
    env.last.drop();
    env.advance(750);
    env.last.open();
    expect(socket.current.attempt).toBe(2);
    env.last.receive('{"type":"welcome"}');
    expect(socket.current.attempt).toBe(0);
    env.last.drop();
    expect(socket.current.retry_at_ms! - env.now_ms).toBe(375);
  });

  it("sends nothing while closed, so an action is never replayed blindly", () => {
    env.last.open();
    env.last.drop();
    expect(socket.send('{"type":"action"}')).toBe(false);
    env.advance(1_000);
    env.last.open();
    expect(env.last.sent).toEqual(['{"type":"hello","attempt":2}']);
  });

  it("stops for good when the server refuses with a 4xxx code", () => {
    env.last.open();
    env.last.drop(4401, "bad token");
    env.advance(60_000);
    expect(env.sockets).toHaveLength(1);
    expect(socket.current).toMatchObject({ phase: "stopped", reason: "bad token" });
  });

  it("pings while quiet and reconnects when nothing comes back", () => {
    env.last.open();
    env.advance(10_000);
    expect(env.last.sent).toContain('{"type":"ping"}');
    env.advance(16_000);
    expect(env.sockets[0]!.closed).toBe(true);
    expect(socket.current.phase).toBe("reconnecting");
  });

  it("does not reconnect after stop", () => {
    env.last.open();
    socket.stop();
    env.last.drop();
    env.advance(60_000);
    expect(env.sockets).toHaveLength(1);
    expect(statuses[statuses.length - 1]?.phase).toBe("stopped");
  });

  it("hands over the server's messages", () => {
    env.last.open();
    env.last.receive('{"type":"pong"}');
    expect(received).toEqual(['{"type":"pong"}']);
  });
});

describe("websocketUrl", () => {
  it("follows the page's scheme", () => {
    expect(websocketUrl("/ws/play/", { protocol: "https:", host: "game.example:8443" })).toBe(
      "wss://game.example:8443/ws/play/",
    );
    expect(websocketUrl("/ws/play/", { protocol: "http:", host: "127.0.0.1:8765" })).toBe(
      "ws://127.0.0.1:8765/ws/play/",
    );
  });
});
