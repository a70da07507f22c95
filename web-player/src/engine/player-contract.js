/**
 * What a player integration tells the engine, and what it gets back: the engine knows no player.
 * `hls/` is the hls.js integration; another player's (Shaka, dash.js) is a folder beside it that
 * feeds a SwarmEngine the same way (web-player/README.md, "Writing another player integration"):
 *
 * - `engine.renditionLoaded(rendition, playing)` each time the player loads a media playlist (the
 *   swarm is joined once the player's first segment has arrived, not before: see SwarmSession.open);
 * - `engine.followPlayhead(playhead)` once the media element is known (null when it goes);
 * - for each media segment request: `engine.segmentRef(request)`, null for a request the engine
 *   leaves to the player's own loading, else `engine.load(ref, startMs, onHttpProgress)`, which
 *   gives `{promise, cancel}` as a loader's load/abort; once the player has the bytes,
 *   `engine.handedOver(ref, delivery, data)`; the timing to report to the player's bandwidth
 *   estimator comes from `engine.http` (deliveries with peer bytes at HTTP's pace, never faster);
 * - what the player loads on its own goes through `engine.edges` (`rewrite`, `managed`, `failed`:
 *   the edge in use, moved when it fails), and is told with `engine.playlistFetched(url, text)` and
 *   `engine.segmentFetched(bytes)`;
 * - `engine.destroy()` when the player goes.
 *
 * Types only: nothing here runs.
 */

/**
 * A media segment as a playlist lists it.
 *
 * @typedef {object} PlaylistSegment
 * @property {number} sequence  media sequence number
 * @property {number} start  seconds of media time at which it starts
 * @property {number} duration  seconds
 * @property {string} url  absolute
 * @property {string} uri  as the playlist writes it (the integrity manifest's name for it)
 */

/**
 * A media playlist the player loaded: one rendition (a swarm).
 *
 * @typedef {object} Rendition
 * @property {string} url  the media playlist's URL
 * @property {boolean} live
 * @property {number} bitrate  bits per second, as the master playlist declares it
 * @property {PlaylistSegment[]} segments  in playlist order
 */

/**
 * A media segment the player asks for.
 *
 * @typedef {object} SegmentRequest
 * @property {string} playlistUrl  the media playlist that lists it
 * @property {number} sequence
 * @property {string} url  what the player would fetch
 * @property {string} [uri]  as the playlist writes it (default: url)
 * @property {number} [duration]  seconds (default: 2)
 * @property {number} [bitrate]  bits per second of its rendition (default: the playlist's, else 1 Mbit/s)
 */

/**
 * What the engine reads of the media element: an HTMLMediaElement does.
 *
 * @typedef {Pick<HTMLMediaElement, 'currentTime' | 'playbackRate' | 'readyState' | 'buffered'>} Playhead
 */

/**
 * @typedef {import('./segment-job.js').SegmentRef} SegmentRef
 * @typedef {import('./segment-job.js').Delivery} Delivery
 */

export {};
