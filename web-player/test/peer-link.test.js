// The rules of a connection, between two links over fake channels (and one raw channel where a
// test plays a peer that breaks them).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodeFrame, encodeFrame, TO_END } from '../src/peer/frames.js';
import { HAVE_INTERVAL_MS, HIGH_WATER, PeerLink, toRanges } from '../src/peer/peer-link.js';
import { channelPair } from './support/fake-channel.js';
import { FakeClock, settle } from './support/fake-clock.js';

const hello = (stream = 'demo', rendition = '360p') => ({ stream, rendition, flags: 0, maxRequests: 4, maxRequestBytes: 1 << 20 });

/** Two links on a pair of channels, opened; resolves once both greeted. */
async function linkedPair(clock = new FakeClock(), helloB = hello()) {
  const [a, b] = channelPair();
  const left = new PeerLink(a, { hello: hello(), clock });
  const right = new PeerLink(b, { hello: helloB, clock });
  a.open();
  await settle();
  return { left, right, a, b, clock };
}

/** A link facing a raw channel the test writes frames into. */
async function rawPeer(clock = new FakeClock()) {
  const [a, b] = channelPair();
  const link = new PeerLink(a, { hello: hello(), clock });
  const closed = new Promise((resolve) => link.on('close', resolve));
  a.open();
  await settle();
  const sendRaw = async (frame) => {
    b.send(frame instanceof Uint8Array ? frame : encodeFrame(frame));
    await settle();
  };
  const received = () => b.other.sent.map((bytes) => decodeFrame(bytes));
  return { link, sendRaw, received, closed };
}

const byeOf = (frames) => frames.find((f) => f.type === 'bye')?.reason;

describe('handshake', () => {
  test('both sides send HELLO then HAVE, and become ready', async () => {
    const { left, right, a } = await linkedPair();
    assert.ok(left.ready && right.ready);
    assert.deepEqual(a.sent.map((bytes) => decodeFrame(bytes).type), ['hello', 'have']);
    assert.equal(left.remote.rendition, '360p');
  });

  test('a HELLO for another swarm gets BYE wrong_swarm', async () => {
    const { left, right } = await linkedPair(new FakeClock(), hello('demo', '180p'));
    assert.ok(left.closed && right.closed);
  });

  test('a frame before HELLO, or a second HELLO, is a protocol error', async () => {
    const early = await rawPeer();
    await early.sendRaw({ type: 'have', held: [], fetching: [] });
    assert.equal((await early.closed).reason, 'protocol_error');
    assert.equal(byeOf(early.received()), 'protocol_error');

    const twice = await rawPeer();
    await twice.sendRaw({ type: 'hello', ...hello() });
    assert.ok(twice.link.ready);
    await twice.sendRaw({ type: 'hello', ...hello() });
    assert.equal((await twice.closed).reason, 'protocol_error');
  });

  test('a HELLO of another version gets BYE unsupported_version; garbage gets protocol_error', async () => {
    const later = await rawPeer();
    await later.sendRaw(new Uint8Array([1, 2, 0, 0]));
    assert.equal(byeOf(later.received()), 'unsupported_version');

    const garbage = await rawPeer();
    await garbage.sendRaw(new Uint8Array([0x42]));
    assert.equal(byeOf(garbage.received()), 'protocol_error');
  });

  test('no HELLO within the handshake time: the link closes', async () => {
    const clock = new FakeClock();
    const { link, closed } = await rawPeer(clock);
    await clock.advance(10_000);
    assert.equal((await closed).reason, 'timeout');
    assert.ok(link.closed);
  });
});

describe('holdings', () => {
  test('HAVE replaces what the other side knew; bursts go out once per interval', async () => {
    const clock = new FakeClock();
    const { left, right, a } = await linkedPair(clock);
    left.sendHave(toRanges([40, 41, 42]), toRanges([43]));
    left.sendHave(toRanges([40, 41, 42, 43]), []);
    await settle();
    assert.equal(right.holds(43), null, 'both wait for the interval since the first HAVE');
    await clock.advance(HAVE_INTERVAL_MS);
    assert.equal(right.holds(43), 'held');
    assert.equal(right.holds(39), null);
    assert.equal(a.sent.filter((bytes) => bytes[0] === 2).length, 2, 'the initial HAVE, then the last of the burst');
    left.sendHave(toRanges([41, 42, 43]), toRanges([44]));
    await clock.advance(HAVE_INTERVAL_MS);
    assert.equal(right.holds(40), null);
    assert.equal(right.holds(44), 'fetching');
  });

  test('toRanges folds sequences into ascending, non-touching ranges, the newest kept', () => {
    assert.deepEqual(toRanges([5, 3, 4, 9, 10, 12]), [{ first: 3, count: 3 }, { first: 9, count: 2 }, { first: 12, count: 1 }]);
    assert.deepEqual(toRanges([1, 3, 5], 2), [{ first: 3, count: 1 }, { first: 5, count: 1 }]);
  });
});

