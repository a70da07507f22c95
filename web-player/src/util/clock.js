/**
 * Time as the engine's parts see it. Tests pass a fake one and move it by hand; nothing in the
 * engine reads the real clock directly.
 *
 * @typedef {{now: () => number, setTimeout: (fn: () => void, ms: number) => unknown,
 *   clearTimeout: (handle: unknown) => void}} Clock
 */

/** @type {Clock} */
export const realClock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(/** @type {any} */ (handle)),
};
