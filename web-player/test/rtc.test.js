// The relay policy: iceTransportPolicy 'relay' goes from the engine's options to every
// RTCPeerConnection, so that a viewer (or a test) connects to peers through TURN relays only.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveOptions } from '../src/engine/options.js';
import { RtcSession } from '../src/peer/rtc.js';
import { createLogger } from '../src/util/log.js';

test('iceTransportPolicy reaches the RTCPeerConnection with the ICE servers; all by default', () => {
  /** @type {any[]} */
  const configurations = [];
  class FakePeerConnection {
    /** @param {any} configuration */
    constructor(configuration) {
      configurations.push(configuration);
    }

    addEventListener() {}

    createDataChannel() {
      return {};
    }

    close() {}
  }
  const turn = [{ urls: 'turn:192.0.2.2:3478?transport=udp', username: '1893456000:v', credential: 'c' }];
  for (const policy of /** @type {const} */ (['relay', undefined])) {
    new RtcSession({
      initiator: true, iceServers: turn, iceTransportPolicy: policy, sendSignal() {}, onChannel() {}, onFailed() {},
      log: createLogger('silent'), RTCPeerConnection: /** @type {any} */ (FakePeerConnection),
    }).close();
  }
  assert.deepEqual(configurations, [{ iceServers: turn, iceTransportPolicy: 'relay' },
    { iceServers: turn, iceTransportPolicy: 'all' }]);
});

test('the option is all or relay, nothing else', () => {
  assert.equal(resolveOptions({}).iceTransportPolicy, 'all');
  assert.equal(resolveOptions({ iceTransportPolicy: 'relay' }).iceTransportPolicy, 'relay');
  assert.throws(() => resolveOptions({ iceTransportPolicy: /** @type {any} */ ('host') }),
    /option iceTransportPolicy must be 'all' or 'relay'/);
});
