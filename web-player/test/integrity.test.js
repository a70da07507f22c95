// Integrity manifests against the shared vectors of protocol/ (the files IntegrityVectorsTest runs
// in Java), then the live bookkeeping: refreshes, merged entries, refused manifests.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  IntegrityManifests, importKeyDocument, manifestPath, signingInput, verifyManifest, verifySegment,
} from '../src/integrity/integrity.js';
import { createLogger } from '../src/util/log.js';
import { readVector as read, signed } from './support/signing.js';

const json = (name) => JSON.parse(read(name).toString('utf8'));
const PLAYLIST_PATH = '/live/demo/360p/index.m3u8';

describe('shared vectors', () => {
  test('the key document imports, its keyId checked', async () => {
    const key = await importKeyDocument(json('key.json'));
    assert.equal(key.keyId, '80f216dd8ac70429');
    assert.ok(key.key, 'node has Ed25519 in WebCrypto');
    await assert.rejects(importKeyDocument({ ...json('key.json'), keyId: '0000000000000000' }), /keyId/);
    await assert.rejects(importKeyDocument({ ...json('key.json'), algorithm: 'RSA' }), /Ed25519/);
  });

  test('the signing input is rebuilt byte for byte', () => {
    assert.deepEqual(Buffer.from(signingInput(json('manifest.json'))), read('signing-input.txt'));
  });

  test('the manifest verifies; the tampered one, another path or another key does not', async () => {
    const key = await importKeyDocument(json('key.json'));
    const manifest = await verifyManifest(json('manifest.json'), key, PLAYLIST_PATH);
    assert.equal(manifest.mediaSequence, 41);
    await assert.rejects(verifyManifest(json('manifest-tampered.json'), key, PLAYLIST_PATH), /signature/);
    await assert.rejects(verifyManifest(json('manifest.json'), key, '/live/demo/180p/index.m3u8'), /not \/live\/demo\/180p/);
    await assert.rejects(verifyManifest(json('manifest.json'), { ...key, keyId: 'ffffffffffffffff' }, PLAYLIST_PATH), /key/);
    await assert.rejects(verifyManifest({ ...json('manifest.json'), version: 2 }, key, PLAYLIST_PATH), /version/);
  });

  test('segments match, a flipped bit is a mismatch, an unlisted URI is unknown', async () => {
    const [entry41, entry42] = json('manifest.json').segments;
    assert.equal(await verifySegment(entry41, 'seg_e1_00041.m4s', read('files/seg_e1_00041.m4s')), 'matches');
    assert.equal(await verifySegment(entry42, 'seg_e1_00042.m4s', read('files/seg_e1_00042.m4s')), 'matches');
    assert.equal(await verifySegment(entry42, 'seg_e1_00042.m4s', read('seg_e1_00042.tampered.m4s')), 'mismatch');
    assert.equal(await verifySegment(entry42, 'seg_e1_00042.m4s', read('files/seg_e1_00041.m4s')), 'mismatch');
    assert.equal(await verifySegment(entry42, 'seg_e1_00043.m4s', read('files/seg_e1_00042.m4s')), 'unknown');
    assert.equal(await verifySegment(undefined, 'seg_e1_00043.m4s', read('files/seg_e1_00042.m4s')), 'unknown');
  });
});

describe('IntegrityManifests', () => {
  const EDGE = 'http://edge.test';
  const PLAYLIST = `${EDGE}${PLAYLIST_PATH}`;

  /** A fetch answering the key and the manifests queued for the playlist, counting requests. */
  function fakeEdge(manifests) {
    const calls = [];
    const fetch = async (url) => {
      calls.push(url);
      const body = url.endsWith('/keys/integrity.json') ? json('key.json')
        : url === `${EDGE}/live/demo/360p/index.integrity.json` ? manifests.shift() : undefined;
      return body === undefined ? new Response('no', { status: 404 })
        : new Response(JSON.stringify(body), { status: 200 });
    };
    return { fetch, calls };
  }

  const manifests = (options) => new IntegrityManifests({ now: () => 0, log: createLogger('silent'), ...options });

  test('checks a segment after fetching the manifest once, then from what it holds', async () => {
    const edge = fakeEdge([json('manifest.json')]);
    let now = 0;
    const integrity = manifests({ fetch: edge.fetch, now: () => now });
    assert.equal(await integrity.check(PLAYLIST, 42, 'seg_e1_00042.m4s', read('files/seg_e1_00042.m4s')), 'matches');
    assert.equal(await integrity.check(PLAYLIST, 42, 'seg_e1_00042.m4s', read('seg_e1_00042.tampered.m4s')), 'mismatch');
    assert.equal(edge.calls.filter((url) => url.includes('index.integrity.json')).length, 1);
    assert.equal(integrity.entry(PLAYLIST, 41).size, 700);
    now = 1000;
    // Not listed: one more fetch (none queued: 404), then unknown, and the playlist is off P2P for a while.
    assert.equal(await integrity.check(PLAYLIST, 43, 'seg_e1_00043.m4s', read('files/seg_e1_00042.m4s')), 'unknown');
    assert.equal(integrity.usable(PLAYLIST), false);
    now = 40_000;
    assert.equal(integrity.usable(PLAYLIST), true);
  });

  test('entries of successive manifests are merged: old ones stay valid for what they list', async () => {
    const first = json('manifest.json');
    assert.equal(signed(first).signature, first.signature, 'the test key signs as the vectors say');
    const next = signed({ ...first, mediaSequence: 42, segments: [first.segments[1], { uri: 'seg_e1_00043.m4s', size: 9, sha256: 'a'.repeat(64) }] });
    const forged = { ...next, mediaSequence: 43, segments: [{ uri: 'seg_e1_00044.m4s', size: 9, sha256: 'b'.repeat(64) }] };
    const edge = fakeEdge([first, next, forged]);
    let now = 0;
    const integrity = manifests({ fetch: edge.fetch, now: () => now });
    await integrity.refresh(PLAYLIST);
    now = 1000;
    await integrity.refresh(PLAYLIST);
    assert.deepEqual([41, 42, 43].map((n) => integrity.entry(PLAYLIST, n)?.uri),
      ['seg_e1_00041.m4s', 'seg_e1_00042.m4s', 'seg_e1_00043.m4s']);
    now = 2000;
    await integrity.refresh(PLAYLIST);
    assert.equal(integrity.entry(PLAYLIST, 44), undefined, 'a manifest whose signature fails adds nothing');
    assert.equal(integrity.usable(PLAYLIST), false);
  });

  test('a pinned key document is used instead of the edge one; the playlist tag names the manifest', async () => {
    const calls = [];
    const integrity = manifests({
      key: json('key.json'),
      fetch: async (url) => {
        calls.push(url);
        return new Response(JSON.stringify(json('manifest.json')), { status: 200 });
      },
    });
    integrity.notePlaylist(PLAYLIST, '#EXTM3U\n#EXT-X-SWARMCDN-INTEGRITY:URI="sums.json"\n');
    assert.equal(await integrity.check(PLAYLIST, 41, 'seg_e1_00041.m4s', read('files/seg_e1_00041.m4s')), 'matches');
    assert.deepEqual(calls, [`${EDGE}/live/demo/360p/sums.json`]);
  });

  test('a playlist behind an access-token path names the manifest path without the token', () => {
    assert.equal(manifestPath(`${EDGE}/~t/123.abc.def/live/demo/360p/index.m3u8`), PLAYLIST_PATH);
    assert.equal(manifestPath(`${EDGE}${PLAYLIST_PATH}?token=x`), PLAYLIST_PATH);
  });
});
