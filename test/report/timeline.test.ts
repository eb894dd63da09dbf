import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { MAX_TIMELINE_BUCKETS } from '../../src/report/model.js';
import { BUCKET_WIDTHS, MAX_FINE_SLOTS, NOT_TCP, pickBucketWidth, TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN, TimelineBuilder } from '../../src/report/timeline.js';

/** The timeline computed the obvious way, for comparison. */
function naive(packets: [number, number][], maxBuckets: number) {
  const secs = packets.map((p) => p[0]);
  const min = Math.min(...secs);
  const max = Math.max(...secs);
  const width = pickBucketWidth(max - min, maxBuckets);
  const start = min - (min % width);
  const n = Math.floor((max - start) / width) + 1;
  const z = () => new Array<number>(n).fill(0);
  const t = { start, bucket: width, packets: z(), syn: z(), synAck: z(), rst: z(), fin: z() };
  for (const [s, f] of packets) {
    const b = Math.floor((s - start) / width);
    t.packets[b]!++;
    if (f < 0) continue;
    if (f & TCP_SYN) (f & TCP_ACK ? t.synAck : t.syn)[b]!++;
    if (f & TCP_RST) t.rst[b]!++;
    if (f & TCP_FIN) t.fin[b]!++;
  }
  return t;
}

describe('timeline', () => {
  it('counts packets and flags per second for a short capture', () => {
    const t = new TimelineBuilder();
    t.add(1000, TCP_SYN);
    t.add(1000, TCP_SYN | TCP_ACK);
    t.add(1001, TCP_ACK);
    t.add(1003, TCP_RST | TCP_ACK);
    t.add(1003, TCP_FIN | TCP_ACK);
    t.add(1003, NOT_TCP);
    assert.deepEqual(t.finish(), {
      start: 1000,
      bucket: 1,
      packets: [2, 1, 0, 3],
      syn: [1, 0, 0, 0],
      synAck: [1, 0, 0, 0],
      rst: [0, 0, 0, 1],
      fin: [0, 0, 0, 1],
    });
  });

  it('is empty for no packets', () => {
    assert.deepEqual(new TimelineBuilder().finish().packets, []);
  });

  it('picks round bucket widths that keep the bucket count bounded', () => {
    assert.equal(pickBucketWidth(0), 1);
    assert.equal(pickBucketWidth(MAX_TIMELINE_BUCKETS - 1), 1);
    assert.equal(pickBucketWidth(MAX_TIMELINE_BUCKETS), 2);
    assert.equal(pickBucketWidth(3600), 5);
    assert.equal(pickBucketWidth(86400), 60);
    for (const span of [0, 59, 3599, 86399, 10 ** 7, 10 ** 9]) {
      const w = pickBucketWidth(span);
      assert.ok(Math.floor(span / w) + 1 <= MAX_TIMELINE_BUCKETS, `span ${span} width ${w}`);
    }
    assert.ok(BUCKET_WIDTHS.every((w, i) => i === 0 || w > BUCKET_WIDTHS[i - 1]!));
  });

  it('matches the obvious computation, in any packet order and span', () => {
    const flags = fc.constantFrom(NOT_TCP, TCP_SYN, TCP_SYN | TCP_ACK, TCP_ACK, TCP_RST, TCP_RST | TCP_ACK, TCP_FIN | TCP_ACK, 0xff);
    const spans = fc.constantFrom(10, 5000, 200_000, MAX_FINE_SLOTS * 3, 4_000_000_000);
    fc.assert(
      fc.property(spans, fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), flags), { minLength: 1, maxLength: 200 }), (span, raw) => {
        const base = 1_600_000_000 % (4_294_967_295 - span);
        const packets = raw.map(([f, fl]) => [Math.floor(base + f * span), fl] as [number, number]);
        const t = new TimelineBuilder();
        for (const [s, f] of packets) t.add(s, f);
        assert.deepEqual(t.finish(), naive(packets, MAX_TIMELINE_BUCKETS));
      }),
      { numRuns: 150 },
    );
  });

  it('keeps memory bounded for a capture spanning years', () => {
    const t = new TimelineBuilder();
    for (let i = 0; i < 1000; i++) t.add(1_000_000_000 + i * 400_000, TCP_SYN);
    const tl = t.finish();
    assert.ok(tl.packets.length <= MAX_TIMELINE_BUCKETS);
    assert.equal(tl.packets.reduce((a, b) => a + b, 0), 1000);
    assert.equal(tl.syn.reduce((a, b) => a + b, 0), 1000);
  });
});
