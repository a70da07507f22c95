/**
 * The timing hls.js gets for a delivered segment. Segments that came over HTTP alone keep their
 * measured timing; those with bytes from data channels, viewers' or edge seeders' (or from the
 * cache), are reported as if they had come at the pace HTTP transfers achieved: hls.js's bandwidth
 * estimate, which picks renditions, must not learn the speed of peers on the same machine or
 * network, which says nothing of what the network sustains over HTTP.
 */

/**
 * @param {import('../engine/player-contract.js').Delivery} delivery
 * @param {number} end  when the segment is handed over
 * @param {import('../scheduler/scheduler.js').HttpEstimate} http  the engine's HTTP measurements
 * @param {number | undefined} hlsEstimate  hls.js's bandwidthEstimate (bits per second): the pace
 *   before any HTTP transfer was measured
 * @returns {{start: number, first: number, end: number}}  hls.js's stats.loading
 */
export function timingFor(delivery, end, http, hlsEstimate) {
  if (delivery.p2pBytes === 0 && delivery.seederBytes === 0 && delivery.http) {
    return { start: delivery.http.requestedAt, first: delivery.http.firstByteAt, end: delivery.http.endAt };
  }
  const bytesPerSecond = http.measured ? http.bytesPerSecond
    : (hlsEstimate !== undefined && hlsEstimate > 0 ? hlsEstimate / 8 : http.bytesPerSecond);
  const transferMs = (delivery.data.byteLength / bytesPerSecond) * 1000;
  const first = end - transferMs;
  return { start: first - http.ttfbMs, first, end };
}
