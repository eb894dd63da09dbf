import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { dnsClassName, dnsTypeName, ednsOptionName, rcodeText, skipName } from '../../src/wire/dns.js';

const bytes = (...b: number[]) => Uint8Array.from(b);

test('skipName: plain names, the root, pointers end the name', () => {
  // 3www7example3com0
  const www = bytes(3, 0x77, 0x77, 0x77, 7, ...Buffer.from('example'), 3, 0x63, 0x6f, 0x6d, 0, 0xff);
  assert.equal(skipName(www, 0, www.length), 17);
  assert.equal(skipName(bytes(0), 0, 1), 1);
  // a label then a pointer: the pointer's two bytes end the name, the target is not visited
  assert.equal(skipName(bytes(1, 0x61, 0xc0, 0x00), 0, 4), 4);
  assert.equal(skipName(bytes(0xc0, 0x0c), 0, 2), 2);
});

test('skipName: every prefix of a name that is cut short gives -1', () => {
  const www = bytes(3, 0x77, 0x77, 0x77, 2, 0x61, 0x62, 0);
  for (let end = 0; end < www.length; end++) assert.equal(skipName(www, 0, end), -1, `end ${end}`);
  assert.equal(skipName(www, 0, www.length), www.length);
});

test('skipName: reserved and unknown extended label types give -1, bit labels are skipped', () => {
  assert.equal(skipName(bytes(0x80, 0), 0, 2), -1);
  assert.equal(skipName(bytes(0x42, 0), 0, 2), -1);
  // 0x41, bit count 12 -> 2 bytes of bits, then the root
  assert.equal(skipName(bytes(0x41, 12, 0xab, 0xc0, 0), 0, 5), 5);
  // a bit count of 0 means 256 bits (32 bytes)
  assert.equal(skipName(Uint8Array.from([0x41, 0, ...new Array(32).fill(0), 0]), 0, 35), 35);
});

test('skipName never reads past end and always moves forward', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), fc.nat(70), (b, end) => {
    const e = Math.min(end, b.length);
    const r = skipName(b, 0, e);
    assert.ok(r === -1 || (r >= 1 && r <= e + 1));
  }));
});

test('name tables: tcpdump words and fallbacks', () => {
  assert.equal(dnsTypeName(1), 'A');
  assert.equal(dnsTypeName(46), 'RRSIG');
  assert.equal(dnsTypeName(50), 'Type50'); // NSEC3 has no name in tcpdump 4.99
  assert.equal(dnsTypeName(256), 'URI');
  assert.equal(dnsClassName(3), 'CHAOS');
  assert.equal(dnsClassName(254), '(Class 254)');
  assert.equal(ednsOptionName(10), 'COOKIE');
  assert.equal(ednsOptionName(15), 'Opt15');
  assert.equal(rcodeText(3), ' NXDomain');
  assert.equal(rcodeText(17), 'Resp17'); // tcpdump's table lacks the space here
  assert.equal(rcodeText(23), ' BadCookie');
  assert.equal(rcodeText(4095), ' Resp4095');
});
