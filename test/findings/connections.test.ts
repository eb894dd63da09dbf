import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { FlowIndex, KEY_WORDS } from '../../src/analyze/findings/connections.js';
import { ip4TextCached, ip6Text, ip6TextCached } from '../../src/analyze/findings/observe.js';
import { withVlans } from '../../src/analyze/findings/index.js';
import { maxInWindow } from '../../src/analyze/findings/evidence.js';

test('the flow index behaves as a map under any sequence of inserts and deletes', () => {
  const op = fc.record({ del: fc.boolean(), a: fc.integer({ min: 0, max: 40 }), b: fc.integer({ min: 0, max: 3 }) });
  fc.assert(
    fc.property(fc.array(op, { maxLength: 3000 }), (ops) => {
      const index = new FlowIndex();
      const model = new Map<string, number>();
      const key = new Uint32Array(KEY_WORDS);
      let next = 0;
      for (const { del, a, b } of ops) {
        // Few distinct keys, many collisions in the small table: probe runs and backward shifts get exercised.
        key.fill(0);
        key[3] = a * 2654435761 >>> 0;
        key[4] = (b << 9) | 6;
        key[8] = 7;
        const name = `${a}/${b}`;
        const slot = index.find(key);
        const row = index.at(slot);
        assert.equal(row, model.get(name) ?? -1);
        if (del) {
          index.deleteAt(slot);
          model.delete(name);
        } else if (row < 0) {
          index.insertAt(slot, key, next);
          model.set(name, next++);
        }
      }
      assert.equal(index.size, model.size);
      assert.deepEqual(index.collect(() => true).sort((x, y) => x - y), [...model.values()].sort((x, y) => x - y));
    }),
    { numRuns: 60 },
  );
});

test('address text caches give the same text as formatting afresh', () => {
  for (const a of [0, 1, 0x7f000001, 0xffffffff, 0xc0a80001, 0x0a000001]) {
    assert.equal(ip4TextCached(a), `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`);
    assert.equal(ip4TextCached(a), ip4TextCached(a));
  }
  const b = Buffer.from('20010db8000000000000000000000001fe800000000000000202b3fffe1e8329', 'hex');
  assert.equal(ip6TextCached(b, 0), '2001:db8::1');
  assert.equal(ip6TextCached(b, 16), 'fe80::202:b3ff:fe1e:8329');
  assert.equal(ip6Text(Buffer.alloc(16), 0), '::');
});

test('filters reach VLAN-tagged packets with one nested vlan per level', () => {
  assert.equal(withVlans('udp', 1), '(udp) or (vlan and (udp))');
  assert.equal(withVlans('udp', 2), '(udp) or (vlan and ((udp) or (vlan and (udp))))');
});

test('sliding-window counts', () => {
  assert.equal(maxInWindow([0, 100, 200, 300, 301], 300), 4);
  assert.equal(maxInWindow([5, 1, 3], 1), 1);
  assert.equal(maxInWindow([], 10), 0);
});
