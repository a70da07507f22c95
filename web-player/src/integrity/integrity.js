/**
 * The origin's integrity manifests (docs/PROTOCOL.md, "Integrity manifests"): the key document,
 * manifests verified with Ed25519 (WebCrypto) and bound to the playlist's path, and the SHA-256
 * check of a segment's bytes against its entry. Bytes from peers reach the player only after
 * `check` answers "matches".
 */

const SIGNING_PREFIX = 'swarmcdn-integrity/1';
/** Entries older than this many sequence numbers behind the newest are forgotten. */
const KEEP_ENTRIES = 256;
/** A manifest is not fetched again sooner than this after the last fetch (a live one changes once per segment). */
const MIN_REFRESH_MS = 250;
/** After a refused manifest, the playlist's segments come over HTTP only for this long. */
const BROKEN_MS = 30_000;

/**
 * @typedef {{uri: string, size: number, sha256: string}} ManifestEntry
 * @typedef {{version: number, path: string, mediaSequence: number, inits: ManifestEntry[],
 *   segments: ManifestEntry[], keyId: string, signature: string}} Manifest
 * @typedef {{keyId: string, algorithm: string, publicKey: string}} KeyDocument
 * @typedef {{keyId: string, key: CryptoKey | null}} VerifyingKey  key null: this browser has no Ed25519
 * @typedef {'matches' | 'mismatch' | 'unknown'} Verdict
 */

