// Manifests signed with the shared vectors' test key (protocol/src/test/resources/vectors/integrity),
// as the origin signs them: tests build manifests for bytes of their own.
import { createHash, createPrivateKey, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { signingInput } from '../../src/integrity/integrity.js';

const DIR = new URL('../../../protocol/src/test/resources/vectors/integrity/', import.meta.url);
export const readVector = (name) => readFileSync(new URL(name, DIR));
export const KEY_DOCUMENT = JSON.parse(readVector('key.json').toString('utf8'));

/** Signs a manifest (its signature field replaced). */
export function signed(manifest) {
  const seed = Buffer.from(readVector('test-private-seed.hex').toString('utf8').trim(), 'hex');
  const key = createPrivateKey({
    key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]), format: 'der', type: 'pkcs8',
  });
  return { ...manifest, keyId: KEY_DOCUMENT.keyId, signature: sign(null, signingInput(manifest), key).toString('base64') };
}

/** A signed manifest for `segments` ({uri, data}) starting at `mediaSequence`. */
export function manifestFor(path, mediaSequence, segments) {
  return signed({
    version: 1, path, mediaSequence, inits: [],
    segments: segments.map(({ uri, data }) => ({ uri, size: data.length, sha256: createHash('sha256').update(data).digest('hex') })),
  });
}
