/**
 * Every readable corpus capture (every link type, pcap and pcapng, damaged files) gives a report: the
 * model's invariants hold and the page's data parses back. Skips without the corpus.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { CaptureError } from '../../src/capture/errors.js';
import { buildReportModel } from '../../src/report/build.js';
import { renderReportHtml } from '../../src/report/html.js';
import { REPORT_DATA_ID } from '../../src/report/page.js';

const pcaps = path.resolve('..', 'shared', 'corpus', 'pcaps');
const files = existsSync(pcaps)
  ? [
      ...readdirSync(pcaps).filter((f) => /\.(pcap|pcapng)$/.test(f)).map((f) => path.join(pcaps, f)),
      ...readdirSync(path.join(pcaps, 'bad')).map((f) => path.join(pcaps, 'bad', f)),
    ]
  : [];

describe('report on every corpus capture', { skip: files.length === 0 ? 'no corpus' : false }, () => {
  it(`builds and renders ${files.length} captures`, async () => {
    let reported = 0;
    let unreadable = 0;
    for (const file of files) {
      let model;
      try {
        model = await buildReportModel(file, { now: new Date(0) });
      } catch (err) {
        // Only a file that cannot be opened at all may fail, and only with a CaptureError.
        assert.ok(err instanceof CaptureError, `${file}: ${String(err)}`);
        assert.ok(file.includes(`${path.sep}bad${path.sep}`), `${file} is not one of the broken files`);
        unreadable++;
        continue;
      }
      const where = path.basename(file);
      const tl = model.timeline;
      assert.equal(tl.packets.reduce((a, b) => a + b, 0), model.capture.packets, `${where}: timeline total`);
      for (const series of [tl.syn, tl.synAck, tl.rst, tl.fin]) assert.equal(series.length, tl.packets.length, where);
      assert.equal(model.capture.protocols.reduce((a, p) => a + p.packets, 0), model.capture.packets, `${where}: protocol mix total`);
      const h = model.handshakes;
      assert.equal(h.established + h.synAckOnly + h.rejected + h.unanswered, h.attempts, `${where}: outcomes add up`);
      assert.ok(model.conversations.length <= model.conversationsTotal, where);
      if (model.capture.fault !== null) assert.ok(model.notes.some((n) => n.includes(model.capture.fault!)), where);
      const html = renderReportHtml(model);
      const open = `<script type="application/json" id="${REPORT_DATA_ID}">`;
      const data = html.slice(html.indexOf(open) + open.length, html.indexOf('</script>', html.indexOf(open)));
      assert.deepEqual(JSON.parse(data), JSON.parse(JSON.stringify(model)), `${where}: data round trip`);
      reported++;
    }
    console.log(`# ${reported} reported, ${unreadable} unreadable`);
    assert.ok(reported >= files.length - 16);
  });
});
