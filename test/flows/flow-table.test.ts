/** The flow table: keys in both directions, idle timeouts, reuse, eviction, and memory for a million flows. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DecodedPacket } from '../../src/decode/packet.js';
import { IPPROTO_TCP, IPPROTO_UDP } from '../../src/wire/ipv4.js';
import { DIR_ORIG, DIR_RESP, FLOW_ENDED, FlowTable } from '../../src/flows/flow-table.js';
import { EP_SYN_SENT } from '../../src/flows/states.js';
import { pkt } from './packets.js';

test('a flow is found from both directions and counts each side', () => {
  const t = new FlowTable();
  const p = new DecodedPacket();
  const a = t.track(pkt(p, 1, 1, 1000, 2, 53));
  assert.equal(t.lastDir, DIR_ORIG);
  assert.equal(t.lastCreated, true);
  const b = t.track(pkt(p, 1.1, 2, 53, 1, 1000));
  assert.equal(b, a);
  assert.equal(t.lastDir, DIR_RESP);
  assert.equal(t.lastCreated, false);
  assert.deepEqual([t.packets(a, 0), t.packets(a, 1)], [1, 1]);
  // Same addresses, other ports: another flow.
  assert.notEqual(t.track(pkt(p, 1.2, 1, 1001, 2, 53)), a);
  assert.equal(t.live, 2);
});

test('an idle UDP flow ends after the timeout and the next packet starts a new one', () => {
  const t = new FlowTable({ udpIdleTimeout: 60 });
  const p = new DecodedPacket();
  const a = t.track(pkt(p, 100, 1, 1000, 2, 53));
  assert.equal(t.track(pkt(p, 159, 1, 1000, 2, 53)), a);
  const b = t.track(pkt(p, 220, 1, 1000, 2, 53));
  assert.notEqual(b, a);
  assert.equal(t.stats.timedOut, 1);
  assert.ok((t.flags(a) & FLOW_ENDED) !== 0, 'the old flow keeps its row, ended');
  let n = 0;
  t.forEach(() => n++);
  assert.equal(n, 2);
});

test('a new SYN with a new ISN after a close starts a new TCP connection', () => {
  const t = new FlowTable();
  const p = new DecodedPacket();
  const syn = (time: number, seq: number) => {
    pkt(p, time, 1, 40000, 2, 80, IPPROTO_TCP, 0x02);
    p.seq = seq;
    return t.track(p);
  };
  const a = syn(1, 100);
  t.track(pkt(p, 1.1, 2, 80, 1, 40000, IPPROTO_TCP, 0x14)); // RST/ACK: rejected
  const b = syn(2, 100);
  assert.equal(b, a, 'the same ISN is a retransmission');
  const c = syn(3, 999);
  assert.notEqual(c, a);
  assert.equal(t.stats.reused, 1);
  assert.equal(t.endpointState(c, 0), EP_SYN_SENT);
});

test('beyond maxFlows the least recently active flow is evicted, and consumers hear of it first', () => {
  const evicted: number[] = [];
  const t = new FlowTable({
    maxFlows: 16,
    initialCapacity: 16,
    onEvict: (table, id) => evicted.push(table.origPort(id)),
  });
  const p = new DecodedPacket();
  for (let i = 0; i < 16; i++) t.track(pkt(p, 1 + i, 1, 1000 + i, 2, 53));
  t.track(pkt(p, 20, 1, 1000, 2, 53)); // flow 1000 becomes the most recent
  t.track(pkt(p, 21, 1, 2000, 2, 53));
  t.track(pkt(p, 22, 1, 2001, 2, 53));
  assert.deepEqual(evicted, [1001, 1002]);
  assert.equal(t.stats.evicted, 2);
  assert.equal(t.live, 16);
  // Every remaining flow is still found (the hash survived the deletions).
  const before = t.stats.created;
  for (const port of [1000, 1003, 1015, 2000, 2001]) t.track(pkt(p, 23, 1, port, 2, 53));
  assert.equal(t.stats.created, before);
});

test('hash deletions keep every other key reachable (random churn against a Map model)', () => {
  const t = new FlowTable({ maxFlows: 64, initialCapacity: 16 });
  const p = new DecodedPacket();
  let seed = 12345;
  const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  for (let i = 0; i < 20000; i++) {
    const port = 1 + Math.floor(rnd() * 200);
    const created = t.stats.created;
    const id = t.track(pkt(p, i, 1, port, 2, 53));
    assert.equal(t.origPort(id), port);
    assert.ok(t.stats.created - created <= 1);
  }
  assert.equal(t.live, 64);
  assert.equal(t.stats.created - t.stats.evicted, 64);
});

test('one million flows fit in well under 1 GB', () => {
  const t = new FlowTable({ initialCapacity: 1 << 20 });
  const p = new DecodedPacket();
  const heapBefore = process.memoryUsage().heapUsed;
  for (let i = 0; i < 1_000_000; i++) {
    // Vary the client address and port: distinct keys.
    t.track(pkt(p, 1 + i / 1e5, 0x0a000000 + (i >>> 8), 1024 + (i & 0xff), 0x0a640001, 443, IPPROTO_TCP, 0x02));
  }
  assert.equal(t.live, 1_000_000);
  const bytes = t.memoryBytes();
  assert.ok(bytes < 400 * 1024 * 1024, `flow table holds ${(bytes / 1048576).toFixed(0)} MiB`);
  // The JS heap does not grow per flow: everything lives in typed arrays.
  assert.ok(process.memoryUsage().heapUsed - heapBefore < 64 * 1024 * 1024);
});

test('tracking packets of known flows allocates nothing', async () => {
  const v8 = await import('node:v8');
  const vm = await import('node:vm');
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  const t = new FlowTable();
  const p = new DecodedPacket();
  const run = (n: number) => {
    for (let i = 0; i < n; i++) {
      const k = i & 1023;
      t.track(pkt(p, 1 + i / 1e6, 0x0a000000 + k, 40000, 0x0a640001, 443, IPPROTO_TCP, (i & 1) === 0 ? 0x18 : 0x10));
    }
  };
  run(100_000);
  // The smaller of two rounds: a one-off recompilation may allocate, an object per packet would in both.
  let grown = Infinity;
  for (let round = 0; round < 2; round++) {
    gc();
    const before = process.memoryUsage().heapUsed;
    run(1_000_000);
    grown = Math.min(grown, process.memoryUsage().heapUsed - before);
  }
  assert.ok(grown < 2_000_000, `heap grew ${grown} bytes over a million tracked packets`);
});
