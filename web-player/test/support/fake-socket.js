// A WebSocket double for the tracker connection: tests play the tracker through `sockets`, each
// recording the frames the client sent (parsed) and sending frames back with serverSends.
export function fakeWebSocket({ welcome = null } = {}) {
  /** @type {FakeSocket[]} */
  const sockets = [];
  class FakeSocket {
    constructor(url) {
      this.url = url;
      this.sent = [];
      this.closed = false;
      this.listeners = new Map();
      sockets.push(this);
      if (welcome) queueMicrotask(() => this.serverSends(welcome));
    }

    addEventListener(type, listener) {
      this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
    }

    send(text) {
      this.sent.push(JSON.parse(text));
    }

    close() {
      this.closed = true;
    }

    /** The tracker sends a frame. */
    serverSends(frame) {
      (this.listeners.get('message') ?? []).forEach((l) => l({ data: JSON.stringify(frame) }));
    }

    /** The connection drops. */
    serverCloses(code = 1006) {
      (this.listeners.get('close') ?? []).forEach((l) => l({ code }));
    }
  }
  return { FakeSocket, sockets };
}
