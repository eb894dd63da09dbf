import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readCapture, type CaptureRange } from '../../src/capture/reader.js';
import { CaptureError } from '../../src/capture/errors.js';
import { BoundaryFinder, CaptureBlocks, planBlocks, splitLayout } from '../../src/capture/split.js';
import { writeBenchCapture } from '../../src/gen/bench-capture.js';
import { tempDir } from '../temp.js';

const CORPUS = path.resolve('..', 'shared', 'corpus');
const haveCorpus = fs.existsSync(path.join(CORPUS, 'manifest.json'));
const dir = tempDir('blocks-');

/** Record offsets of a whole read, or of a ranged read (with whether it must be redone sequentially). */
async function offsets(file: string, ranges?: Iterable<CaptureRange>): Promise<{ offsets: number[]; redo: boolean }> {
  const out: number[] = [];
  try {
    const res = await readCapture(file, { onPacket: (r) => void out.push(r.recordOffset) }, ranges ? { ranges } : {});
    return { offsets: out, redo: res.rangeUnsafe === true };
  } catch (err) {
    if (!(err instanceof CaptureError)) throw err;
    return { offsets: out, redo: true };
  }
}

function allRanges(file: string, blockBytes: number, order: 'forward' | 'backward' = 'forward'): CaptureRange[] | undefined {
  const plan = planBlocks(file, 2, 0, blockBytes);
  if (plan === undefined) return undefined;
  const blocks = CaptureBlocks.open(file, plan)!;
  try {
    const out: CaptureRange[] = new Array(plan.count);
    for (let k = 0; k < plan.count; k++) {
      const i = order === 'forward' ? k : plan.count - 1 - k;
      const r = blocks.range(i);
      assert.ok(r, `block ${i} of ${file} has edges`);
      out[i] = r;
    }
    return out;
  } finally {
    blocks.close();
  }
}

/** A little-endian microsecond pcap of `sizes.length` records of those captured lengths (random bytes). */
function writeSyntheticPcap(file: string, sizes: number[]): number[] {
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(262144, 16);
  header.writeUInt32LE(1, 20);
  const parts: Buffer[] = [header];
  const starts: number[] = [];
  let at = 24;
  let seed = 12345;
  sizes.forEach((n, i) => {
    const rec = Buffer.alloc(16 + n);
    rec.writeUInt32LE(1_700_000_000 + i, 0);
    rec.writeUInt32LE((i * 7919) % 1_000_000, 4);
    rec.writeUInt32LE(n, 8);
    rec.writeUInt32LE(n, 12);
    for (let k = 16; k < rec.length; k++) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      rec[k] = seed >>> 24;
    }
    parts.push(rec);
    starts.push(at);
    at += rec.length;
  });
  fs.writeFileSync(file, Buffer.concat(parts));
  return starts;
}

test('blocks cover every record exactly once, whatever the block size, for pcap and pcapng', { skip: !haveCorpus }, async () => {
  let exact = 0;
  let redone = 0;
  const names = fs.readdirSync(path.join(CORPUS, 'pcaps')).filter((n) => /\.(pcap|pcapng)$/.test(n));
  for (const name of names) {
    const file = path.join(CORPUS, 'pcaps', name);
    const whole = await offsets(file);
    if (whole.redo || whole.offsets.length < 4) continue; // corrupt or tiny: never split usefully
    const size = fs.statSync(file).size;
    for (const blockBytes of [997, 4096, Math.ceil(size / 3)]) {
      const ranges = allRanges(file, blockBytes);
      if (ranges === undefined) continue;
      const got = await offsets(file, ranges);
      // pcapng structure blocks after the preamble make a ranged read ask for a sequential one instead.
      if (got.redo) {
        redone++;
        continue;
      }
      assert.deepEqual(got.offsets, whole.offsets, `${name} in blocks of ${blockBytes}`);
      exact++;
    }
  }
  assert.ok(exact >= 100, `only ${exact} block plans were checked exactly`);
  assert.ok(redone >= 1, 'no pcapng file with mid-file structure blocks asked for a sequential read');
});

test('threads agree on block edges whatever order they take blocks in', async () => {
  const file = path.join(dir, 'bench.pcap');
  const fd = fs.openSync(file, 'w');
  writeBenchCapture(fd, { packets: 5000, seed: 'blocks-test' });
  fs.closeSync(fd);
  for (const blockBytes of [4096, 65536]) {
    const forward = allRanges(file, blockBytes)!;
    const backward = allRanges(file, blockBytes, 'backward')!;
    assert.deepEqual(backward, forward);
    for (let i = 1; i < forward.length; i++) assert.equal(forward[i]!.start, forward[i - 1]!.end);
    assert.deepEqual((await offsets(file, forward)).offsets, (await offsets(file)).offsets);
  }
});

test('a boundary search reads further when records are larger than its first window', async () => {
  const file = path.join(dir, 'big-records.pcap');
  const sizes = Array.from({ length: 45 }, (_, i) => 30000 + ((i * 7717) % 90000));
  const starts = writeSyntheticPcap(file, sizes);
  const layout = splitLayout(file, 0)!;
  const finder = BoundaryFinder.open(file, layout)!;
  try {
    // From anywhere inside record k, the next boundary is the start of record k + 1.
    for (let k = 0; k + 1 < starts.length; k += 11) {
      for (const into of [1, 17, 5000]) assert.equal(finder.find(starts[k]! + into), starts[k + 1], `record ${k} + ${into}`);
    }
    assert.equal(finder.find(starts[starts.length - 1]! + 1), layout.size, 'inside the last record: the end of the file');
  } finally {
    finder.close();
  }
  const ranges = allRanges(file, 150000)!;
  assert.deepEqual((await offsets(file, ranges)).offsets, starts);
});

test('a ranged read stops every range when the handler says so, and reports a truncated last record', async () => {
  const file = path.join(dir, 'small.pcap');
  const starts = writeSyntheticPcap(file, Array.from({ length: 200 }, (_, i) => 60 + (i % 50)));
  const ranges = allRanges(file, 1500)!;
  let seen = 0;
  const res = await readCapture(file, { onPacket: () => ++seen < 30 }, { ranges });
  assert.equal(seen, 30);
  assert.equal(res.stopped, true);
  const cut = path.join(dir, 'small-cut.pcap');
  fs.writeFileSync(cut, fs.readFileSync(file).subarray(0, starts[150]! + 20));
  const whole = await offsets(cut);
  const cutRanges = allRanges(cut, 1500)!;
  const got: number[] = [];
  await assert.rejects(
    readCapture(cut, { onPacket: (r) => void got.push(r.recordOffset) }, { ranges: cutRanges }),
    (err: unknown) => err instanceof CaptureError && /truncated dump file/.test(err.message),
  );
  assert.deepEqual(got, whole.offsets);
});

test('files that cannot be split have no block plan', () => {
  assert.equal(planBlocks('-', 2), undefined);
  assert.equal(planBlocks('/nonexistent', 2), undefined);
  const file = path.join(dir, 'tiny.pcap');
  writeSyntheticPcap(file, [60, 60]);
  assert.equal(planBlocks(file, 2), undefined, 'below the minimum size');
  assert.equal(planBlocks(file, 1, 0, 10), undefined, 'one thread');
});
