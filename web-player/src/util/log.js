/** Log levels, quietest first. */
export const LOG_LEVELS = /** @type {const} */ (['silent', 'error', 'warn', 'info', 'debug']);

/**
 * @typedef {typeof LOG_LEVELS[number]} LogLevel
 * @typedef {{error: (...a: unknown[]) => void, warn: (...a: unknown[]) => void,
 *   info: (...a: unknown[]) => void, debug: (...a: unknown[]) => void}} Logger
 */

/**
 * A console logger that drops what is below `level` and prefixes the rest.
 *
 * @param {LogLevel} level
 * @param {string} [prefix]
 * @returns {Logger}
 */
export function createLogger(level, prefix = 'swarmcdn') {
  const rank = LOG_LEVELS.indexOf(level);
  /** @param {'error' | 'warn' | 'info' | 'debug'} name */
  const at = (name) => (LOG_LEVELS.indexOf(name) <= rank
    ? (/** @type {unknown[]} */ ...args) => console[name](`[${prefix}]`, ...args)
    : () => {});
  return { error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') };
}
