import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { MAX_TIMELINE_BUCKETS } from '../../src/report/model.js';
import { BUCKET_WIDTHS, FINE_MAX_BUCKETS, FINE_WIDTHS, MAX_FINE_SLOTS, NOT_TCP, pickBucketWidth, TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN, TimelineBuilder } from '../../src/report/timeline.js';

/**
 * The timeline computed the obvious way, for comparison: 10 ms units when the capture spans a minute or
 * less (and stays within two minutes of the first packet's window), whole seconds otherwise.
 */
function naive(packets: [number, number, number][], maxBuckets: number) {
  const fineOf = (p: [number, number, number]) => p[0] * 100 + Math.floor(p[1] / 1e7);
  const fines = packets.map(fineOf);
  const windowStart = fines[0]! - (fines[0]! % 100) - 3000;
  const fine = Math.max(...fines) - Math.min(...fines) <= 6000 && fines.every((f) => f >= windowStart && f < windowStart + 12000);
  const times = fine ? fines : packets.map((p) => p[0]);
  const min = Math.min(...times);
  const max = Math.max(...times);
  const width = fine ? FINE_WIDTHS.find((w) => Math.floor((max - min) / w) + 1 <= Math.min(maxBuckets, FINE_MAX_BUCKETS))! : pickBucketWidth(max - min, maxBuckets);
  const start = min - (min % width);
  const n = Math.floor((max - start) / width) + 1;
  const z = () => new Array<number>(n).fill(0);
  const t = { start: fine ? start / 100 : start, bucket: fine ? width / 100 : width, packets: z(), syn: z(), synAck: z(), rst: z(), fin: z() };
  for (let i = 0; i < packets.length; i++) {
    const f = packets[i]![2];
    const b = Math.floor((times[i]! - start) / width);
    t.packets[b]!++;
    if (f < 0) continue;
    if (f & TCP_SYN) (f & TCP_ACK ? t.synAck : t.syn)[b]!++;
    if (f & TCP_RST) t.rst[b]!++;
    if (f & TCP_FIN) t.fin[b]!++;
  }
  return t;
}

describe('timeline', () => {
  it('counts packets and flags per second', () => {
    const t = new TimelineBuilder();
    t.add(1000, 0, TCP_SYN);
    t.add(1000, 5, TCP_SYN | TCP_ACK);
    t.add(1001, 0, TCP_ACK);
    t.add(1003, 0, TCP_RST | TCP_ACK);
    t.add(1003, 0, TCP_FIN | TCP_ACK);
    t.add(1003, 0, NOT_TCP);
    t.add(1100, 0, NOT_TCP);
    const tl = t.finish();
    assert.equal(tl.start, 1000);
    assert.equal(tl.bucket, 1);
    assert.deepEqual(tl.packets.slice(0, 4), [2, 1, 0, 3]);
    assert.deepEqual(tl.syn.slice(0, 4), [1, 0, 0, 0]);
    assert.deepEqual(tl.synAck.slice(0, 4), [1, 0, 0, 0]);
    assert.deepEqual(tl.rst.slice(0, 4), [0, 0, 0, 1]);
    assert.deepEqual(tl.fin.slice(0, 4), [0, 0, 0, 1]);
    assert.equal(tl.packets.length, 101);
  });

  it('uses 10 ms buckets for a capture of a few seconds', () => {
    const t = new TimelineBuilder();
    t.add(1000, 5_000_000, TCP_SYN);
    t.add(1000, 9_999_999, TCP_SYN);
    t.add(1000, 10_000_000, TCP_RST);
    t.add(1002, 995_000_000, NOT_TCP);
    const tl = t.finish();
    assert.equal(tl.start, 1000);
    assert.equal(tl.bucket, 0.01);
    assert.equal(tl.packets.length, 300);
    assert.deepEqual(tl.packets.slice(0, 2), [2, 1]);
    assert.deepEqual(tl.syn.slice(0, 2), [2, 0]);
    assert.deepEqual(tl.rst.slice(0, 2), [0, 1]);
    assert.equal(tl.packets[299], 1);
    // Longer: wider sub-second buckets, at most FINE_MAX_BUCKETS of them.
    t.add(1012, 0, NOT_TCP);
    const longer = t.finish();
    assert.equal(longer.bucket, 0.05);
    assert.equal(longer.packets.length, 241);
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
    const spans = fc.constantFrom(10, 70, 5000, 200_000, MAX_FINE_SLOTS * 3, 4_000_000_000);
    const nsec = fc.integer({ min: 0, max: 999_999_999 });
    fc.assert(
      fc.property(spans, fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), nsec, flags), { minLength: 1, maxLength: 200 }), (span, raw) => {
        const base = 1_600_000_000 % (4_294_967_295 - span);
        const packets = raw.map(([f, ns, fl]) => [Math.floor(base + f * span), ns, fl] as [number, number, number]);
        const t = new TimelineBuilder();
        for (const [s, ns, f] of packets) t.add(s, ns, f);
        assert.deepEqual(t.finish(), naive(packets, MAX_TIMELINE_BUCKETS));
      }),
      { numRuns: 150 },
    );
  });

  it('keeps memory bounded for a capture spanning years', () => {
    const t = new TimelineBuilder();
    for (let i = 0; i < 1000; i++) t.add(1_000_000_000 + i * 400_000, 0, TCP_SYN);
    const tl = t.finish();
    assert.ok(tl.packets.length <= MAX_TIMELINE_BUCKETS);
    assert.equal(tl.packets.reduce((a, b) => a + b, 0), 1000);
    assert.equal(tl.syn.reduce((a, b) => a + b, 0), 1000);
  });
});
