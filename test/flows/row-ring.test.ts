/**
 * The ring that carries a share worker's evicted flows to the calling thread: rows come out in the order
 * they went in, byte for byte, the ring never holds more than its capacity, and a closed ring drops rows
 * instead of making its writer wait.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DecodedPacket } from '../../src/decode/packet.js';
import { FlowTable } from '../../src/flows/flow-table.js';
import { RowRing } from '../../src/flows/row-ring.js';
import { flowRecord } from '../../src/analyze/flow-record.js';
import { pkt } from './packets.js';

/** A table of `n` UDP flows, flow i from port 1000 + i. */
function flows(n: number): FlowTable {
  const t = new FlowTable({ shared: true, initialCapacity: 16 });
  const p = new DecodedPacket();
  for (let i = 0; i < n; i++) assert.equal(t.track(pkt(p, 1_770_000_000 + i + i / 1e6, 0x0a000001, 1000 + i, 0x0a000002, 53)), i);
  return t;
}

test('rows leave the ring in the order they entered it, wrapping around many times', () => {
  const t = flows(37);
  const ring = RowRing.create(8);
  const other = RowRing.open(ring.state());
  const seen: number[] = [];
  let next = 0;
  while (next < 37) {
    // Fill what room there is (at most the capacity), from the writer's side of the ring.
    const room = Math.min(8 - ring.pending, 37 - next, 1 + (next % 5));
    for (let k = 0; k < room; k++) assert.equal(other.push(t, next++), true);
    assert.ok(ring.pending <= 8);
    ring.drain((table, row) => {
      const r = flowRecord(table, row);
      seen.push(r.orig.port);
      assert.deepEqual(r, flowRecord(t, r.orig.port - 1000));
    });
    assert.equal(ring.pending, 0);
  }
  assert.deepEqual(seen, Array.from({ length: 37 }, (_, i) => 1000 + i));
});

test('a full ring that the reader closed drops rows instead of waiting', () => {
  const t = flows(5);
  const ring = RowRing.create(4);
  for (let i = 0; i < 4; i++) assert.equal(ring.push(t, i), true);
  ring.close();
  const started = Date.now();
  assert.equal(ring.push(t, 4), false);
  assert.ok(Date.now() - started < 50, 'no wait once closed');
  assert.equal(ring.pending, 4);
});

test('a ring must be a power of two rows', () => {
  assert.throws(() => RowRing.create(6), RangeError);
  assert.throws(() => RowRing.create(0), RangeError);
});
