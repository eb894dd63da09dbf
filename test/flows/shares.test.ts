/**
 * Flows tracked in shares on several threads: the raw-record share must agree with the full decode, and the
 * shares together must give exactly what one table gives (conversations and services, byte for byte).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readCapture } from '../../src/capture/reader.js';
import { decodeRecord } from '../../src/decode/decoder.js';
import { DecodedPacket } from '../../src/decode/packet.js';
import { FlowTable } from '../../src/flows/flow-table.js';
import { recordShare } from '../../src/flows/record-share.js';
import { SHARE_SPACE, shareBounds, shareOf } from '../../src/flows/share-plan.js';
import { analyze } from '../../src/analyze/analysis.js';
import { ConversationsConsumer } from '../../src/analyze/conversations.js';
import { ClientServicesConsumer } from '../../src/analyze/services.js';
import { flowRecord } from '../../src/analyze/flow-record.js';
import { writeBenchCapture } from '../../src/gen/bench-capture.js';
import { CORPUS_PCAPS, HAVE_CORPUS } from '../analyze/built.js';
import { tempDir } from '../temp.js';
import { pkt } from './packets.js';

const dir = tempDir('shares-');
const bench = path.join(dir, 'bench.pcap');
{
  const fd = fs.openSync(bench, 'w');
  writeBenchCapture(fd, { packets: 40_000 });
  fs.closeSync(fd);
}

/** Every record whose share its bytes tell is tracked by that share's table and by no other. */
async function checkShares(file: string, count: number): Promise<number> {
  const bounds = shareBounds(count, count === 2 ? 1 : 1.7);
  const tables = Array.from({ length: count }, (_, index) => new FlowTable({ partition: { count, index, bounds } }));
  const p = new DecodedPacket();
  let told = 0;
  await readCapture(file, {
    onPacket(rec) {
      const share = recordShare(rec, bounds);
      if (share < 0) return;
      told++;
      for (let k = 0; k < count; k++) {
        decodeRecord(p, rec);
        const id = tables[k]!.track(p);
        assert.equal(id >= 0, k === share, `${path.basename(file)} frame ${rec.frame}: share ${share}, table ${k} gave ${id}`);
      }
    },
  }).catch((err: unknown) => {
    if (!(err instanceof Error) || err.name !== 'CaptureError') throw err;
  });
  return told;
}

test('the share read from a record agrees with decoding and tracking it (bench capture, every corpus capture)', async () => {
  assert.ok((await checkShares(bench, 2)) > 30_000, 'most bench packets are told from their bytes');
  assert.ok((await checkShares(bench, 3)) > 30_000);
  if (!HAVE_CORPUS) return;
  for (const name of fs.readdirSync(CORPUS_PCAPS)) {
    const file = path.join(CORPUS_PCAPS, name);
    if (fs.statSync(file).isFile()) await checkShares(file, 2);
  }
});

/** Conversations and services as text, from a run with the given threads and flow limit. */
async function results(file: string, threads: number, maxFlows?: number, evictedRowsInFlight?: number): Promise<{ conv: string; services: string; tables: number; evicted: number }> {
  const conv = new ConversationsConsumer();
  const svc = new ClientServicesConsumer();
  const flows = maxFlows === undefined ? {} : { maxFlows };
  const inFlight = evictedRowsInFlight === undefined ? {} : { evictedRowsInFlight };
  const a = await analyze(file, [conv], { threads, minSharedBytes: 0, flows, ...inFlight });
  const b = await analyze(file, [svc], { threads, minSharedBytes: 0, flows, ...inFlight });
  assert.equal(a.tables.length, b.tables.length);
  return { conv: JSON.stringify(conv.result), services: JSON.stringify(svc.rows()), tables: a.tables.length, evicted: a.capture.evictedFlows ?? 0 };
}

