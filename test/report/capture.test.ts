/**
 * Reports built from captures: a hostile capture the test builds (DNS names and HTTP lines carrying script
 * tags and event handlers) gives a page where those strings are inert text; the command writes a file.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { CaptureBuilder } from '../../src/gen/capture-builder.js';
import { httpRequest, httpResponse } from '../../src/gen/http.js';
import { buildReportModel } from '../../src/report/build.js';
import { renderReportHtml } from '../../src/report/html.js';
import { browserSkipReason, launchBrowser, openReport, type OpenBrowser } from './browser.js';
import { tempDir } from '../temp.js';

const dir = tempDir('report-cap-');
const T0 = 1_700_000_000;
const CLIENT = '192.168.218.131';
const RESOLVER = '192.168.218.2';

/** DNS names (each label at most 63 bytes) and HTTP text that would run code if treated as markup. */
const EVIL_NAMES = ['<script>window.__pwned=1</script>.evil.example', '<img src=x onerror=window.__pwned=2>.evil.example'];
const EVIL_PATH = '/<script>window.__pwned=3</script>';
const EVIL_HOST = '"><svg onload=window.__pwned=4>';

function hostileCapture(): Buffer {
  const cap = new CaptureBuilder({ seed: 7 });
  let t = T0;
  EVIL_NAMES.forEach((name, i) => cap.dns({ t: t + i, client: CLIENT, cport: 50000 + i, server: RESOLVER, id: 100 + i, name, rcode: i === 1 ? 3 : 0 }));
  cap.dns({ t: t + 3, client: CLIENT, cport: 50010, server: RESOLVER, id: 7, name: 'www.example.com' });
  t += 5;
  const c = cap.tcpOpen({ t, client: CLIENT, cport: 49200, server: '93.184.216.34', sport: 80 });
  c.exchange(httpRequest({ host: EVIL_HOST, path: EVIL_PATH }), httpResponse({ body: 300 }));
  c.close();
  cap.tcpRejected({ t: t + 2, client: CLIENT, cport: 49201, server: '93.184.216.35', sport: 8080 });
  cap.tcpUnanswered({ t: t + 3, client: CLIENT, cport: 49202, server: '93.184.216.36', sport: 443 }, 2);
  return cap.toPcap();
}

