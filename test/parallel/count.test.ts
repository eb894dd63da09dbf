import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeBenchCapture } from '../../src/gen/bench-capture.js';
import { countMatches } from '../../src/analyze/count.js';
import { splitCapture } from '../../src/capture/split.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pcapsift-par-'));
const file = path.join(dir, 'mix.pcap');
const fd = fs.openSync(file, 'w');
writeBenchCapture(fd, { packets: 30000, seed: 'parallel-test' });
fs.closeSync(fd);

const EXPRESSIONS = ['', 'tcp[tcpflags] == (tcp-syn|tcp-ack)', 'udp port 53', 'ip6', 'net 10.20.0.0/16 and not port 443'];

test('counting on several threads equals counting on one, at any split', async () => {
  for (const expression of EXPRESSIONS) {
    const one = await countMatches(file, { expression }, { threads: 1 });
    assert.equal(one.error, undefined);
    assert.equal(one.packets, 30000);
    for (const threads of [2, 5]) {
      assert.ok(splitCapture(file, threads, 0), `the capture splits in ${threads}`);
      const many = await countMatches(file, { expression }, { threads, minBytes: 0 });
      assert.deepEqual(many, one, `'${expression}' on ${threads} threads`);
    }
  }
});

test('a corrupt record in a later range still counts exactly up to the fault', async () => {
  const bytes = fs.readFileSync(file);
  const ranges = splitCapture(file, 3, 0)!;
  // Cut the file inside the third range's first record.
  const cutFile = path.join(dir, 'cut.pcap');
  fs.writeFileSync(cutFile, bytes.subarray(0, ranges[2]!.start + 10));
  const seq = await countMatches(cutFile, { expression: '' }, { threads: 1 });
  const par = await countMatches(cutFile, { expression: '' }, { threads: 3, minBytes: 0 });
  assert.ok(seq.error);
  assert.equal(par.matched, seq.matched);
  assert.equal(par.error?.problem, seq.error.problem);
});
