/**
 * A report of a busy capture stays small and opens fast: a slice of the benchmark capture (many hosts,
 * tens of thousands of flows, scans and a beacon) gives a bounded model and a page that loads cleanly.
 * The 1 M-packet figures are measured the same way (see the report command's help and the bench notes).
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, openSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { conversations } from '../../src/analyze/conversations.js';
import { writeBenchCapture } from '../../src/gen/bench-capture.js';
import { buildReportModel } from '../../src/report/build.js';
import { renderReportHtml } from '../../src/report/html.js';
import { DEFAULT_TOP_CLIENTS, DEFAULT_TOP_CONVERSATIONS, MAX_REPORT_FINDINGS, MAX_TIMELINE_BUCKETS } from '../../src/report/model.js';
import { browserSkipReason, launchBrowser, openReport } from './browser.js';
import { tempDir } from '../temp.js';

const PACKETS = 60_000;
const dir = tempDir('report-scale-');

describe('report of a busy capture', () => {
  after(() => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'bench.pcap');
  const htmlFile = path.join(dir, 'bench.html');
  let html = '';

  it('aggregates into a bounded model', async () => {
    const fd = openSync(file, 'w');
    try {
      writeBenchCapture(fd, { packets: PACKETS });
    } finally {
      closeSync(fd);
    }
    const t0 = performance.now();
    const model = await buildReportModel(file);
    const ms = performance.now() - t0;
    html = renderReportHtml(model);
    writeFileSync(htmlFile, html);
    console.log(`# ${PACKETS} packets: model in ${ms.toFixed(0)} ms, ${model.conversationsTotal} conversations, ${model.findings.length} findings, report ${(html.length / 1024).toFixed(0)} KB`);
    assert.equal(model.capture.packets, PACKETS);
    assert.equal(model.timeline.packets.reduce((a, b) => a + b, 0), PACKETS);
    assert.ok(model.timeline.packets.length <= MAX_TIMELINE_BUCKETS);
    assert.ok(model.conversationsTotal > DEFAULT_TOP_CONVERSATIONS);
    assert.equal(model.conversations.length, DEFAULT_TOP_CONVERSATIONS);
    assert.ok(model.clients.length <= DEFAULT_TOP_CLIENTS && model.clientsTotal > model.clients.length);
    assert.ok(model.findings.length <= MAX_REPORT_FINDINGS);
    assert.ok(model.findings.some((f) => f.kind.endsWith('-scan')), 'the bench capture has scans');
    // Busiest first, and nothing left out is busier than what is listed.
    const totals = model.conversations.map((c) => c.packetsOrig + c.packetsResp);
    assert.deepEqual(totals, [...totals].sort((a, b) => b - a));
    const all = (await conversations(file)).conversations.map((c) => c.packets.orig + c.packets.resp).sort((a, b) => b - a);
    assert.equal(all.length, model.conversationsTotal);
    assert.deepEqual(totals, all.slice(0, DEFAULT_TOP_CONVERSATIONS), 'the listed flows are the busiest');
    assert.ok(html.length < 1_000_000, `${html.length} bytes`);
  });

  it('opens quickly in Chromium', { skip: browserSkipReason() }, async () => {
    assert.ok(html.length > 0, 'the model test ran first');
    const browser = await launchBrowser();
    try {
      const { page, log, loadMs } = await openReport(browser.context, htmlFile);
      console.log(`# ${PACKETS}-packet report ready in ${loadMs.toFixed(0)} ms`);
      assert.deepEqual(log.errors, []);
      assert.equal(await page.locator('#conv-table tbody tr').count(), DEFAULT_TOP_CONVERSATIONS);
      assert.ok(loadMs < 4000, `ready in ${loadMs} ms`);
    } finally {
      await browser.close();
    }
  });
});