describe('requests', () => {
  test('PIECEs arrive in order and end the request; the server sees REQUEST and CANCEL', async () => {
    const { left, right } = await linkedPair();
    const data = new Uint8Array(40_000).map((_, i) => i % 251);
    right.on('request', (request) => {
      assert.deepEqual([request.sequence, request.start, request.end], [7, 0, TO_END]);
      right.sendPiece(request.requestId, data.length, 0, data.subarray(0, 16_384), false);
      right.sendPiece(request.requestId, data.length, 16_384, data.subarray(16_384, 32_768), false);
      right.sendPiece(request.requestId, data.length, 32_768, data.subarray(32_768), true);
    });
    const got = [];
    const ended = new Promise((resolve) => left.request(7, 0, TO_END, {
      onPiece: (piece) => got.push(...piece.payload), onEnd: resolve, onReject: assert.fail, onClose: assert.fail,
    }));
    await ended;
    assert.deepEqual(Uint8Array.from(got), data);
    assert.equal(left.open.size, 0);

    const cancelled = new Promise((resolve) => right.on('cancel', resolve));
    right.off('request', right.listeners.get('request').values().next().value);
    const cancel = left.request(8, 0, TO_END, { onPiece: assert.fail, onEnd: assert.fail, onReject: assert.fail, onClose() {} });
    await settle();
    cancel();
    assert.equal(await cancelled, 1);
    assert.equal(right.wants(1), false);
  });

  test('REJECT reaches the requester; a PIECE after CANCEL is ignored', async () => {
    const { link, sendRaw } = await rawPeer();
    await sendRaw({ type: 'hello', ...hello() });
    const rejected = new Promise((resolve) => link.request(3, 0, TO_END, {
      onPiece: assert.fail, onEnd: assert.fail, onReject: resolve, onClose: assert.fail,
    }));
    await sendRaw({ type: 'reject', requestId: 0, reason: 'not_held' });
    assert.equal(await rejected, 'not_held');

    const cancel = link.request(4, 0, TO_END, { onPiece: assert.fail, onEnd: assert.fail, onReject: assert.fail, onClose() {} });
    cancel();
    await sendRaw({ type: 'piece', requestId: 1, size: 10, offset: 0, payload: new Uint8Array(10) });
    assert.ok(link.ready, 'a late PIECE is no error');
  });

  test('a PIECE out of order, past the range, with a new size, or for a request never sent is an error', async () => {
    const cases = [
      [{ type: 'piece', requestId: 0, size: 100, offset: 10, payload: new Uint8Array(5) }, 'out of order'],
      [{ type: 'piece', requestId: 0, size: 100, offset: 0, payload: new Uint8Array(60) }, 'past end 50'],
      [{ type: 'piece', requestId: 9, size: 100, offset: 0, payload: new Uint8Array(5) }, 'never sent'],
    ];
    for (const [frame, what] of cases) {
      const { link, sendRaw, closed } = await rawPeer();
      await sendRaw({ type: 'hello', ...hello() });
      link.request(1, 0, 50, { onPiece() {}, onEnd() {}, onReject() {}, onClose() {} });
      await sendRaw(frame);
      assert.equal((await closed).reason, 'protocol_error', what);
    }
    const { link, sendRaw, closed } = await rawPeer();
    await sendRaw({ type: 'hello', ...hello() });
    link.request(1, 0, TO_END, { onPiece() {}, onEnd() {}, onReject() {}, onClose() {} });
    await sendRaw({ type: 'piece', requestId: 0, size: 100, offset: 0, payload: new Uint8Array(5) });
    await sendRaw({ type: 'piece', requestId: 0, size: 101, offset: 5, payload: new Uint8Array(5) });
    assert.equal((await closed).reason, 'protocol_error', 'size changed');
  });

  test('open requests learn that the link closed; a BYE closes without an answer', async () => {
    const { left, right } = await linkedPair();
    const closed = new Promise((resolve) => left.request(1, 0, TO_END, { onPiece() {}, onEnd() {}, onReject() {}, onClose: resolve }));
    const info = new Promise((resolve) => left.on('close', resolve));
    right.close('leaving');
    await closed;
    assert.deepEqual(await info, { reason: 'leaving', remote: true });
  });

  test('requests beyond what the other side allows are not offered slots', async () => {
    const { left } = await linkedPair();
    for (let i = 0; i < 4; i++) left.request(i, 0, TO_END, { onPiece() {}, onEnd() {}, onReject() {}, onClose() {} });
    assert.equal(left.requestSlots, 0);
  });
});

describe('back-pressure', () => {
  test('writers wait above the high-water mark until bufferedamountlow', async () => {
    const { left, a } = await linkedPair();
    assert.equal(left.writable, true);
    a.bufferedAmount = HIGH_WATER;
    assert.equal(left.writable, false);
    let woke = false;
    const drained = left.drained().then(() => { woke = true; });
    await settle();
    assert.equal(woke, false);
    a.bufferedAmount = 0;
    a.dispatch('bufferedamountlow');
    await drained;
    assert.equal(woke, true);
  });
});
