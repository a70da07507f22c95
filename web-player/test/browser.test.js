// The built bundles in real headless Chromium: the classic script (global `swarmcdn`, what a page's
// <script src> gets) and the ES module both run the shared vectors. One browser launch for both.
// Runs where the system's Chromium is (scripts/install-deps installs it); skipped elsewhere.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { assertResults, loadVectors, runVectors } from './vectors.js';

const CHROMIUM = '/usr/bin/chromium';
const skip = existsSync(CHROMIUM) ? false : `no ${CHROMIUM} (scripts/install-deps installs it)`;
const dist = (file) => readFileSync(new URL(`../dist/${file}`, import.meta.url), 'utf8');
const vectors = loadVectors();

let browser;
let page;

before(async () => {
  if (skip) return;
  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  page = await browser.newPage();
});

after(async () => {
  await browser?.close();
});

test('the classic script in Chromium runs the shared vectors', { skip }, async (t) => {
  await page.addScriptTag({ content: dist('player.js') });
  assert.equal(await page.evaluate(() => typeof globalThis.swarmcdn?.decodeFrame), 'function');
  await assertResults(t, vectors, await page.evaluate(runVectors, vectors));
});

test('the ES module in Chromium runs the shared vectors', { skip }, async (t) => {
  const results = await page.evaluate(async ([moduleSource, runSource, vectors]) => {
    const url = URL.createObjectURL(new Blob([moduleSource], { type: 'text/javascript' }));
    const codec = await import(url);
    const run = (0, eval)(`(${runSource})`);
    return run(vectors, codec);
  }, [dist('player.mjs'), runVectors.toString(), vectors]);
  await assertResults(t, vectors, results);
});
