// Two RTCDataChannel look-alikes wired to each other: what one sends, the other receives as a
// message event, asynchronously and in order. bufferedAmount is whatever a test sets.
export class FakeChannel {
  constructor() {
    this.readyState = 'connecting';
    this.bufferedAmount = 0;
    this.bufferedAmountLowThreshold = 0;
    this.binaryType = 'blob';
    /** @type {FakeChannel | null} */
    this.other = null;
    /** @type {Map<string, Set<Function>>} */
    this.listeners = new Map();
    /** @type {Uint8Array[]} every message sent, for tests that read the wire */
    this.sent = [];
  }

  addEventListener(type, listener) {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type).add(listener);
  }

  dispatch(type, event = {}) {
    for (const listener of this.listeners.get(type) ?? []) listener(event);
  }

  send(data) {
    if (this.readyState !== 'open') throw new Error('channel not open');
    const copy = new Uint8Array(data);
    this.sent.push(copy);
    const other = this.other;
    queueMicrotask(() => {
      if (other?.readyState === 'open') other.dispatch('message', { data: copy.buffer });
    });
  }

  /** Closes both ends once the messages already sent have arrived, as a data channel does. */
  close() {
    if (this.readyState === 'closed') return;
    this.readyState = 'closed';
    queueMicrotask(() => {
      this.dispatch('close');
      this.other?.close();
    });
  }

  /** Opens both ends. */
  open() {
    for (const end of [this, this.other]) {
      end.readyState = 'open';
      end.dispatch('open');
    }
  }
}

/** Two connected ends. */
export function channelPair() {
  const a = new FakeChannel();
  const b = new FakeChannel();
  a.other = b;
  b.other = a;
  return [a, b];
}
