import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { readCapture } from '../../src/capture/reader.js';
import { CaptureError } from '../../src/capture/errors.js';
import { tempDir } from '../temp.js';

const CORPUS = path.resolve('..', 'shared', 'corpus');
const SEEDS = ['lo_web-lo.pcap', 'ppa_tcp_handshake.pcapng', 'mk_multi-section.pcapng', 'mk_tcp-handshake-nano_be.pcap', 'pngtg_test010_be.pcapng']
  .map((n) => path.join(CORPUS, 'pcaps', n))
  .filter((f) => fs.existsSync(f));

const dir = tempDir('fuzz-');

/** Reads a capture from bytes; returns the packets delivered and the error, failing on anything but CaptureError. */
async function readBytes(bytes: Uint8Array, chunkSize: number): Promise<{ packets: number; error?: CaptureError }> {
  const file = path.join(dir, 'x.pcap');
  fs.writeFileSync(file, bytes);
  let packets = 0;
  try {
    await readCapture(
      file,
      {
        onPacket(rec) {
          packets++;
          // Every record's bytes lie inside the buffer it points to.
          assert.ok(rec.offset >= 0 && rec.offset + rec.caplen <= rec.data.length);
        },
      },
      { chunkSize },
    );
    return { packets };
  } catch (err) {
    if (!(err instanceof CaptureError)) throw err;
    assert.equal(err.message.includes('\n'), false, 'errors are one line');
    return { packets, error: err };
  }
}

test('mutated and truncated captures never throw anything but a one-line CaptureError', { skip: SEEDS.length === 0 }, async () => {
  const seeds = SEEDS.map((f) => fs.readFileSync(f));
  await fc.assert(
    fc.asyncProperty(
      fc.nat(seeds.length - 1),
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
      fc.option(fc.nat()),
      fc.integer({ min: 5, max: 5000 }),
      async (which, flips, cut, chunkSize) => {
        const bytes = Buffer.from(seeds[which]!);
        for (const [at, v] of flips) bytes[at % bytes.length] = v;
        const data = cut === null ? bytes : bytes.subarray(0, cut % (bytes.length + 1));
        await readBytes(data, chunkSize);
      },
    ),
    { numRuns: 300, seed: 20261203 },
  );
});

test('random bytes behind a valid magic never throw anything but a CaptureError', async () => {
  const magics = [Buffer.from('d4c3b2a1', 'hex'), Buffer.from('a1b2c3d4', 'hex'), Buffer.from('0a0d0d0a', 'hex'), Buffer.from('4d3cb2a1', 'hex')];
  await fc.assert(
    fc.asyncProperty(fc.nat(magics.length - 1), fc.uint8Array({ maxLength: 600 }), async (m, rest) => {
      await readBytes(Buffer.concat([magics[m]!, rest]), 64);
    }),
    { numRuns: 300, seed: 7 },
  );
});

test('a truncation at every byte of a small capture delivers a prefix of its packets', { skip: SEEDS.length === 0 }, async () => {
  const whole = fs.readFileSync(SEEDS.find((f) => f.endsWith('ppa_tcp_handshake.pcapng')) ?? SEEDS[0]!);
  const all = (await readBytes(whole, 1 << 16)).packets;
  let previous = 0;
  for (let cut = 0; cut <= whole.length; cut += 3) {
    const r = await readBytes(whole.subarray(0, cut), 1 << 16);
    assert.ok(r.packets >= previous && r.packets <= all, `cut at ${cut}`);
    previous = r.packets;
  }
  // A file one byte short ends inside its last record: an error, after every packet before it.
  const short = await readBytes(whole.subarray(0, whole.length - 1), 1 << 16);
  assert.ok(short.error);
  assert.equal(short.packets, all - 1);
});
