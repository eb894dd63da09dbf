/**
 * The report page in a real browser (Debian's Chromium via playwright-core): it loads with no console
 * error and no CSP violation, makes no request, draws every chart, sorts and filters the conversations,
 * copies a finding's filter, and shows hostile capture strings as inert text.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { renderReportHtml } from '../../src/report/html.js';
import { browserSkipReason, cspViolations, launchBrowser, openReport, type OpenBrowser } from './browser.js';
import { HOSTILE, sampleModel } from './fixture.js';
import { emptyReportModel } from '../../src/report/model.js';
import { tempDir } from '../temp.js';

const skip = browserSkipReason();
const dir = tempDir('report-');

/** Counts the painted pixels of every canvas in a chart host. */
async function paintedPixels(page: Page, selector: string): Promise<number> {
  return page.evaluate((sel) => {
    let painted = 0;
    for (const c of document.querySelectorAll<HTMLCanvasElement>(sel + ' canvas')) {
      const ctx = c.getContext('2d');
      if (!ctx || c.width === 0 || c.height === 0) continue;
      const px = ctx.getImageData(0, 0, c.width, c.height).data;
      for (let i = 3; i < px.length; i += 4) if (px[i] !== 0) painted++;
    }
    return painted;
  }, selector);
}

async function columnTexts(page: Page, col: number): Promise<string[]> {
  return page.$$eval(`#conv-table tbody tr td:nth-child(${col})`, (tds) => tds.map((td) => td.textContent ?? ''));
}

