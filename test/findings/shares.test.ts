/**
 * Findings with the flows tracked on several threads (AnalysisOptions.threads): each worker keeps the
 * facts of its share's flows in their rows, share 1's worker runs the packet detectors on every packet,
 * and the calling thread judges the tables' flows merged by first frame (connections.ts Sweep) with the scan
 * and flood detectors while that worker judges them with the pair detectors (pair-detectors.ts). The
 * findings must be exactly those of one thread, at 2 and 3 threads, on built captures and the corpus, and
 * when flows had to be evicted during the pass (the pair detectors then judge on the calling thread).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze, type PacketConsumer } from '../../src/analyze/analysis.js';
import { FindingsConsumer, type Finding } from '../../src/analyze/findings/index.js';
import { buildBeaconCapture, buildScanCapture, buildWebCapture } from '../../src/gen/samples.js';
import { HAVE_CORPUS, PCAPS, writeCapture } from './helpers.js';

async function run(file: string, threads: number, maxFlows?: number, evictedRowsInFlight?: number): Promise<{ findings: Finding[]; packets: number; tables: number; pairsElsewhere: boolean }> {
  const consumer = new FindingsConsumer();
  const ctx = await analyze(file, [consumer], { threads, minSharedBytes: 0, ...(maxFlows !== undefined ? { flows: { maxFlows } } : {}), ...(evictedRowsInFlight !== undefined ? { evictedRowsInFlight } : {}) });
  return { findings: consumer.result, packets: consumer.packets, tables: ctx.tables.length, pairsElsewhere: consumer.pairsElsewhere };
}

async function assertSameOnThreads(file: string, maxFlows?: number, evictedRowsInFlight?: number): Promise<number> {
  const one = await run(file, 1, maxFlows);
  assert.equal(one.pairsElsewhere, false);
  for (const threads of [2, 3]) {
    const many = await run(file, threads, maxFlows, evictedRowsInFlight);
    // Shared out indeed (a capture with packets): one table per thread, and the pair detectors judged on
    // a worker unless flows were evicted.
    if (one.packets > 0) assert.equal(many.tables, threads, `${path.basename(file)}: tables at ${threads} threads`);
    if (one.packets > 0 && maxFlows === undefined) assert.equal(many.pairsElsewhere, true, `${path.basename(file)}: pairs judged on a worker at ${threads} threads`);
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

test('findings on several threads are those of one when flows are evicted during the pass', async () => {
  let total = 0;
  for (const [cap, name] of [
    [buildScanCapture(), 'shares-evict-scan'],
    [buildBeaconCapture(), 'shares-evict-beacon'],
  ] as const) {
    const file = writeCapture(cap, name);
    total += await assertSameOnThreads(file, 8);
    // The workers' evicted flows through a ring of 2 rows: they wait for this thread, nothing changes.
    await assertSameOnThreads(file, 8, 2);
    assert.equal((await run(file, 2, 8)).pairsElsewhere, false, `${name}: evictions keep the pair detectors here`);
  }
  assert.ok(total > 0);
});

test('findings on several threads are those of one when the worker judging the pair detectors fails', async () => {
  const file = writeCapture(buildBeaconCapture(), 'shares-lost-worker');
  const one = await run(file, 1);
  const inner = new FindingsConsumer();
  let asked = 0;
  // The consumer as the pass sees it, with a worker that fails the follow-up request.
  const consumer: PacketConsumer = {
    needsFlows: true,
    flowsOnly: true,
    shareTracker: inner.shareTracker,
    onPacket: (p, id, ctx) => inner.onPacket(p, id, ctx),
    adoptShare: (t, tracked) => inner.adoptShare(t, tracked),
    onFlowEvicted: (t, id) => inner.onFlowEvicted(t, id),
    finish: (ctx) =>
      inner.finish({
        ...ctx,
        askShare: () => {
          asked++;
          return Promise.reject(new Error('worker lost'));
        },
      }),
  };
  const ctx = await analyze(file, [consumer], { threads: 2, minSharedBytes: 0 });
  assert.equal(ctx.tables.length, 2);
  assert.equal(asked, 1);
  assert.equal(inner.pairsElsewhere, false);
  assert.ok(one.findings.some((f) => f.kind === 'beacon'));
  assert.deepEqual(inner.result, one.findings);
});

test('findings on several threads are those of one: corpus captures', { skip: !HAVE_CORPUS }, async () => {
  let total = 0;
  for (const name of fs.readdirSync(PCAPS).sort()) {
    if (!/\.(pcap|pcapng)$/.test(name)) continue;
    total += await assertSameOnThreads(path.join(PCAPS, name));
  }
  assert.ok(total > 0);
});
