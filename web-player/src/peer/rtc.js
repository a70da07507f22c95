/**
 * One WebRTC connection to a peer, set up through the tracker's signal relay: the peer that offers
 * creates the ordered, reliable data channel `swarmcdn-peer`; the other accepts it. ICE candidates
 * trickle both ways; those that arrive before the remote description wait for it.
 */

const CHANNEL_LABEL = 'swarmcdn-peer';

export class RtcSession {
  /**
   * @param {{initiator: boolean, iceServers: RTCIceServer[], iceTransportPolicy?: RTCIceTransportPolicy,
   *   sendSignal: (kind: 'offer' | 'answer' | 'ice', data: unknown) => void,
   *   onChannel: (channel: RTCDataChannel) => void, onFailed: () => void,
   *   log: import('../util/log.js').Logger, RTCPeerConnection?: typeof RTCPeerConnection}} options
   */
  constructor({ initiator, iceServers, iceTransportPolicy = 'all', sendSignal, onChannel, onFailed, log, RTCPeerConnection = globalThis.RTCPeerConnection }) {
    this.initiator = initiator;
    this.sendSignal = sendSignal;
    this.onFailed = onFailed;
    this.log = log;
    this.closed = false;
    /** @type {RTCIceCandidateInit[]} */
    this.pendingCandidates = [];
    // 'relay': only TURN relay candidates, as behind a strict firewall (and how relays are tested).
    this.pc = new RTCPeerConnection({ iceServers, iceTransportPolicy });
    this.pc.addEventListener('icecandidate', (event) => {
      // The end of candidates travels as null.
      if (!this.closed) sendSignal('ice', event.candidate ? event.candidate.toJSON() : null);
    });
    this.pc.addEventListener('connectionstatechange', () => {
      const state = this.pc.connectionState;
      if (state === 'failed' || state === 'closed') this.fail(`connection ${state}`);
    });
    if (initiator) {
      onChannel(this.pc.createDataChannel(CHANNEL_LABEL, { ordered: true }));
    } else {
      this.pc.addEventListener('datachannel', (event) => {
        if (event.channel.label === CHANNEL_LABEL) onChannel(event.channel);
      });
    }
  }

  /** The initiator's offer. */
  async offer() {
    try {
      await this.pc.setLocalDescription(await this.pc.createOffer());
      this.sendSignal('offer', this.pc.localDescription?.toJSON());
    } catch (e) {
      this.fail(`offer: ${/** @type {Error} */ (e).message}`);
    }
  }

  /**
   * A signal from the peer, relayed by the tracker.
   *
   * @param {'offer' | 'answer' | 'ice'} kind
   * @param {any} data
   */
  async signal(kind, data) {
    if (this.closed) return;
    try {
      if (kind === 'offer' && !this.initiator) {
        await this.pc.setRemoteDescription(data);
        await this.flushCandidates();
        await this.pc.setLocalDescription(await this.pc.createAnswer());
        this.sendSignal('answer', this.pc.localDescription?.toJSON());
      } else if (kind === 'answer' && this.initiator) {
        await this.pc.setRemoteDescription(data);
        await this.flushCandidates();
      } else if (kind === 'ice' && data) {
        if (this.pc.remoteDescription) await this.pc.addIceCandidate(data);
        else this.pendingCandidates.push(data);
      }
    } catch (e) {
      this.fail(`${kind}: ${/** @type {Error} */ (e).message}`);
    }
  }

  /** @private */
  async flushCandidates() {
    const candidates = this.pendingCandidates;
    this.pendingCandidates = [];
    for (const candidate of candidates) await this.pc.addIceCandidate(candidate);
  }

  /** @private @param {string} why */
  fail(why) {
    if (this.closed) return;
    this.log.debug(`peer connection ended: ${why}`);
    this.close();
    this.onFailed();
  }

  close() {
    if (this.closed) return;
    this.closed = true;
    this.pc.close();
  }
}
