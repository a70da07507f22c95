// What the end-to-end scripts learn of a page's WebRTC: every RTCPeerConnection the page makes, its
// ICE servers, the candidates it gathered and received, and the candidate pair its transport
// selected (from getStats(), with the bytes that crossed it). Both functions run in the page:
// `recordConnections` as an init script (context.addInitScript), `connectionStates` through
// page.evaluate.

/** In the page, before its scripts: wraps RTCPeerConnection to record each connection's ICE. */
export function recordConnections() {
  const Native = window.RTCPeerConnection;
  const connections = [];
  window.__iceRecord = { connections };
  const remoteFromSdp = (entry, description) => {
    for (const line of (description?.sdp ?? '').split(/\r?\n/)) {
      if (line.startsWith('a=candidate:')) entry.remote.push(line.slice(2));
    }
  };
  window.RTCPeerConnection = class extends Native {
    constructor(config, ...rest) {
      super(config, ...rest);
      const entry = { pc: this, iceServers: config?.iceServers ?? [], iceTransportPolicy: config?.iceTransportPolicy ?? 'all',
        local: [], remote: [] };
      connections.push(entry);
      this.__entry = entry;
      this.addEventListener('icecandidate', (e) => { if (e.candidate?.candidate) entry.local.push(e.candidate.candidate); });
    }

    setRemoteDescription(description, ...rest) {
      remoteFromSdp(this.__entry, description);
      return super.setRemoteDescription(description, ...rest);
    }

    addIceCandidate(candidate, ...rest) {
      if (candidate?.candidate) this.__entry.remote.push(candidate.candidate);
      return super.addIceCandidate(candidate, ...rest);
    }
  };
}

/**
 * In the page: each recorded connection's state, ICE servers and candidates, and its selected pair
 * (`local`/`remote`: "TYPE ADDRESS:PORT PROTOCOL", `localType`/`remoteType`, `bytesSent`,
 * `bytesReceived`); a closed connection keeps the last pair seen while it was open.
 */
export async function connectionStates() {
  const describe = (c) => c && `${c.candidateType} ${c.address ?? '?'}:${c.port} ${c.protocol}`;
  const states = [];
  for (const entry of window.__iceRecord?.connections ?? []) {
    let selected = null;
    if (entry.pc.connectionState !== 'closed') {
      const report = await entry.pc.getStats().catch(() => null);
      report?.forEach((r) => {
        if (r.type !== 'transport' || !r.selectedCandidatePairId) return;
        const pair = report.get(r.selectedCandidatePairId);
        const local = report.get(pair?.localCandidateId);
        const remote = report.get(pair?.remoteCandidateId);
        selected = { local: describe(local), remote: describe(remote), localType: local?.candidateType ?? null,
          remoteType: remote?.candidateType ?? null, state: pair?.state, bytesSent: pair?.bytesSent ?? 0,
          bytesReceived: pair?.bytesReceived ?? 0 };
      });
    }
    if (selected) entry.selected = selected;
    states.push({ state: entry.pc.connectionState, iceServers: entry.iceServers, iceTransportPolicy: entry.iceTransportPolicy,
      local: entry.local, remote: entry.remote, selected: entry.selected ?? null });
  }
  return states;
}