/** Lowercase hex of SHA-256 over `bytes`. @param {Uint8Array} bytes */
async function sha256Hex(bytes) {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', /** @type {BufferSource} */ (bytes)));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** @param {string} text */
function fromBase64(text) {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * Checks a key document (algorithm, keyId = first 16 hex of SHA-256 of the raw key) and imports
 * its key. A browser without Ed25519 in WebCrypto gets `key: null`: manifests are then taken on the
 * trust of the edge that served them, as the HTTP segments are.
 *
 * @param {KeyDocument} document
 * @returns {Promise<VerifyingKey>}
 */
export async function importKeyDocument(document) {
  if (document?.algorithm !== 'Ed25519' || typeof document.publicKey !== 'string') {
    throw new Error('integrity key: not an Ed25519 key document');
  }
  const raw = fromBase64(document.publicKey);
  if (raw.length !== 32) throw new Error('integrity key: not 32 bytes');
  if ((await sha256Hex(raw)).slice(0, 16) !== document.keyId) throw new Error('integrity key: keyId does not match the key');
  try {
    const key = await crypto.subtle.importKey('raw', raw, { name: 'Ed25519' }, false, ['verify']);
    return { keyId: document.keyId, key };
  } catch (e) {
    if (/** @type {Error} */ (e).name !== 'NotSupportedError') throw e;
    return { keyId: document.keyId, key: null };
  }
}

/** The bytes the signature covers. @param {Manifest} m */
export function signingInput(m) {
  const lines = [SIGNING_PREFIX, m.path, String(m.mediaSequence),
    ...m.inits.map((e) => `init ${e.uri} ${e.size} ${e.sha256}`),
    ...m.segments.map((e) => `seg ${e.uri} ${e.size} ${e.sha256}`)];
  return new TextEncoder().encode(`${lines.join('\n')}\n`);
}

/**
 * Verifies a manifest for the playlist at `playlistPath`; throws with the reason when it is refused.
 *
 * @param {unknown} json  the parsed manifest
 * @param {VerifyingKey} key
 * @param {string} playlistPath
 * @returns {Promise<Manifest>}
 */
export async function verifyManifest(json, key, playlistPath) {
  const m = /** @type {Manifest} */ (json);
  const entriesOk = (/** @type {unknown} */ list) => Array.isArray(list) && list.every((e) => typeof e?.uri === 'string'
    && /^[\x21-\x7e]{1,2048}$/.test(e.uri) && Number.isSafeInteger(e.size) && e.size >= 0
    && typeof e.sha256 === 'string' && /^[0-9a-f]{64}$/.test(e.sha256));
  if (m?.version !== 1) throw new Error('manifest: version is not 1');
  if (typeof m.path !== 'string' || !Number.isSafeInteger(m.mediaSequence) || m.mediaSequence < 0
      || !entriesOk(m.inits) || !entriesOk(m.segments) || typeof m.signature !== 'string') {
    throw new Error('manifest: malformed');
  }
  if (m.keyId !== key.keyId) throw new Error(`manifest: signed by key ${m.keyId}, not ${key.keyId}`);
  if (m.path !== playlistPath) throw new Error(`manifest: for ${m.path}, not ${playlistPath}`);
  if (key.key && !await crypto.subtle.verify({ name: 'Ed25519' }, key.key,
    fromBase64(m.signature), signingInput(m))) {
    throw new Error('manifest: signature does not verify');
  }
  return m;
}

/**
 * Whether `bytes` are the segment a manifest entry describes.
 *
 * @param {ManifestEntry | undefined} entry
 * @param {string} uri  the URI the player's playlist gives the segment
 * @param {Uint8Array} bytes
 * @returns {Promise<Verdict>}
 */
export async function verifySegment(entry, uri, bytes) {
  if (!entry || entry.uri !== uri) return 'unknown';
  if (entry.size !== bytes.byteLength) return 'mismatch';
  return (await sha256Hex(bytes)) === entry.sha256 ? 'matches' : 'mismatch';
}

/**
 * The path a manifest names for a playlist URL: its pathname without a leading access-token
 * segment (`/~t/TOKEN`), which the edge strips before routing.
 *
 * @param {string} playlistUrl
 */
export function manifestPath(playlistUrl) {
  return new URL(playlistUrl).pathname.replace(/^\/~t\/[^/]+/, '');
}

/**
 * Manifests of the playlists a viewer plays, kept verified and fresh. Old manifests stay valid for
 * the segments they list, so entries of successive live manifests are merged per playlist.
 */
export class IntegrityManifests {
  /**
   * @param {{fetch: typeof fetch, now: () => number, log: import('../util/log.js').Logger,
   *   key?: KeyDocument | string}} options  key: a key document, or the URL of one (default: the
   *   edge's /keys/integrity.json)
   */
  constructor({ fetch, now, log, key }) {
    this.fetch = fetch;
    this.now = now;
    this.log = log;
    this.keyOption = key;
    /** @type {Map<string, Promise<VerifyingKey>>} key document URL -> key */
    this.keys = new Map();
    /** @type {Map<string, PlaylistManifests>} */
    this.playlists = new Map();
    /** @type {Map<string, string>} playlist URL -> manifest URI its tag names */
    this.tagged = new Map();
  }

  /** Remembers the URI a playlist's EXT-X-SWARMCDN-INTEGRITY tag names. @param {string} playlistUrl @param {string} text */
  notePlaylist(playlistUrl, text) {
    const match = /^#EXT-X-SWARMCDN-INTEGRITY:.*URI="([^"]+)"/m.exec(text);
    if (match) this.tagged.set(playlistUrl, match[1]);
  }

  /** @private @param {string} playlistUrl */
  state(playlistUrl) {
    let state = this.playlists.get(playlistUrl);
    if (!state) {
      const uri = this.tagged.get(playlistUrl) ?? new URL(playlistUrl).pathname.split('/').pop()?.replace(/\.m3u8$/, '.integrity.json');
      state = {
        manifestUrl: new URL(uri ?? 'index.integrity.json', playlistUrl).href,
        entries: new Map(),
        refreshing: null,
        lastFetch: -Infinity,
        brokenUntil: -Infinity,
      };
      this.playlists.set(playlistUrl, state);
    }
    return state;
  }

  /** False for a while after a playlist's manifest proved missing or invalid: its segments then come over HTTP only. */
  usable(/** @type {string} */ playlistUrl) {
    return this.now() >= (this.playlists.get(playlistUrl)?.brokenUntil ?? -Infinity);
  }

  /** The entry for a segment, when a verified manifest listed it. @param {string} playlistUrl @param {number} sequence */
  entry(playlistUrl, sequence) {
    return this.playlists.get(playlistUrl)?.entries.get(sequence);
  }

  /**
   * Fetches and verifies the playlist's manifest now, unless one is on its way or came very
   * recently (then that one's result is awaited or kept). Never throws: a failure keeps the
   * playlist from P2P for a while and is logged.
   *
   * @param {string} playlistUrl
   * @param {number} [want]  a sequence the caller needs: no refetch when it is already known
   */
  refresh(playlistUrl, want) {
    const state = this.state(playlistUrl);
    if (want !== undefined && state.entries.has(want)) return Promise.resolve();
    if (state.refreshing) return state.refreshing;
    if (this.now() - state.lastFetch < MIN_REFRESH_MS) return Promise.resolve();
    state.lastFetch = this.now();
    state.refreshing = this.load(playlistUrl, state)
      .catch((e) => {
        state.brokenUntil = this.now() + BROKEN_MS;
        this.log.warn(`integrity manifest of ${playlistUrl} refused; its segments come over HTTP only for now:`, e.message);
      })
      .finally(() => {
        state.refreshing = null;
      });
    return state.refreshing;
  }

  /**
   * Whether `bytes` are segment `sequence` (URI `uri` in the playlist). An unknown segment gets one
   * manifest refresh before the answer stays "unknown".
   *
   * @param {string} playlistUrl
   * @param {number} sequence
   * @param {string} uri
   * @param {Uint8Array} bytes
   * @returns {Promise<Verdict>}
   */
  async check(playlistUrl, sequence, uri, bytes) {
    if (this.entry(playlistUrl, sequence)?.uri !== uri) {
      const state = this.state(playlistUrl);
      state.lastFetch = -Infinity;
      await this.refresh(playlistUrl);
    }
    return verifySegment(this.entry(playlistUrl, sequence), uri, bytes);
  }

  /** @private @param {string} playlistUrl @param {PlaylistManifests} state */
  async load(playlistUrl, state) {
    const [key, response] = await Promise.all([
      this.key(playlistUrl),
      this.fetch(state.manifestUrl, { cache: 'no-store' }),
    ]);
    if (!response.ok) throw new Error(`${state.manifestUrl}: HTTP ${response.status}`);
    const manifest = await verifyManifest(await response.json(), key, manifestPath(playlistUrl));
    manifest.segments.forEach((entry, i) => state.entries.set(manifest.mediaSequence + i, entry));
    const oldest = manifest.mediaSequence + manifest.segments.length - KEEP_ENTRIES;
    for (const sequence of state.entries.keys()) {
      if (sequence < oldest) state.entries.delete(sequence);
    }
  }

  /** @private @param {string} playlistUrl */
  key(playlistUrl) {
    const option = this.keyOption;
    const url = typeof option === 'string' ? new URL(option, playlistUrl).href
      : option ? 'configured' : new URL('/keys/integrity.json', playlistUrl).href;
    let key = this.keys.get(url);
    if (!key) {
      key = (async () => {
        let document = /** @type {KeyDocument} */ (option);
        if (url !== 'configured') {
          const response = await this.fetch(url);
          if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
          document = await response.json();
        }
        const imported = await importKeyDocument(document);
        if (!imported.key) this.log.warn('this browser has no Ed25519 in WebCrypto: manifest signatures are not checked');
        return imported;
      })();
      key.catch(() => this.keys.delete(url));
      this.keys.set(url, key);
    }
    return key;
  }
}

/**
 * @typedef {{manifestUrl: string, entries: Map<number, ManifestEntry>, refreshing: Promise<void> | null,
 *   lastFetch: number, brokenUntil: number}} PlaylistManifests
 */