test('two or three threads give exactly the single thread conversations and services', async () => {
  const one = await results(bench, 1);
  assert.equal(one.tables, 1);
  for (const threads of [2, 3]) {
    const many = await results(bench, threads);
    assert.equal(many.tables, threads, 'the flows were tracked in shares');
    assert.equal(many.conv, one.conv);
    assert.equal(many.services, one.services);
  }
});

test('flows another thread evicted reach the consumers as this thread evictions do', async () => {
  type Row = { packets: { orig: number; resp: number } };
  const packets = (json: string) => (JSON.parse(json) as Row[]).reduce((n, r) => n + r.packets.orig + r.packets.resp, 0);
  const whole = await results(bench, 1);
  // At most 250 flows per share: both threads evict, and every evicted flow is still listed.
  const two = await results(bench, 2, 250);
  assert.equal(packets(two.conv), packets(whole.conv), 'every tracked packet is in some listed flow');
  assert.ok((JSON.parse(two.conv) as Row[]).length >= (JSON.parse(whole.conv) as Row[]).length);
  assert.ok(two.evicted > 1000, `both threads evicted (${two.evicted})`);
  // Through a ring of 4 rows the worker waits for this thread again and again: nothing is lost or doubled.
  for (const threads of [2, 3]) {
    const tight = await results(bench, threads, 250, 4);
    const roomy = await results(bench, threads, 250);
    assert.equal(tight.evicted, roomy.evicted);
    assert.equal(tight.conv, roomy.conv, `${threads} threads: the same conversations whatever the ring's size`);
    assert.equal(tight.services, roomy.services);
  }
});

test('shares split flows exactly as one table on every corpus capture (clocks that step back included)', { skip: HAVE_CORPUS ? false : 'corpus not present' }, async () => {
  for (const name of fs.readdirSync(CORPUS_PCAPS)) {
    const file = path.join(CORPUS_PCAPS, name);
    if (!fs.statSync(file).isFile()) continue;
    const one = new ConversationsConsumer();
    await analyze(file, [one], { threads: 1 });
    // Three shares: the corpus has a capture whose flows two shares happen to split alike either way.
    for (const threads of [3]) {
      const many = new ConversationsConsumer();
      await analyze(file, [many], { threads, minSharedBytes: 0 });
      assert.equal(JSON.stringify(many.result), JSON.stringify(one.result), `${name}, ${threads} threads`);
    }
  }
});

test('a table another thread filled reads back row for row', () => {
  const t = new FlowTable({ shared: true, initialCapacity: 64 });
  const id = t.track(pkt(new DecodedPacket(), 1_770_000_000.123456, 0x0a000001, 5353, 0x0a000002, 53));
  const copy = FlowTable.fromState(t.exportState());
  assert.deepEqual(flowRecord(copy, id), flowRecord(t, id));
  assert.equal(copy.used, 1);
});

test('share bounds cut the whole share space in order, weighted as asked', () => {
  for (const [count, w] of [[1, 1], [2, 1], [2, 1.6], [3, 1], [3, 2.5], [7, 1]] as const) {
    const b = shareBounds(count, w);
    assert.equal(b.length, count + 1);
    assert.equal(b[0], 0);
    assert.equal(b[count], SHARE_SPACE);
    for (let i = 0; i < count; i++) assert.ok(b[i]! < b[i + 1]!, `bounds ascend: ${b}`);
    // Share 0's slice against each other share's: the weight, to within the rounding of one slice.
    if (count > 1) assert.ok(Math.abs(b[1]! / ((SHARE_SPACE - b[1]!) / (count - 1)) - w) < 0.01, `weight ${w}: ${b}`);
    // Every point of the space falls in the share whose slice holds it.
    for (let x = 0; x < SHARE_SPACE; x += 97) {
      const s = shareOf(x << 14, b);
      assert.ok(b[s]! <= x && x < b[s + 1]!, `point ${x} in share ${s} of ${b}`);
    }
  }
});
