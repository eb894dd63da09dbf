import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { AsciiWriter } from '../../src/report/format.js';
import { decimalTime, durationTextNs, putDecimalTime, putIpv4, putText, putU32, putUint } from '../../src/report/format.js';

/** Runs `fill` on a writer with a small buffer (so flushes happen mid-value) and returns the text. */
function written(fill: (w: AsciiWriter) => void): string {
  const parts: string[] = [];
  const w = new AsciiWriter((b) => parts.push(Buffer.from(b).toString('latin1')), 8);
  fill(w);
  w.flush();
  return parts.join('');
}

test('number() prints epoch seconds exactly as String() does', () => {
  const sec = fc.integer({ min: 2 ** 30, max: 2 ** 32 - 1 });
  fc.assert(
    fc.property(sec, fc.integer({ min: 0, max: 999_999_999 }), fc.integer({ min: 0, max: 999_999 }), (s, nsec, usec) => {
      for (const x of [s + nsec / 1e9, s + (usec * 1000) / 1e9, s + usec / 1e6]) assert.equal(written((w) => w.number(x)), String(x));
    }),
    { numRuns: 20000 },
  );
  // Neighbouring doubles, whole seconds, the next second by rounding, and values outside the fast range.
  fc.assert(
    fc.property(fc.double({ min: 2 ** 30, max: 2 ** 32, noNaN: true }), (x) => {
      assert.equal(written((w) => w.number(x)), String(x));
    }),
    { numRuns: 20000 },
  );
  for (const x of [2 ** 30, 2 ** 31 - 1e-7, 2 ** 31, 2 ** 32 - 1e-7, 4294967295.9999999, 1773828000.000601, 0, 0.5, -1.5, 1e21, 2 ** 60, NaN, Infinity]) {
    assert.equal(written((w) => w.number(x)), String(x), String(x));
  }
});

test('uint(), text(), char() and ipv4() write what String() and the dotted quad give', () => {
  fc.assert(
    fc.property(fc.oneof(fc.nat(), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), fc.constantFrom(0, 9, 10, 4294967295, 4294967296, 1e15)), (v) => {
      assert.equal(written((w) => w.uint(v)), String(v));
    }),
  );
  assert.equal(written((w) => w.uint(1.5)), '1.5');
  assert.equal(written((w) => w.uint(-2)), '-2');
  const long = 'x'.repeat(100);
  assert.equal(written((w) => (w.text('tcp'), w.char(44), w.text(long), w.ipv4(0xc0a80001))), `tcp,${long}192.168.0.1`);
});

test('times and durations held as seconds and nanoseconds print exactly (6 decimals, 9 when needed)', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 2 ** 33 }), fc.integer({ min: 0, max: 999_999_999 }), fc.boolean(), (sec, ns, micro) => {
      const nsec = micro ? ns - (ns % 1000) : ns;
      const expected = nsec % 1000 === 0 ? `${sec}.${String(nsec / 1000).padStart(6, '0')}` : `${sec}.${String(nsec).padStart(9, '0')}`;
      assert.equal(decimalTime(sec, nsec), expected);
      assert.equal(written((w) => w.decimalTime(sec, nsec)), expected);
      // Durations below 104 days are exact in nanoseconds.
      if (sec < 9_000_000) assert.equal(written((w) => w.decimalNs(sec * 1e9 + nsec)), expected);
    }),
  );
});

test('table durations round the exact nanoseconds half up', () => {
  const ref = (ns: bigint): string => {
    const fixed = (units: bigint, digits: number) => `${units / 10n ** BigInt(digits)}.${String(units % 10n ** BigInt(digits)).padStart(digits, '0')}`;
    if (ns < 1_000_000_000n) return fixed((ns + 500n) / 1000n, 6);
    if (ns < 60_000_000_000n) return fixed((ns + 500_000n) / 1_000_000n, 3);
    return '';
  };
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 59_999_999_999 }), (ns) => {
      assert.equal(durationTextNs(ns), ref(BigInt(ns)));
    }),
  );
  assert.equal(durationTextNs(3_073_500_000), '3.074');
  assert.equal(durationTextNs(61e9), '1m01s');
});

test('the raw row writers write what String(), decimalTime and the dotted quad give', () => {
  const b = new Uint8Array(64);
  const text = (end: number) => Buffer.from(b.subarray(0, end)).toString('latin1');
  fc.assert(
    fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), fc.nat({ max: 0xffffffff }), fc.integer({ min: 0, max: 999_999_999 }), (v, a, ns) => {
      assert.equal(text(putUint(b, 0, v)), String(v));
      assert.equal(text(putU32(b, 0, a)), String(a));
      assert.equal(text(putIpv4(b, 0, a)), `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`);
      assert.equal(text(putDecimalTime(b, 0, a, ns)), decimalTime(a, ns));
      assert.equal(text(putText(b, 0, 'SF')), 'SF');
    }),
  );
});
