/**
 * The smallest event emitter the engine's parts need: listeners per event name, called in the order
 * they were added. A listener that throws does not stop the others (it is reported on the console).
 *
 * @template {Record<string, (...args: any[]) => void>} Events
 */
export class Emitter {
  constructor() {
    /** @type {Map<keyof Events, Set<Function>>} */
    this.listeners = new Map();
  }

  /**
   * @template {keyof Events} K
   * @param {K} event
   * @param {Events[K]} listener
   * @returns {() => void} removes the listener
   */
  on(event, listener) {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => this.off(event, listener);
  }

  /**
   * @template {keyof Events} K
   * @param {K} event
   * @param {Events[K]} listener
   */
  off(event, listener) {
    this.listeners.get(event)?.delete(listener);
  }

  /**
   * @template {keyof Events} K
   * @param {K} event
   * @param {Parameters<Events[K]>} args
   */
  emit(event, ...args) {
    for (const listener of [...(this.listeners.get(event) ?? [])]) {
      try {
        listener(...args);
      } catch (e) {
        console.error(`swarmcdn: a '${String(event)}' listener failed`, e);
      }
    }
  }
}