describe('report page in Chromium', { skip }, () => {
  let browser: OpenBrowser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loads cleanly, draws every chart, sorts, filters and copies', async () => {
    const file = path.join(dir, 'sample.html');
    const model = sampleModel({ conversations: 60 });
    writeFileSync(file, renderReportHtml(model));
    const { page, log } = await openReport(browser.context, file);
    try {
      assert.deepEqual(log.errors, [], 'console errors or CSP violations');
      assert.deepEqual(log.requests, [], 'the page must load nothing');
      assert.equal(await page.textContent('#file-name'), 'samples/web.pcap');

      // Charts: both timeline canvases painted, the SVG bar charts have bars.
      assert.equal(await page.locator('#timeline .uplot').count(), 2);
      assert.ok((await paintedPixels(page, '#chart-packets')) > 500, 'packets chart is empty');
      assert.ok((await paintedPixels(page, '#chart-flags')) > 500, 'flags chart is empty');
      assert.ok((await page.locator('#chart-handshakes svg rect').count()) >= 4);
      assert.ok((await page.locator('#protocols svg rect').count()) >= 4);
      const clientBars = await page.locator('#clients svg.bars rect').count();
      assert.equal(clientBars, 4 * 3 + 1 * 3, 'one bar per port, service and destination port');
      assert.equal(await page.locator('#findings details.finding').count(), 3);
      // The kind chips filter the findings list.
      await page.click('#findings button.chip[data-kind="beacon"]');
      assert.equal(await page.locator('#findings details.finding:visible').count(), 1);
      await page.click('#findings button.chip[data-kind=""]');
      assert.equal(await page.locator('#findings details.finding:visible').count(), 3);

      // Sorting: packets descending by default; clicking Originator sorts by it, twice reverses.
      const total = (s: string) => s.split(' / ').reduce((a, b) => a + Number(b.replace(/,/g, '')), 0);
      const packets = (await columnTexts(page, 6)).map(total);
      assert.equal(packets.length, 60);
      assert.deepEqual(packets, [...packets].sort((a, b) => b - a));
      await page.click('#conv-table button.sort[data-key="start"]');
      const starts = await columnTexts(page, 4);
      assert.deepEqual(starts, [...starts].sort().reverse(), 'numeric columns sort descending first');
      await page.click('#conv-table button.sort[data-key="start"]');
      const startsUp = await columnTexts(page, 4);
      assert.deepEqual(startsUp, [...starts].reverse());
      assert.equal(await page.getAttribute('#conv-table td.state-SF >> nth=0', 'title'), 'SF: normal establishment and termination');
      await page.click('#conv-table button.sort[data-key="resp"]');
      const resp = await columnTexts(page, 3);
      assert.deepEqual(resp, [...resp].sort((a, b) => a.localeCompare(b, 'en', { numeric: true })));

      // Filtering: every term must match; the count says how many rows are shown.
      await page.fill('#conv-filter', '93.184.216.34');
      const shown = await columnTexts(page, 3);
      const expected = model.conversations.filter((c) => c.respIp === '93.184.216.34').length;
      assert.equal(shown.length, expected);
      assert.ok(shown.every((s) => s.startsWith('93.184.216.34:')));
      assert.equal(await page.textContent('#conv-count'), `${expected} of 60 rows`);
      await page.fill('#conv-filter', 'udp no');
      const udpNo = model.conversations.filter((c) => c.proto === 'udp' && c.answered === 'no').length;
      assert.equal((await columnTexts(page, 1)).length, udpNo);
      await page.fill('#conv-filter', '');
      assert.equal((await columnTexts(page, 1)).length, 60);

      // Copy: the button puts the exact filter on the clipboard.
      await browser.context.grantPermissions(['clipboard-read', 'clipboard-write']);
      await page.click('#findings details.finding >> nth=0 >> button.copy');
      await page.waitForFunction(() => document.querySelector('#findings button.copy')?.textContent !== 'Copy filter');
      assert.equal(await page.textContent('#findings button.copy'), 'Copied');
      assert.equal(await page.evaluate(() => navigator.clipboard.readText()), model.findings[0]!.filter);

      mkdirSync('test-artifacts', { recursive: true });
      await page.screenshot({ path: 'test-artifacts/report.png', fullPage: true });
      assert.deepEqual(log.errors, [], 'errors after interacting');
      assert.deepEqual(await cspViolations(page), []);
    } finally {
      await page.close();
    }
  });

  it('enforces its CSP: an injected script does not run and is reported', async () => {
    // A control for the checks above: if markup ever got in, the policy still stops it.
    const file = path.join(dir, 'injected.html');
    const html = renderReportHtml(sampleModel()).replace('</main>', '</main><script>window.__pwned = 7</script><img src="http://127.0.0.1:9/x.png">');
    writeFileSync(file, html);
    const { page, log } = await openReport(browser.context, file);
    try {
      assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned), undefined);
      const violations = await cspViolations(page);
      assert.ok(violations.some((v) => v.startsWith('script-src')), violations.join('; '));
      assert.ok(violations.some((v) => v.startsWith('img-src')), violations.join('; '));
      assert.ok(log.errors.some((e) => /Content Security Policy/.test(e)));
    } finally {
      await page.close();
    }
  });

  it('draws an empty capture without errors', async () => {
    const file = path.join(dir, 'empty.html');
    writeFileSync(file, renderReportHtml(emptyReportModel('empty.pcap')));
    const { page, log } = await openReport(browser.context, file);
    try {
      assert.deepEqual(log.errors, []);
      assert.equal(await page.locator('p.error').count(), 0);
      assert.equal(await page.textContent('#conv-count'), '0 rows');
    } finally {
      await page.close();
    }
  });

  it('opens a report of the largest size quickly', async () => {
    // The most a report holds: a full timeline, 500 conversations, a dozen clients, 200 findings.
    const model = sampleModel({ conversations: 500, buckets: 1500 });
    while (model.clients.length < 12) model.clients.push({ ...model.clients[0]!, ip: '10.0.0.' + model.clients.length });
    while (model.findings.length < 200) model.findings.push({ ...model.findings[model.findings.length % 3]! });
    const file = path.join(dir, 'large.html');
    const html = renderReportHtml(model);
    writeFileSync(file, html);
    const { page, log, loadMs } = await openReport(browser.context, file);
    try {
      console.log(`# large report: ${(html.length / 1024).toFixed(0)} KB, ready in ${loadMs.toFixed(0)} ms`);
      assert.deepEqual(log.errors, []);
      assert.equal(await page.locator('#conv-table tbody tr').count(), 500);
      assert.ok(loadMs < 4000, `ready in ${loadMs} ms`);
      // Sorting 500 rows stays instant (timed inside the page, not through the driver).
      const sortMs = await page.evaluate(() => {
        const t0 = performance.now();
        document.querySelector<HTMLButtonElement>('#conv-table button.sort[data-key="bytes"]')!.click();
        return performance.now() - t0;
      });
      console.log(`# sorting 500 rows: ${sortMs.toFixed(0)} ms`);
      assert.ok(sortMs < 1000, `sorting took ${sortMs} ms`);
    } finally {
      await page.close();
    }
  });

  it('shows hostile capture strings as inert text', async () => {
    const file = path.join(dir, 'hostile.html');
    const model = sampleModel({ hostile: true, conversations: 12 });
    writeFileSync(file, renderReportHtml(model));
    const { page, log } = await openReport(browser.context, file);
    try {
      // Let any event handler that was (wrongly) created fire.
      await page.waitForTimeout(200);
      assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned), undefined);
      assert.deepEqual(log.errors, []);
      assert.deepEqual(await cspViolations(page), []);
      assert.deepEqual(log.requests, []);
      assert.equal(await page.locator('img, iframe, main script, main style, [onerror], [onload]').count(), 0);
      // The hostile text is on the page, verbatim, as text.
      const text = await page.evaluate(() => document.body.innerText);
      for (const s of [HOSTILE[0]!, HOSTILE[1]!, HOSTILE[3]!, HOSTILE[4]!]) assert.ok(text.includes(s), `missing text ${s}`);
      assert.equal(await page.textContent('#file-name'), model.capture.file);
      const filter = await page.textContent('#findings code.filter');
      assert.equal(filter, model.findings[0]!.filter);
    } finally {
      await page.close();
    }
  });
});