describe('report from a capture', () => {
  const file = path.join(dir, 'hostile.pcap');
  before(() => writeFileSync(file, hostileCapture()));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('collects the names, requests and facts', async () => {
    const model = await buildReportModel(file, { now: new Date(0) });
    assert.equal(model.capture.format, 'pcap');
    assert.deepEqual(model.capture.linkTypes, ['EN10MB (Ethernet)']);
    assert.ok(model.capture.packets > 10);
    assert.equal(model.capture.hosts, 5, 'client, resolver and three servers');
    const names = model.dnsNames.map((n) => n.name + ' ' + n.note);
    assert.ok(names.includes(`${EVIL_NAMES[0]} A NOERROR`), names.join('\n'));
    assert.ok(names.includes(`${EVIL_NAMES[1]} A NXDOMAIN`));
    assert.ok(names.includes('www.example.com A NOERROR'));
    assert.deepEqual(model.httpRequests, [{ name: `GET ${EVIL_PATH} HTTP/1.1`, count: 1, note: EVIL_HOST }]);
    assert.ok(model.timeline.bucket < 1, 'a capture of seconds gets sub-second buckets');
    assert.equal(model.timeline.packets.reduce((a, b) => a + b, 0), model.capture.packets);
    assert.equal(model.timeline.synAck.reduce((a, b) => a + b, 0), 1);
    assert.equal(model.timeline.syn.reduce((a, b) => a + b, 0), 1 + 1 + 3);
    assert.equal(model.timeline.rst.reduce((a, b) => a + b, 0), 1);
    // The analyses' answers: one connection of each outcome, one client, every flow listed.
    const h = model.handshakes;
    assert.deepEqual([h.attempts, h.established, h.rejected, h.unanswered, h.synAckOnly, h.synAcks], [3, 1, 1, 1, 0, 1]);
    assert.deepEqual(model.clients.map((c) => c.ip), [CLIENT]);
    const client = model.clients[0]!;
    assert.deepEqual(client.portTotals.map((p) => `${p.proto}/${p.port}`).sort(), ['tcp/443', 'tcp/80', 'tcp/8080', 'udp/53']);
    assert.equal(client.portsDistinct, 3 + 3);
    assert.equal(client.servicesDistinct, 4);
    assert.equal(model.conversationsTotal, 3 + 3);
    assert.equal(model.conversations.length, 6);
    const web = model.conversations.find((c) => c.respPort === 80)!;
    assert.equal(web.state, 'SF');
    assert.equal(model.conversations.find((c) => c.respPort === 8080)!.state, 'REJ');
    assert.equal(model.conversations.filter((c) => c.proto === 'udp' && c.answered === 'yes').length, 3);
  });

  it('keeps only the busiest conversations, and counts them all', async () => {
    const model = await buildReportModel(file, { topConversations: 2 });
    assert.equal(model.conversationsTotal, 6);
    assert.equal(model.conversations.length, 2);
    assert.equal(model.conversations[0]!.respPort, 80, 'the HTTP connection has the most packets');
  });

  it('renders the hostile strings as inert text in Chromium', { skip: browserSkipReason() }, async () => {
    const model = await buildReportModel(file);
    const html = path.join(dir, 'hostile.html');
    writeFileSync(html, renderReportHtml(model));
    let browser: OpenBrowser | undefined;
    try {
      browser = await launchBrowser();
      const { page, log } = await openReport(browser.context, html);
      await page.waitForTimeout(200);
      assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned), undefined);
      assert.deepEqual(log.errors, []);
      assert.deepEqual(log.requests, []);
      assert.equal(await page.locator('img, iframe, main svg[onload], [onerror]').count(), 0);
      const text = await page.evaluate(() => document.querySelector('#names')?.textContent ?? '');
      for (const s of [EVIL_NAMES[0]!, EVIL_NAMES[1]!, EVIL_PATH, EVIL_HOST]) assert.ok(text.includes(s), `missing ${s}`);
    } finally {
      await browser?.close();
    }
  });

  it('is written by the report command', () => {
    const main = path.resolve('dist/src/cli/main.js');
    if (!existsSync(main)) return;
    const out = path.join(dir, 'cli.html');
    const r = spawnSync(process.execPath, [main, 'report', file, '-o', out], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /^pcapsift: wrote .*cli\.html/);
    const html = readFileSync(out, 'utf8');
    assert.match(html, /^<!DOCTYPE html>/);
    assert.ok(!html.includes('<script>window.__pwned'));
    const json = spawnSync(process.execPath, [main, 'report', file, '--json', '-o', '-'], { encoding: 'utf8' });
    assert.equal(json.status, 0, json.stderr);
    assert.equal(JSON.parse(json.stdout).capture.packets > 10, true);
    const bad = spawnSync(process.execPath, [main, 'report', file, '--top', 'x'], { encoding: 'utf8' });
    assert.equal(bad.status, 2);
    const missing = spawnSync(process.execPath, [main, 'report', path.join(dir, 'nope.pcap'), '-o', out], { encoding: 'utf8' });
    assert.equal(missing.status, 1);
    assert.equal(missing.stderr.trim().split('\n').length, 1);
    // A capture cut mid-record: the report covers what came before, says so, and the status is 1.
    const cut = path.join(dir, 'cut.pcap');
    const whole = readFileSync(file);
    writeFileSync(cut, whole.subarray(0, whole.length - 20));
    const damaged = spawnSync(process.execPath, [main, 'report', cut, '-o', out], { encoding: 'utf8' });
    assert.equal(damaged.status, 1);
    assert.match(damaged.stderr, /truncated dump file.*the report covers the \d+ packets before it/);
    assert.match(readFileSync(out, 'utf8'), /The capture is damaged/);
    const unreadable = spawnSync(process.execPath, [main, 'report', out, '-o', path.join(dir, 'x.html')], { encoding: 'utf8' });
    assert.equal(unreadable.status, 1);
    assert.match(unreadable.stderr, /^pcapsift: .*unknown file format/);
    assert.doesNotMatch(unreadable.stderr, /internal error/);
    const help = spawnSync(process.execPath, [main, 'report', '--help'], { encoding: 'utf8' });
    assert.match(help.stdout, /examples:\n {2}pcapsift report /);
  });
});
