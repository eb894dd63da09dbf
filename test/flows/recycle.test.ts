/** Rows of ended flows handed to a consumer and recycled (FlowTableOptions.onEnd, PacketConsumer.onFlowEnded). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../../src/analyze/analysis.js';
import { ConversationsConsumer } from '../../src/analyze/conversations.js';
import { ClientServicesConsumer } from '../../src/analyze/services.js';
import { writeBenchCapture } from '../../src/gen/bench-capture.js';
import { tempDir } from '../temp.js';

const dir = tempDir('recycle-');
const bench = path.join(dir, 'bench.pcap');
{
  const fd = fs.openSync(bench, 'w');
  writeBenchCapture(fd, { packets: 40_000 });
  fs.closeSync(fd);
}
// Short idle timeouts: most flows of the ~15 s capture end before it does.
const flows = { udpIdleTimeout: 1, tcpIdleTimeout: 2, otherIdleTimeout: 1 };

test('services take ended flows as they end and their rows are recycled: the same rows as keeping every row', async () => {
  const recycled = new ClientServicesConsumer();
  const a = await analyze(bench, [recycled], { flows });
  const kept = new ClientServicesConsumer();
  // A flow consumer without onFlowEnded needs every row at the end: nothing is recycled.
  const b = await analyze(bench, [kept, { needsFlows: true, flowsOnly: true }], { flows });
  assert.equal(a.flows!.stats.created, b.flows!.stats.created);
  assert.ok(a.flows!.stats.timedOut > 1000, `flows ended: ${a.flows!.stats.timedOut}`);
  assert.equal(b.flows!.used, b.flows!.stats.created, 'without recycling every flow has its own row');
  assert.ok(a.flows!.used < b.flows!.used / 2, `rows used: ${a.flows!.used} recycled, ${b.flows!.used} kept`);
  assert.ok(recycled.rows().length > 100);
  assert.deepEqual(recycled.rows(), kept.rows());
});

test('conversations keep every row (they read all flows at the end)', async () => {
  const conv = new ConversationsConsumer();
  const ctx = await analyze(bench, [conv], { flows });
  assert.equal(ctx.flows!.used, ctx.flows!.stats.created);
  assert.equal(conv.result.length, ctx.flows!.stats.created);
});
