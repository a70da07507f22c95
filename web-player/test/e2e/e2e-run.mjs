// What every end-to-end script in this folder shares: the system's Chromium, launched headless
// with timers unthrottled (background pages must keep playing), a bound on the whole run, checks
// that print PASS/FAIL as they go, and the closing lines the Java tests read (E2E-REPORT,
// E2E-OK / E2E-FAILED) with the exit status.
import { existsSync } from 'node:fs';

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
