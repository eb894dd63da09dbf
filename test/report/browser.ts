/**
 * Opens report pages in Debian's Chromium through playwright-core, for the browser tests. Returns
 * undefined where no browser is installed so the tests can skip.
 */
import { existsSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { tempDir } from '../temp.js';

export const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** Why the browser tests skip here, or false when they can run. */
export function browserSkipReason(): string | false {
  if (!existsSync(CHROMIUM)) return `no browser at ${CHROMIUM}`;
  try {
    // playwright-core is a devDependency: absent in a production install.
    import.meta.resolve('playwright-core');
  } catch {
    return 'playwright-core is not installed';
  }
  return false;
}

export interface OpenBrowser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Launches Chromium with a fresh profile directory. */
export async function launchBrowser(): Promise<OpenBrowser> {
  const { chromium } = await import('playwright-core');
  const profile = tempDir('chromium-');
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1280, height: 900 },
    offline: true,
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** What a page said while loading: console errors, uncaught exceptions, requests it tried to make. */
export interface PageLog {
  errors: string[];
  requests: string[];
}

/** Collects the page's Content-Security-Policy violations (run before any of the page's own code). */
function recordCspViolations(): void {
  const w = window as unknown as { __cspViolations: string[] };
  w.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (e) => w.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
}

/** The CSP violations a page has reported so far. */
export async function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? ['(recorder missing)']);
}

/** Opens a file in a new tab, recording errors and requests; resolves once the page says it is ready. */
export async function openReport(context: BrowserContext, file: string): Promise<{ page: Page; log: PageLog; loadMs: number }> {
  const page = await context.newPage();
  await page.addInitScript(recordCspViolations);
  const log: PageLog = { errors: [], requests: [] };
  page.on('console', (msg) => {
    if (msg.type() === 'error' || msg.type() === 'warning') log.errors.push(`${msg.type()}: ${msg.text()}`);
  });
  page.on('pageerror', (err) => log.errors.push(`pageerror: ${err.message}`));
  const url = 'file://' + path.resolve(file);
  page.on('request', (req) => {
    if (req.url() !== url) log.requests.push(req.url());
  });
  const t0 = performance.now();
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForFunction(() => document.documentElement.dataset['ready'] === '1', undefined, { timeout: 20000 });
  const loadMs = performance.now() - t0;
  return { page, log, loadMs };
}
