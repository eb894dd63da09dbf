import { test } from 'node:test';
import assert from 'node:assert/strict';
import { printTftp } from '../../src/print/tftp.js';
import { Line } from '../../src/print/line.js';
import { defaultPrintOptions } from '../../src/print/options.js';
import {
  compareWithTcpdump, haveTcpdump, mutateBytes, printMarkingTruncation, prng, throwsOnlyTruncated, u16,
  type AppFrame, type PayloadPrinter,
} from './app-payloads.js';

const str = (s: string): number[] => [...Buffer.from(s, 'latin1'), 0];

function tftp(bytes: number[], verbose = 0, capEnd?: number): string {
  const data = Buffer.from(bytes);
  const line = new Line();
  if (printMarkingTruncation(line, () => printTftp(line, data, 0, data.length, capEnd ?? data.length, { ...defaultPrintOptions(), verbose }))) {
    assert.equal(line.protocol, 'tftp');
  }
  return line.text;
}

const RRQ = [...u16(1), ...str('pxelinux.0'), ...str('octet'), ...str('tsize'), ...str('0'), ...str('blksize'), ...str('1456')];
const WRQ = [...u16(2), ...str('conf\x01\xe9.txt'), ...str('netascii')];
const DATA = [...u16(3), ...u16(7), 1, 2, 3];
const ACK = [...u16(4), ...u16(65535)];
const ERROR = [...u16(5), ...u16(1), ...str('File not found')];
const ERROR_UNKNOWN = [...u16(5), ...u16(42), ...str('odd')];
const OACK = [...u16(6), ...str('blksize'), ...str('1456'), 0, ...str('tsize')];
const SAMPLES = [RRQ, WRQ, DATA, ACK, ERROR, ERROR_UNKNOWN, OACK, [...u16(9), 1, 2], [0, 1], [...u16(1), 0x61]];

// Lines taken from tcpdump 4.99.3 -nn on the same payloads.
test('requests, data, acks, errors and option acks as tcpdump prints them', () => {
  assert.equal(tftp([]), 'TFTP, length 0 [|tftp]');
  assert.equal(tftp(RRQ), 'TFTP, length 40, RRQ "pxelinux.0" octet tsize 0 blksize 1456');
  assert.equal(tftp(WRQ), 'TFTP, length 22, WRQ "conf^AM-i.txt" netascii');
  assert.equal(tftp(DATA), 'TFTP, length 7, DATA block 7');
  assert.equal(tftp(ACK), 'TFTP, length 4, ACK block 65535');
  assert.equal(tftp(ERROR), 'TFTP, length 19, ERROR ENOTFOUND "File not found"');
  assert.equal(tftp(ERROR_UNKNOWN), 'TFTP, length 8, ERROR tftp-err-#42 " "odd"');
  assert.equal(tftp([...u16(9), 1, 2]), 'TFTP, length 4, tftp-#9');
  assert.equal(tftp([...u16(1), 0x61]), 'TFTP, length 3, RRQ "a" [|tftp]');
  assert.equal(tftp(RRQ, 0, 8), 'TFTP, length 40, RRQ "pxelin" [|tftp]');
});

test('never throws anything but TRUNCATED on mutated datagrams', () => {
  const rnd = prng(69);
  const opts = defaultPrintOptions();
  for (let i = 0; i < 3000; i++) {
    const data = Buffer.from(mutateBytes(SAMPLES[i % SAMPLES.length]!, rnd));
    const line = new Line();
    throwsOnlyTruncated(() => printTftp(line, data, 0, data.length, Math.floor(rnd() * (data.length + 1)), opts));
  }
});

test('matches tcpdump on samples, every truncated prefix and mutations', { skip: !haveTcpdump }, async () => {
  const frames: AppFrame[] = [];
  const rnd = prng(6969);
  for (const p of SAMPLES) {
    const payload = Uint8Array.from(p);
    frames.push({ proto: 'udp', sport: 40000, dport: 69, payload });
    for (let snap = 0; snap < p.length; snap++) frames.push({ proto: 'udp', sport: 40000, dport: 69, payload, snap });
    for (let k = 0; k < 20; k++) frames.push({ proto: 'udp', sport: 69, dport: 40001, payload: Uint8Array.from(mutateBytes(p, rnd, [0, 1, 2, 3, 4, 5, 6])) });
  }
  const print: PayloadPrinter = (line, data, t, opts) => printTftp(line, data, t.off, t.length, t.capEnd, opts);
  const r = await compareWithTcpdump(frames, [0, 1], print);
  assert.deepEqual(r.failures.slice(0, 4), [], `${r.failures.length} of ${r.compared} differ`);
  assert.ok(r.truncated > 100, `only ${r.truncated} truncated`);
});
