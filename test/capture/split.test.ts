import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readCapture, type CaptureRange } from '../../src/capture/reader.js';
import { splitCapture } from '../../src/capture/split.js';

const CORPUS = path.resolve('..', 'shared', 'corpus');
const haveCorpus = fs.existsSync(path.join(CORPUS, 'manifest.json'));

async function offsets(file: string, range?: CaptureRange): Promise<number[]> {
  const out: number[] = [];
  await readCapture(file, { onPacket: (r) => void out.push(r.recordOffset) }, range ? { range } : {});
  return out;
}

test('ranges cover every record exactly once, for pcap and pcapng, at any number of parts', { skip: !haveCorpus }, async () => {
  let checked = 0;
  for (const name of ['lo_web-lo.pcap', 'ppa_http_google.pcapng', 'mk_http_google_nsec.pcap', 'pngtg_test010_be.pcapng']) {
    const file = path.join(CORPUS, 'pcaps', name);
    if (!fs.existsSync(file)) continue;
    const whole = await offsets(file);
    for (const parts of [2, 3, 5, 8]) {
      const ranges = splitCapture(file, parts, 0);
      if (ranges === undefined) continue; // too few records to find a boundary in every part
      assert.equal(ranges.length, parts);
      const pieces: number[] = [];
      for (const r of ranges) pieces.push(...(await offsets(file, r)));
      assert.deepEqual(pieces, whole, `${name} in ${parts} parts`);
      checked++;
    }
  }
  assert.ok(checked >= 8, `only ${checked} splits were checked`);
});

test('small, compressed and piped captures are not split', () => {
  assert.equal(splitCapture('-', 2), undefined);
  assert.equal(splitCapture('/nonexistent', 2), undefined);
});
