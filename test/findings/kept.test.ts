/**
 * The end-of-capture sweep notes flows and files only those that can matter (Connection.kept): it must
 * give exactly the findings that filing every flow at once gives (as flows evicted during the pass are
 * filed), on the corpus captures and on captures that stress the grouping (one ephemeral port reused
 * with several servers, beacon pairs, UDP services, scanners with successes).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { analyze } from '../../src/analyze/analysis.js';
import { FindingsConsumer, type Finding } from '../../src/analyze/findings/index.js';
import { KeptFlows } from '../../src/analyze/findings/kept.js';
import { CaptureBuilder } from '../../src/gen/capture-builder.js';
import { buildBeaconCapture, buildScanCapture, buildWebCapture } from '../../src/gen/samples.js';
import { HAVE_CORPUS, PCAPS, writeCapture } from './helpers.js';

const T = 1_770_000_000;

/**
 * The findings of a capture: with the sweep's notes (as shipped), with every flow filed at once (the way
 * an evicted one is), or with the older half filed at once and the rest noted (as after evictions).
 */
async function run(file: string, mode: 'kept' | 'at once' | 'half'): Promise<Finding[]> {
  const consumer = new FindingsConsumer();
  const cursor = (consumer as unknown as { cursor: { id: number; flows: { used: number } } }).cursor;
  if (mode === 'at once') Object.defineProperty(cursor, 'kept', { get: () => false, set: () => {} });
  if (mode === 'half') {
    let sweeping = false;
    Object.defineProperty(cursor, 'kept', { get: () => sweeping && cursor.id * 2 >= cursor.flows.used, set: (v: boolean) => (sweeping = v) });
  }
  await analyze(file, [consumer]);
  return consumer.result;
}

async function assertSame(file: string): Promise<number> {
  const kept = await run(file, 'kept');
  assert.deepEqual(kept, await run(file, 'at once'), path.basename(file));
  assert.deepEqual(kept, await run(file, 'half'), `${path.basename(file)} (half)`);
  return kept.length;
}

/** A capture made to group flows in every way the detectors add them up. */
function mixedCapture(): CaptureBuilder {
  const cap = new CaptureBuilder({ seed: 'kept' });
  const H = '10.9.4.4';
  // Busy port: one ephemeral port reused towards two servers, the host's other ports quiet.
  [0, 2, 19, 23, 50].forEach((at, i) => {
    const c = cap.tcpOpen({ t: T + at, client: H, cport: 50001 + i, server: '10.9.4.5', sport: 443, rtt: 0.01 });
    c.exchange(Buffer.alloc(300 + i * 37, 1), Buffer.alloc(900 + i * 91, 2));
    c.close('client');
  });
  for (const [at, server] of [[5, '10.9.4.6'], [60, '10.9.4.7']] as const) {
    const c = cap.tcpOpen({ t: T + at, client: H, cport: 50010, server, sport: 8443, rtt: 0.01 });
    // About 300 packets each: busy only together (500), so the port must be added up across its peers.
    for (let i = 0; i < 100; i++) c.exchange(Buffer.alloc(40, 1), Buffer.alloc(40, 2), 0.001);
    c.close('client');
  }
  // Beacon-like pairs (public servers), some with too few connections to be scored.
  for (let k = 0; k < 8; k++) {
    const client = `10.9.6.${10 + k}`;
    for (let n = 0; n < 3 + k; n++) {
      const c = cap.tcpOpen({ t: T + 100 + n * 30 + k, client, cport: 40000 + n, server: `198.51.100.${k % 3}`, sport: 443, rtt: 0.01 });
      c.exchange(Buffer.alloc(200, 3), Buffer.alloc(90, 4));
      c.close('client');
    }
  }
  // UDP services: answered, unanswered, answered only later, two ports of one server.
  for (let n = 0; n < 6; n++) {
    cap.udp(T + 200 + n, '10.9.5.50', 40100 + n, '10.9.5.5', 123, Buffer.alloc(48, 0x23));
    cap.udp(T + 200 + n, '10.9.5.51', 40200 + n, '10.9.5.5', 123, Buffer.alloc(48, 0x23));
    cap.udp(T + 200 + n, '10.9.5.51', 40300 + n, '10.9.5.5', 161, Buffer.alloc(40, 0x30));
  }
  cap.udp(T + 230, '10.9.5.50', 40199, '10.9.5.5', 123, Buffer.alloc(48, 0x23));
  cap.udp(T + 230.01, '10.9.5.5', 123, '10.9.5.50', 40199, Buffer.alloc(48, 0x24));
  // A scanner with refused probes and successes on the same hosts.
  for (let p = 0; p < 30; p++) {
    cap.tcp(T + 300 + p * 0.01, '10.9.7.7', '10.9.7.8', { sport: 45000, dport: 1000 + p, seq: 1, flags: 'S', window: 1024 });
    cap.tcp(T + 300.001 + p * 0.01, '10.9.7.8', '10.9.7.7', { sport: 1000 + p, dport: 45000, seq: 0, ack: 2, flags: 'RA', window: 0 });
  }
  const ok = cap.tcpOpen({ t: T + 301, client: '10.9.7.7', cport: 45100, server: '10.9.7.8', sport: 22, rtt: 0.01 });
  ok.exchange(Buffer.alloc(30, 5), Buffer.alloc(30, 6));
  ok.close('client');
  return cap;
}

test('the sweep\'s notes give the same findings as filing every flow at once: built captures', async () => {
  const files = [
    writeCapture(mixedCapture(), 'kept-mixed'),
    writeCapture(buildScanCapture(), 'kept-scan'),
    writeCapture(buildBeaconCapture(), 'kept-beacon'),
    writeCapture(buildWebCapture(), 'kept-web'),
  ];
  let total = 0;
  for (const file of files) total += await assertSame(file);
  assert.ok(total > 0);
  const mixed = await run(files[0]!, 'kept');
  assert.ok(mixed.some((f) => f.kind === 'busy-port' && (f.details.type === 'counts' ? f.details.counts['port'] === 50010 : false)));
  assert.ok(mixed.some((f) => f.kind === 'unanswered-udp'));
});

test('the sweep\'s notes give the same findings as filing every flow at once: corpus captures', { skip: !HAVE_CORPUS }, async () => {
  let total = 0;
  for (const name of fs.readdirSync(PCAPS)) {
    if (!/\.(pcap|pcapng)$/.test(name)) continue;
    total += await assertSame(path.join(PCAPS, name));
  }
  assert.ok(total > 0);
});

test('KeptFlows.grouped orders notes by key, notes of a key in the order noted', () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.nat(5), fc.nat(3), fc.nat(2)), { maxLength: 200 }), (keys) => {
      const k = new KeptFlows({ k2: true, value: true });
      keys.forEach(([a, b, c], i) => k.push(a, b, c, i, 1));
      const got = [...k.grouped()];
      const want = keys.map((_, i) => i).sort((x, y) => keys[x]![0] - keys[y]![0] || keys[x]![1] - keys[y]![1] || keys[x]![2] - keys[y]![2] || x - y);
      assert.deepEqual(got, want);
    }),
  );
});
