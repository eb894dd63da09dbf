import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { readName, safeText } from '../../src/report/names.js';

const bytes = (...b: number[]) => Uint8Array.from(b);
const label = (s: string) => [s.length, ...Buffer.from(s, 'latin1')];

describe('report names', () => {
  it('shows printable ASCII as is and every other byte as \\xHH', () => {
    const b = Buffer.concat([Buffer.from('a<b>\u0000\n', 'latin1'), bytes(0xe9), Buffer.from('\u202e', 'utf8')]);
    assert.equal(safeText(b, 0, b.length), 'a<b>\\x00\\x0a\\xe9\\xe2\\x80\\xae');
    assert.equal(safeText(Buffer.from('abcdef'), 0, 6, 3), 'abc…');
  });

  it('reads plain and compressed names', () => {
    // Header (12 bytes of zero), then www.example.com, then mail + pointer to example.com (offset 16).
    const msg = bytes(...new Array(12).fill(0), ...label('www'), ...label('example'), ...label('com'), 0, ...label('mail'), 0xc0, 16);
    assert.deepEqual(readName(msg, 0, 12, msg.length), { name: 'www.example.com', next: 29 });
    assert.deepEqual(readName(msg, 0, 29, msg.length), { name: 'mail.example.com', next: 36 });
    assert.deepEqual(readName(bytes(0), 0, 0, 1), { name: '.', next: 1 });
  });

  it('gives up on loops, cut names and reserved label types', () => {
    const loop = bytes(...new Array(12).fill(0), 0xc0, 12);
    assert.equal(readName(loop, 0, 12, loop.length), null);
    assert.equal(readName(bytes(3, 0x61, 0x62), 0, 0, 3), null);
    assert.equal(readName(bytes(0x80, 0), 0, 0, 2), null);
  });

  it('never throws and never returns unsafe text on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), fc.nat(80), (d, at) => {
        const r = readName(d, 0, at, d.length);
        if (r !== null) assert.match(r.name, /^[\x20-\x7e…]*$/);
      }),
      { numRuns: 1000 },
    );
  });
});
