import { test } from 'node:test';
import assert from 'node:assert/strict';
import { printZep } from '../../src/print/zep.js';
import { Line } from '../../src/print/line.js';
import { defaultPrintOptions } from '../../src/print/options.js';
import { compareWithTcpdump, haveTcpdump, mutateBytes, prng, printMarkingTruncation, type AppFrame } from './app-payloads.js';

function zep(bytes: number[]): string {
  const line = new Line();
  printMarkingTruncation(line, () => printZep(line, Buffer.from(bytes), 0, bytes.length, bytes.length, defaultPrintOptions()));
  return line.text;
}

const V1 = [0x45, 0x58, 1, 11, 0x12, 0x34, 0, 200, 0, 0, 0, 0, 0, 0, 0, 0];
const V2_ACK = [0x45, 0x58, 2, 2, 0, 0, 0, 9];
const V2_DATA = [0x45, 0x58, 2, 1, 15, 0xab, 0xcd, 0, 99, 0xe0, 0, 0, 0, 0x80, 0, 0, 0, 0, 0, 0, 7, ...new Array(10).fill(0), 0];

test('ZEP headers; an empty probe is truncated', () => {
  assert.equal(zep([]), 'ZEP [|zep]');
  assert.equal(zep([0x41, 0]), 'ZEP [Preamble Code: A^@] (invalid)');
  assert.equal(zep(V1), 'ZEPv1 Channel ID 11, Device ID 0x1234, LQI 200, inner len = 0');
  assert.equal(zep(V2_ACK), 'ZEPv2 ACK, seq# = 9');
  assert.match(zep(V2_DATA), /^ZEPv2 Type 1, Channel ID 15, Device ID 0xabcd, LQI 99, 3758096384\.500000000 \(\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d\), seq# = 7, inner len = 0$/);
});

test('differential: headers without an inner frame print as the real tcpdump prints them', { skip: !haveTcpdump }, async () => {
  const rnd = prng(17754);
  const frames: AppFrame[] = [];
  for (let n = 0; n < 300; n++) {
    const m = mutateBytes([V1, V2_ACK, V2_DATA][n % 3]!, rnd, [0x45, 0x58, 1, 2]);
    // The inner IEEE 802.15.4 frame is not decoded: keep its length byte 0.
    if (m[2] === 1 && m.length > 15) m[15] = 0;
    else if (m[2] !== 1 && m[3] !== 2 && m.length > 31) m[31] = 0;
    frames.push({ proto: 'udp', sport: 17754, dport: 17754, payload: Uint8Array.from(m) });
  }
  const r = await compareWithTcpdump(frames, [0], (line, data, t, opts) => printZep(line, data, t.off, t.length, t.capEnd, opts));
  assert.deepEqual(r.failures.slice(0, 3), [], `${r.failures.length} of ${r.compared} differ`);
});
