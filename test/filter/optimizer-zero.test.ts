/**
 * The BPF optimizer's identities with a zero accumulator (optimize.c opt_stmt): `0 & x` and the like are 0
 * and `0 + x` is x, so in the first group x's packet loads become dead code and are removed: a frame too
 * short for them is still selected. Expectations checked against tcpdump 4.99.3 (and again here when it is
 * installed). Found by the random differential test.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pcapBytes } from '../../src/capture/pcap-writer.js';
import { compileFilter } from '../../src/filter/index.js';
import { haveTcpdump, tcpdumpSelects } from './tcpdump.js';
import { tempDir } from '../temp.js';

// A 22-byte 802.3/LLC frame (ether[0] = 0, nothing at offset 27) and a 54-byte TCP SYN (ether[0] = 0).
const SHORT = Buffer.from([0, 102, 119, 136, 153, 170, 0, 17, 34, 51, 68, 85, 0, 38, 66, 66, 3, 0, 0, 0, 0, 0]);
const SYN = Buffer.from([0, 102, 119, 136, 153, 170, 0, 17, 34, 51, 68, 85, 8, 0, 69, 0, 0, 40, 18, 52, 0, 0, 64, 6, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2, 156, 64, 0, 80, 0, 0, 0, 1, 0, 0, 0, 0, 80, 2, 255, 255, 0, 0, 0, 0]);

/** Expression, and the frames (1 = SHORT, 2 = SYN) tcpdump selects. */
const CASES: [string, number[]][] = [
  ['ether[0] = (0 & ether[27:2])', [1, 2]],
  ['ether[0] = (0 / ether[27:2])', [1, 2]],
  ['ether[0] = (0 % ether[27:2])', [1, 2]],
  ['ether[0] = (0 * ether[27:2])', [1, 2]],
  ['ether[0] = (0 << ether[27:2])', [1, 2]],
  ['ether[0] = (tcp-syn / 3 & ether[27:2] + 1)', [1, 2]],
  ['ether[0] = (0 & ether[60])', [1, 2]],
  ['ether[0] = (0 | ether[27:2])', [2]],
  ['ether[0] = (0 + ether[27:2])', [2]],
  ['ether[0] = (0 ^ ether[27:2])', [2]],
  ['ether[0] = (0 - ether[27:2])', [2]],
];

test('a zero left operand: the optimizer folds the expression and drops its loads, as tcpdump does', () => {
  for (const [expression, want] of CASES) {
    const f = compileFilter(expression, 1);
    const got = [SHORT, SYN].flatMap((b, i) => (f(b, 0, b.length, b.length) ? [i + 1] : []));
    assert.deepEqual(got, want, expression);
  }
});

test('the same selections from the installed tcpdump', { skip: haveTcpdump() ? false : 'tcpdump not installed' }, () => {
  const dir = tempDir('zero-');
  const file = path.join(dir, 'z.pcap');
  fs.writeFileSync(file, pcapBytes([SHORT, SYN].map((data, i) => ({ tsSec: 1700000000 + i, data }))));
  for (const [expression, want] of CASES) assert.deepEqual(tcpdumpSelects(file, expression), want, expression);
});
