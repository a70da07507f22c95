/**
 * The tracker's assignments of one swarm (docs/PROTOCOL.md, "assign"): who fetches each new live
 * segment over HTTP first. The newest KEPT are kept; a segment with no assignment known is left to
 * the engine's own rule. The Java engine's Assignments keeps them the same way.
 */

/** Assignments kept per swarm: those of the highest sequences. */
export const KEPT = 32;

export class Assignments {
  constructor() {
    /** @type {Map<number, Set<string>>} sequence -> the peers named */
    this.fetchers = new Map();
    /** @type {Set<number>} sequences this peer started fetching for its assignment: once each, never again */
    this.started = new Set();
  }

  /** The tracker named `fetchers` for `sequence` (again: the later naming stands). @param {number} sequence @param {string[]} fetchers */
  record(sequence, fetchers) {
    this.fetchers.set(sequence, new Set(fetchers));
    if (this.fetchers.size <= KEPT) return;
    const kept = [...this.fetchers.keys()].sort((a, b) => b - a).slice(0, KEPT);
    for (const old of this.fetchers.keys()) {
      if (!kept.includes(old)) {
        this.fetchers.delete(old);
        this.started.delete(old);
      }
    }
  }

  /**
   * This peer started fetching `sequence` for its assignment: assignedTo no longer lists it, so an
   * HTTP error does not start it again and again (the player's own load still gets it).
   *
   * @param {number} sequence
   */
  markStarted(sequence) {
    this.started.add(sequence);
  }

  /**
   * Whether `peerId` is named for `sequence`; null when the tracker assigned nobody (that we know of).
   *
   * @param {number} sequence @param {string | null} peerId
   * @returns {boolean | null}
   */
  names(sequence, peerId) {
    const named = this.fetchers.get(sequence);
    return named === undefined ? null : peerId !== null && named.has(peerId);
  }

  /**
   * The sequences `peerId` is named for and has not started fetching, from `first` on, oldest
   * first; older ones are forgotten (the playlist no longer lists them).
   *
   * @param {string} peerId @param {number} first
   * @returns {number[]}
   */
  assignedTo(peerId, first) {
    for (const sequence of this.fetchers.keys()) {
      if (sequence < first) {
        this.fetchers.delete(sequence);
        this.started.delete(sequence);
      }
    }
    return [...this.fetchers]
      .filter(([sequence, named]) => named.has(peerId) && !this.started.has(sequence))
      .map(([sequence]) => sequence)
      .sort((a, b) => a - b);
  }
}
