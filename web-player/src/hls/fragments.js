/**
 * hls.js's playlists and fragment requests in the engine's terms (engine/player-contract.js).
 */

/**
 * @typedef {import('../engine/player-contract.js').Rendition} Rendition
 * @typedef {import('../engine/player-contract.js').SegmentRequest} SegmentRequest
 */

/**
 * The rendition of an hls.js LevelLoadedData: its media segments (hls.js's fragments with a
 * numeric sequence number).
 *
 * @param {any} data  hls.js LevelLoadedData
 * @returns {Rendition}
 */
export function renditionOf(data) {
  const details = data.details;
  /** @type {any[]} */
  const fragments = details.fragments ?? [];
  return {
    url: details.url,
    live: !!details.live,
    bitrate: data.levelInfo?.bitrate ?? 1e6,
    segments: fragments.filter((frag) => typeof frag.sn === 'number').map((frag) => ({
      sequence: frag.sn, start: frag.start, duration: frag.duration, url: frag.url, uri: frag.relurl ?? frag.url,
    })),
  };
}

/**
 * The segment request of an hls.js loader context, when the engine may take it: a media segment of
 * the main rendition, whole (no byte range). Anything else (playlists, init segments, keys, byte
 * ranges, other tracks) is null.
 *
 * @param {any} context  hls.js LoaderContext
 * @param {any[] | undefined} levels  hls.js's levels, for the fragment's bitrate
 * @returns {SegmentRequest | null}
 */
export function segmentRequestOf(context, levels) {
  const frag = context.frag;
  if (context.type !== 'media-fragment' || !frag || frag.type !== 'main' || typeof frag.sn !== 'number' || context.rangeEnd) {
    return null;
  }
  return {
    playlistUrl: frag.baseurl ?? context.url,
    sequence: frag.sn,
    url: context.url,
    uri: frag.relurl ?? context.url,
    duration: frag.duration,
    bitrate: levels?.[frag.level]?.bitrate,
  };
}
