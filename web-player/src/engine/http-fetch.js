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
 * @typedef {{data: Uint8Array, size: number, requestedAt: number, firstByteAt: number, endAt: number}} HttpResult
 *   data: bytes from `from` to the end; size: the whole segment's length
 */

/**
 * @param {string} url
 * @param {{from?: number, signal?: AbortSignal, now: () => number, fetch: typeof fetch,
 *   onProgress?: (received: number, size: number) => void}} options
 * @returns {Promise<HttpResult>}
 */
export async function fetchSegment(url, { from = 0, signal, now, fetch, onProgress }) {
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
  const total = ranged ? Number(/\/(\d+)$/.exec(response.headers.get('Content-Range') ?? '')?.[1])
    : Number(response.headers.get('Content-Length') ?? NaN);
  /** @type {Uint8Array[]} */
  const chunks = [];
  let received = 0;
  const reader = /** @type {ReadableStream<Uint8Array>} */ (response.body).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    received += value.byteLength;
    onProgress?.(received, Number.isFinite(total) ? total : received);
  }
  let data = concat(chunks, received);
  // A server that ignored the Range header sent the whole segment.
  if (!ranged && from > 0) data = data.subarray(from);
  const size = ranged && Number.isFinite(total) ? total : from + data.byteLength;
  if (from + data.byteLength !== size) throw new HttpError(response.status, `short body for ${url}`);
  return { data, size, requestedAt, firstByteAt, endAt: now() };
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
