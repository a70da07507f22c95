/**
 * Which swarm a media playlist belongs to. A swarm is one rendition of one stream, named as the
 * tracker and the peer HELLO name it (1 to 128 printable ASCII characters each).
 */
import { manifestPath } from '../integrity/integrity.js';

const MAX_NAME = 128;

/**
 * @typedef {{stream: string, rendition: string, key: string}} Swarm  key: "stream/rendition"
 */

/**
 * The swarm of a media playlist: `/live/NAME/REND/index.m3u8` is stream NAME, rendition REND; any
 * other playlist is named by its folder (stream) and its file name or, for `index.m3u8`, its
 * folder's name (rendition). `stream` replaces the stream's name (the swarm id option).
 *
 * @param {string} playlistUrl
 * @param {string | null} [stream]
 * @returns {Swarm}
 */
export function swarmOf(playlistUrl, stream = null) {
  const parts = manifestPath(playlistUrl).split('/').filter(Boolean).map(decodeURIComponent);
  const file = parts.pop() ?? '';
  let name;
  let rendition;
  if (parts.length === 3 && parts[0] === 'live') {
    [, name, rendition] = parts;
  } else {
    rendition = /^index\.m3u8?$/i.test(file) && parts.length > 0 ? /** @type {string} */ (parts.pop()) : file.replace(/\.m3u8?$/i, '');
    name = parts.join('/');
  }
  const swarm = { stream: clean(stream ?? name), rendition: clean(rendition) };
  return { ...swarm, key: `${swarm.stream}/${swarm.rendition}` };
}

/** Printable ASCII only, 1 to 128 of it (the end kept: it tells names apart). @param {string} name */
function clean(name) {
  const printable = name.replace(/[^\x21-\x7e]/g, '_');
  return (printable.length > MAX_NAME ? printable.slice(-MAX_NAME) : printable) || '_';
}
