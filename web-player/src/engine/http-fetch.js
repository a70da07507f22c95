/**
 * Segment bytes over HTTP with fetch: the whole segment or its rest from a byte offset (a `Range`
 * request, when a peer delivered the start), read as a stream so progress and timing are known.
 */

/** An HTTP answer that is not the segment. */
export class HttpError extends Error {
  /** @param {number} status @param {string} message */
  constructor(status, message) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
  }
}

/**
 * An answer to a Range request that cannot be placed after the bytes already held: its range starts
 * elsewhere, it names another length for the segment than the one known (then `size` is the
 * edge's), or it says no range (a cross-origin answer may hide Content-Range) and is not exactly
 * the rest asked for. The caller fetches the whole segment instead.
 */
export class UnusableRange extends HttpError {
  /** @param {number} status @param {string} message @param {number} [size] */
  constructor(status, message, size) {
    super(status, message);
    this.name = 'UnusableRange';
    this.size = size;
  }
}

/**
 * @typedef {{data: Uint8Array, size: number, requestedAt: number, firstByteAt: number, endAt: number}} HttpResult
 *   data: bytes from `from` to the end; size: the whole segment's length
 */

/**
 * @param {string} url
 * @param {{from?: number, size?: number, signal?: AbortSignal, now: () => number, fetch: typeof fetch,
 *   onProgress?: (received: number, size: number) => void}} options
 *   size: the segment's length as known so far (from the peer that sent the start), for a ranged
 *   answer that does not say it
 * @returns {Promise<HttpResult>}
 */
export async function fetchSegment(url, { from = 0, size, signal, now, fetch, onProgress }) {
  const requestedAt = now();
  const response = await fetch(url, {
    signal,
    headers: from > 0 ? { Range: `bytes=${from}-` } : {},
  });
  const firstByteAt = now();
  if (response.status !== 200 && response.status !== 206) {
    throw new HttpError(response.status, `HTTP ${response.status} for ${url}`);
  }
  const ranged = response.status === 206;
  const range = ranged ? contentRange(response.headers.get('Content-Range')) : null;
  if (range && (range.start !== from || (size !== undefined && range.total !== undefined && range.total !== size))) {
    await response.body?.cancel();
    throw new UnusableRange(206, `${url}: asked for bytes ${from}-${size ?? ''} of ${size ?? '?'}, got ${range.start}- of ${range.total ?? '?'}`,
      range.total);
  }
  const total = ranged ? range?.total ?? size : Number(response.headers.get('Content-Length') ?? NaN);
  /** @type {Uint8Array[]} */
  const chunks = [];
  let received = 0;
  const reader = /** @type {ReadableStream<Uint8Array>} */ (response.body).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    received += value.byteLength;
    onProgress?.(received, total !== undefined && Number.isFinite(total) ? total - (ranged ? from : 0) : received);
  }
  let data = concat(chunks, received);
  // A server that ignored the Range header sent the whole segment.
  if (!ranged && from > 0) data = data.subarray(from);
  const whole = ranged ? total : from + data.byteLength;
  if (ranged && !range && from + data.byteLength !== whole) {
    throw new UnusableRange(206, `${url}: a 206 without a readable Content-Range, ${data.byteLength} bytes for the ${(whole ?? NaN) - from} asked`);
  }
  if (!ranged && from > 0 && size !== undefined && whole !== size) {
    throw new UnusableRange(200, `${url}: ${whole} bytes, not ${size}`, whole);
  }
  if (whole === undefined || from + data.byteLength !== whole) throw new HttpError(response.status, `short body for ${url}`);
  return { data, size: whole, requestedAt, firstByteAt, endAt: now() };
}

/**
 * `bytes START-END/TOTAL` (TOTAL may be `*`); null when missing or unreadable.
 *
 * @param {string | null} header
 * @returns {{start: number, total: number | undefined} | null}
 */
function contentRange(header) {
  const match = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(header?.trim() ?? '');
  if (!match) return null;
  return { start: Number(match[1]), total: match[3] === '*' ? undefined : Number(match[3]) };
}

/** @param {Uint8Array[]} chunks @param {number} length */
function concat(chunks, length) {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}
