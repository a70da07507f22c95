// The engine knows no player: nothing under src/ imports the hls.js integration (src/hls/) or
// hls.js itself, but that integration, the element built on it and the entry points that wire them
// (index.js, core.js). Another player's integration is a folder beside hls/ (README, "Writing
// another player integration"). JSDoc type imports count: a type from hls/ ties the engine as well.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));
/** Where hls.js may be wired in: the integration, the element on it, the entry points. */
const WIRING = ['hls/', 'element/', 'index.js', 'core.js'];

/** Every module a source file names: static and dynamic imports, re-exports, JSDoc `import('...')`. @param {string} text */
function specifiers(text) {
  return [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"]([^'"]+)['"]/g)].map((m) => m[1]);
}

/** The specifiers of `file` (a path under src/) that reach hls.js or src/hls/. @param {string} file @param {string} text */
function playerImports(file, text) {
  return specifiers(text).filter((specifier) => {
    if (specifier === 'hls.js' || specifier.startsWith('hls.js/')) return true;
    if (!specifier.startsWith('.')) return false;
    return relative(SRC, resolve(dirname(join(SRC, file)), specifier)).split(/[\\/]/)[0] === 'hls';
  });
}

/** @param {string} dir @returns {string[]} paths relative to src/ */
function sources(dir = SRC) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return /\.m?js$/.test(entry.name) ? [relative(SRC, path).split(/[\\/]/).join('/')] : [];
  });
}

describe('import boundaries', () => {
  test('the check sees every way a module can name hls.js or src/hls/', () => {
    const text = `import Hls from 'hls.js';\nexport { P2PEngine } from "../hls/p2p-engine.js";\n`
      + `const m = await import('../hls/loader.js');\n/** @typedef {import('../hls/timing.js').X} X */\n`
      + `import '../hls/side-effect.js';\nimport { swarmOf } from './swarm.js';\nimport x from 'hls.js/dist/hls.light.mjs';\n`;
    assert.deepEqual(playerImports('engine/engine.js', text),
      ['hls.js', '../hls/p2p-engine.js', '../hls/loader.js', '../hls/timing.js', '../hls/side-effect.js', 'hls.js/dist/hls.light.mjs']);
    assert.deepEqual(playerImports('engine/engine.js', `import { x } from '../hlsx/a.js';`), [], 'a folder named alike is not hls/');
  });

  test('outside hls/, the element and the entry points, nothing imports hls.js or src/hls/', () => {
    const files = sources();
    assert.ok(files.includes('engine/engine.js') && files.includes('hls/loader.js'), files.join(', '));
    const offending = files
      .filter((file) => !WIRING.some((allowed) => (allowed.endsWith('/') ? file.startsWith(allowed) : file === allowed)))
      .map((file) => ({ file, imports: playerImports(file, readFileSync(join(SRC, file), 'utf8')) }))
      .filter(({ imports }) => imports.length > 0);
    assert.deepEqual(offending, []);
  });
});
