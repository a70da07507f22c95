// The engine's statistics by source: HTTP, viewers (P2P) and edge seeders, whose bytes are edge
// bytes and never count as P2P.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { EngineStats } from '../src/stats/stats.js';

const live = { peers: 1, swarm: 'demo/360p', tracker: 'open', uploadsActive: 0 };

describe('EngineStats', () => {
  test('seeder bytes are kept apart, and the P2P share is p2p / (http + seeder + p2p)', () => {
    let now = 0;
    const stats = new EngineStats(() => now);
    stats.downloadedBytes('http', 100);
    stats.downloadedBytes('p2p', 300);
    stats.downloadedBytes('seeder', 600);
    stats.deliveredSegment(100, 300, 600);
    stats.rescued();
    const s = stats.snapshot(live);
    assert.deepEqual(s.delivered, { http: 100, p2p: 300, seeder: 600 });
    assert.deepEqual(s.downloaded, { http: 100, p2p: 300, seeder: 600 });
    assert.deepEqual([s.httpBytes, s.p2pBytes, s.seederBytes], [100, 300, 600], 'the same totals under the contract\'s names');
    assert.equal(s.p2pShare, 0.3);
    assert.equal(s.rescues, 1);
    assert.deepEqual(s.history, [{ t: 0, http: 100, p2p: 300, seeder: 600, upload: 0 }]);
    now = 1500;
    assert.deepEqual(stats.snapshot(live).history.at(-1), { t: 1, http: 0, p2p: 0, seeder: 0, upload: 0 });
  });

  test('a segment counts for the source most of its bytes came from; ties: HTTP, then seeders', () => {
    const stats = new EngineStats(() => 0);
    stats.deliveredSegment(10, 20, 30);
    stats.deliveredSegment(10, 30, 20);
    stats.deliveredSegment(30, 20, 10);
    stats.deliveredSegment(10, 10, 10);
    stats.deliveredSegment(0, 10, 10);
    assert.deepEqual(stats.snapshot(live).segments, { http: 2, p2p: 1, seeder: 2 });
  });

  test('nothing delivered: share 0', () => {
    assert.equal(new EngineStats(() => 0).snapshot(live).p2pShare, 0);
  });
});
