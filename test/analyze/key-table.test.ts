import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { KeyTable } from '../../src/analyze/key-table.js';

test('KeyTable counts as a Map of the keys does, in insertion order, through several grows', () => {
  const width = 3;
  // Few distinct words, so keys repeat and collide; up to 600 adds from a capacity of 16.
  const word = fc.constantFrom(0, 1, 2, 0xffffffff, 0x80000000, 7);
  const add = fc.record({ key: fc.tuple(word, word, word), n: fc.integer({ min: 1, max: 5 }), sum: fc.integer({ min: 0, max: 1500 }) });
  fc.assert(
    fc.property(fc.array(add, { maxLength: 600 }), (adds) => {
      const t = new KeyTable(width, 16);
      const want = new Map<string, { key: number[]; n: number; sum: number }>();
      const key = new Uint32Array(width);
      for (const a of adds) {
        key.set(a.key);
        const idx = t.add(key, a.n, a.sum);
        const name = a.key.join(',');
        const e = want.get(name) ?? { key: a.key, n: 0, sum: 0 };
        e.n += a.n;
        e.sum += a.sum;
        want.set(name, e);
        assert.equal(idx, [...want.keys()].indexOf(name), 'entries keep their insertion order');
        assert.equal(t.intern(key), idx, 'interning an existing key finds it');
      }
      assert.equal(t.size, want.size);
      [...want.values()].forEach((e, i) => {
        assert.deepEqual([t.word(i, 0), t.word(i, 1), t.word(i, 2)], e.key);
        assert.equal(t.counts[i], e.n);
        assert.equal(t.sums[i], e.sum);
      });
    }),
    { numRuns: 300 },
  );
});
