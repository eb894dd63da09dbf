/**
 * Findings with the flows tracked on several threads (AnalysisOptions.threads): each worker keeps the
 * facts of its share's flows in their rows, share 1's worker runs the packet detectors on every packet,
 * and the calling thread judges the tables' flows merged by first frame (connections.ts Sweep). The
 * findings must be exactly those of one thread, at 2 and 3 threads, on built captures and the corpus.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../../src/analyze/analysis.js';
import { FindingsConsumer, type Finding } from '../../src/analyze/findings/index.js';
import { buildBeaconCapture, buildScanCapture, buildWebCapture } from '../../src/gen/samples.js';
import { HAVE_CORPUS, PCAPS, writeCapture } from './helpers.js';

async function run(file: string, threads: number): Promise<{ findings: Finding[]; packets: number; tables: number }> {
  const consumer = new FindingsConsumer();
  const ctx = await analyze(file, [consumer], { threads, minSharedBytes: 0 });
  return { findings: consumer.result, packets: consumer.packets, tables: ctx.tables.length };
}

async function assertSameOnThreads(file: string): Promise<number> {
  const one = await run(file, 1);
  for (const threads of [2, 3]) {
    const many = await run(file, threads);
    // Shared out indeed (a capture with packets): one table per thread.
    if (one.packets > 0) assert.equal(many.tables, threads, `${path.basename(file)}: tables at ${threads} threads`);
    assert.equal(many.packets, one.packets, `${path.basename(file)}: packets at ${threads} threads`);
    assert.deepEqual(many.findings, one.findings, `${path.basename(file)} at ${threads} threads`);
  }
  return one.findings.length;
}

test('findings on several threads are those of one: built captures', async () => {
  let total = 0;
  for (const [cap, name] of [
    [buildScanCapture(), 'shares-scan'],
    [buildBeaconCapture(), 'shares-beacon'],
    [buildWebCapture(), 'shares-web'],
  ] as const) {
    total += await assertSameOnThreads(writeCapture(cap, name));
  }
  assert.ok(total > 0);
});

test('findings on several threads are those of one: corpus captures', { skip: !HAVE_CORPUS }, async () => {
  let total = 0;
  for (const name of fs.readdirSync(PCAPS).sort()) {
    if (!/\.(pcap|pcapng)$/.test(name)) continue;
    total += await assertSameOnThreads(path.join(PCAPS, name));
  }
  assert.ok(total > 0);
});
