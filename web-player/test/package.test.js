// The npm package as `npm pack` makes it: both bundles, the engine without hls.js, their types and
// the licence - what a web developer installing @swarmcdn/web-player gets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

test('npm pack holds the bundles, the core without hls.js, their types and the licence', () => {
  const [packed] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { encoding: 'utf8' }));
  const files = new Set(packed.files.map((f) => f.path));
  for (const path of ['dist/player.mjs', 'dist/player.js', 'dist/core.mjs', 'dist/types/index.d.ts', 'dist/types/core.d.ts',
    'LICENSE', 'README.md', 'package.json']) {
    assert.ok(files.has(path), `${path} in the package`);
  }
  const manifest = JSON.parse(readFileSync('package.json', 'utf8'));
  assert.equal(manifest.license, 'Apache-2.0');
  assert.equal(manifest.private, undefined, 'publishable');
  for (const entry of Object.values(manifest.exports)) {
    assert.ok(files.has(entry.import.slice(2)) && files.has(entry.types.slice(2)), JSON.stringify(entry));
  }
});

test('the core bundle imports no hls.js: a page that brings its own keeps one copy', async () => {
  const core = readFileSync('dist/core.mjs', 'utf8');
  assert.doesNotMatch(core, /^import .* from ["']hls\.js["']/m);
  // hls.js's own class and its events, which player.mjs bundles and core.mjs must not.
  assert.match(readFileSync('dist/player.mjs', 'utf8'), /var Hls = class|fragLoaded/);
  assert.doesNotMatch(core, /var Hls = class|fragLoaded/, 'hls.js is not bundled in');
  const module = await import('../dist/core.mjs');
  assert.equal(typeof module.P2PEngine, 'function');
  assert.equal(module.Hls, undefined);
});
