import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { countedIds, countedIdsBytes, KeyBytes, keepTop, sortCounted } from '../../src/analyze/host.js';

interface Row {
  id: number;
  n: number;
  k: string;
}

/** The plain definition: by count, then by key in JavaScript's string order; stable; desc reverses. */
function reference(rows: Row[], desc: boolean): Row[] {
  const out = rows.slice().sort((a, b) => a.n - b.n || (a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
  return desc ? out.reverse() : out;
}

const keyChars = fc.constantFrom('1', '0', '.', ':', ' ', 'a', 'f', '\u0000', '\u00e9', '\uffff', '\ud83d');
const row = fc.record({ n: fc.integer({ min: 0, max: 4 }), k: fc.oneof(fc.string({ unit: keyChars, maxLength: 12 }), fc.string({ unit: keyChars, minLength: 40, maxLength: 70 }), fc.string()) });

test('sortCounted orders as the plain comparison sort does (NULs, long keys, any code units, desc)', () => {
  fc.assert(
    fc.property(fc.array(row, { maxLength: 60 }), fc.boolean(), (raw, desc) => {
      const rows = raw.map((r, id) => ({ id, ...r }));
      const got = sortCounted(rows.slice(), (r) => r.n, (r) => r.k, desc);
      assert.deepEqual(got.map((r) => r.id), reference(rows, desc).map((r) => r.id));
      // Sorting sorted rows again (as the commands do) changes nothing.
      assert.deepEqual(sortCounted(reference(rows, false), (r) => r.n, (r) => r.k, desc).map((r) => r.id), reference(rows, desc).map((r) => r.id));
    }),
    { numRuns: 3000 },
  );
});

test('sortCounted: service-like keys with shared prefixes', () => {
  const rows: Row[] = [];
  for (let i = 0; i < 3000; i++) rows.push({ id: i, n: (i * 7919) % 5, k: `10.20.${(i * 31) % 256}.${(i * 17) % 256} udp 198.18.${i % 7}.1.${(i * 13) % 65536}` });
  assert.deepEqual(sortCounted(rows.slice(), (r) => r.n, (r) => r.k).map((r) => r.id), reference(rows, false).map((r) => r.id));
});

test('countedIds keeps and orders entries as keepTop after sortCounted does (ties at the cut, desc)', () => {
  fc.assert(
    fc.property(fc.array(row, { maxLength: 40 }), fc.option(fc.integer({ min: 0, max: 45 }), { nil: undefined }), fc.boolean(), (raw, top, desc) => {
      const rows = raw.map((r, id) => ({ id, ...r }));
      const want = keepTop(sortCounted(rows.slice(), (r) => r.n, (r) => r.k), (r) => r.n, top);
      if (desc) want.reverse();
      const counts = Float64Array.from(rows, (r) => r.n);
      const got = countedIds(counts, rows.map((r) => r.k), top, desc);
      assert.deepEqual(Array.from(got), want.map((r) => r.id));
    }),
    { numRuns: 3000 },
  );
});

test('countedIdsBytes (keys written as bytes, merge-sorted) orders and keeps as countedIds does', () => {
  const ascii = fc.constantFrom('1', '0', '.', ':', ' ', 'a', 'u', 'd', 'p');
  // Packet counts (small integers: a counting sort first, then each count's keys), or counts too large or
  // not whole (one merge sort of everything).
  const counts = [fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 100_000 }), fc.double({ min: -5, max: 5, noNaN: true })];
  const entries = fc.oneof(...counts.map((n) => fc.array(fc.record({ n, k: fc.string({ unit: ascii, maxLength: 40 }) }), { maxLength: 300 })));
  fc.assert(
    fc.property(entries, fc.option(fc.integer({ min: 0, max: 310 }), { nil: undefined }), fc.boolean(), (rows, top, desc) => {
      const counts = Float64Array.from(rows, (r) => r.n);
      const bytes = rows.map((r) => Buffer.from(r.k, 'latin1'));
      const write = (i: number, b: Uint8Array, p: number): number => {
        b.set(bytes[i]!, p);
        return p + bytes[i]!.length;
      };
      const want = countedIds(counts, rows.map((r) => r.k), top, desc);
      const keys = new KeyBytes(rows.length, write);
      const out = new Uint8Array(64);
      for (let i = 0; i < rows.length; i++) assert.equal(Buffer.from(out.subarray(0, keys.copy(i, out, 0))).toString('latin1'), rows[i]!.k);
      assert.deepEqual(Array.from(countedIdsBytes(counts, keys, top, desc)), Array.from(want));
    }),
    { numRuns: 1000 },
  );
});
