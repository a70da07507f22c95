// What every end-to-end script in this folder shares: the system's Chromium, launched headless
// with timers unthrottled (background pages must keep playing), a bound on the whole run, checks
// that print PASS/FAIL as they go, and the closing lines the Java tests read (E2E-REPORT,
// E2E-OK / E2E-FAILED) with the exit status, and cues: a fault the Java test makes on request.
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';

export const CHROMIUM = '/usr/bin/chromium';

/** Exits 0 with E2E-SKIP where the system's Chromium is missing. */
export function skipWithoutChromium() {
  if (!existsSync(CHROMIUM)) {
    console.log(`E2E-SKIP no ${CHROMIUM} (scripts/install-deps installs it)`);
    process.exit(0);
  }
}

/** Launches the system's Chromium headless; `extraArgs` after ours. */
export async function launchChromium(extraArgs = []) {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--autoplay-policy=no-user-gesture-required',
      '--disable-background-timer-throttling', '--disable-renderer-backgrounding', '--disable-backgrounding-occluded-windows',
      ...extraArgs],
  });
}

/** Prints a page's errors, tagged with `name`: uncaught ones, and console errors but the browser's own "Failed to load resource". */
export function echoErrors(page, name) {
  page.on('pageerror', (e) => console.log(`[${name}] page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) console.log(`[${name}] ${m.text()}`);
  });
}

/** Polls `probe` until it returns a truthy value, at most `ms`; returns the value or null. */
export async function until(probe, ms, everyMs = 250) {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) return null;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** Answers to cues, one line each on standard input, in order. */
const cueAnswers = { lines: [], waiting: null, reader: null };

/**
 * Asks the Java test that runs this script (launcher's BrowserScript) to act on the system - stop
 * an edge, say - with a line `E2E-CUE REQUEST`, and waits at most `ms` for its answer, a line on
 * standard input. A fault the script cannot make itself is made when the pages are ready for it,
 * not at a guessed time. Returns the answer, or null past `ms` (run by hand: nobody answers).
 */
export async function cue(request, ms = 60_000) {
  if (!cueAnswers.reader) {
    cueAnswers.reader = createInterface({ input: process.stdin });
    cueAnswers.reader.on('line', (line) => {
      const waiting = cueAnswers.waiting;
      cueAnswers.waiting = null;
      if (waiting) waiting(line); else cueAnswers.lines.push(line);
    });
  }
  console.log(`E2E-CUE ${request}`);
  if (cueAnswers.lines.length > 0) return cueAnswers.lines.shift();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      cueAnswers.waiting = null;
      resolve(null);
    }, ms);
    cueAnswers.waiting = (line) => {
      clearTimeout(timer);
      resolve(line);
    };
  });
}

/** One run's checks and report, bounded: past `boundMs` it fails and exits at once. */
export class E2eRun {
  constructor(boundMs) {
    this.failures = [];
    this.report = {};
    this.bound = setTimeout(() => {
      console.log(`FAIL the end-to-end run took longer than ${boundMs / 1000} s`);
      process.exit(1);
    }, boundMs);
  }

  /** Records and prints one check; an arrow, so that a script may take it apart from the run. */
  check = (ok, what) => {
    console.log(`${ok ? 'PASS' : 'FAIL'} ${what}`);
    if (!ok) this.failures.push(what);
  };

  /** An exception that ended the run early. */
  error(e) {
    this.failures.push(`error: ${e.stack ?? e}`);
    console.log(`FAIL ${e.stack ?? e}`);
  }

  /** Prints the report and the verdict, and exits with it. */
  finish() {
    clearTimeout(this.bound);
    console.log(`E2E-REPORT ${JSON.stringify(this.report)}`);
    console.log(this.failures.length === 0 ? 'E2E-OK all checks passed'
      : `E2E-FAILED ${this.failures.length} check(s): ${this.failures.join('; ')}`);
    process.exit(this.failures.length === 0 ? 0 : 1);
  }
}
