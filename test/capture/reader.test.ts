import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import * as os from 'node:os';
import { Readable } from 'node:stream';
import { readCapture } from '../../src/capture/reader.js';
import { CaptureError } from '../../src/capture/errors.js';
import { splitTimestamp64 } from '../../src/capture/timestamp.js';
import { tempDir } from '../temp.js';

const CORPUS = path.resolve('..', 'shared', 'corpus');
const haveCorpus = fs.existsSync(path.join(CORPUS, 'manifest.json'));

interface ManifestCapture {
  file: string;
  bad?: boolean;
  packets?: number;
  tcpdump: { exit_status: number; stderr: string[]; stdout_nn?: string[] };
}

function manifest(): ManifestCapture[] {
  return JSON.parse(fs.readFileSync(path.join(CORPUS, 'manifest.json'), 'utf8')).captures;
}

async function collect(file: string, opts: Parameters<typeof readCapture>[2] = {}) {
  const frames: number[] = [];
  let error: CaptureError | undefined;
  try {
    await readCapture(file, { onPacket: (r) => void frames.push(r.frame) }, opts);
  } catch (e) {
    if (!(e instanceof CaptureError)) throw e;
    error = e;
  }
  return { frames, error };
}

test('bad captures: the packets before the fault, then libpcap\'s message', { skip: !haveCorpus }, async () => {
  for (const c of manifest().filter((c) => c.bad)) {
    const file = path.join(CORPUS, c.file);
    const { frames, error } = await collect(file);
    const expectedLines = c.tcpdump.stdout_nn?.length ?? 0;
    const last = c.tcpdump.stderr[c.tcpdump.stderr.length - 1] ?? '';
    if (c.tcpdump.exit_status === 0) {
      assert.equal(error, undefined, c.file);
      continue;
    }
    if (last.startsWith('tcpdump: unknown data link type')) continue; // refused by the printer, not the reader
    assert.ok(error, `${c.file} must fail`);
    assert.equal(frames.length, expectedLines, c.file);
    const want = last.replace(/^tcpdump: (pcap_loop: )?/, '');
    assert.equal(error.problem, want, c.file);
  }
});

test('every good corpus capture reads to the end with its packet count', { skip: !haveCorpus }, async () => {
  for (const c of manifest().filter((c) => !c.bad)) {
    const { frames, error } = await collect(path.join(CORPUS, c.file));
    assert.equal(error, undefined, `${c.file}: ${error?.message}`);
    assert.equal(frames.length, c.packets, c.file);
  }
});

test("the header facts match tcpdump's 'reading from file' line on every capture", { skip: !haveCorpus }, async () => {
  const { linkTypeLabel } = await import('../../src/capture/link-types.js');
  let checked = 0;
  for (const c of manifest()) {
    const line = c.tcpdump.stderr.find((l) => l.startsWith('reading from file'));
    if (line === undefined) continue;
    let label = '';
    try {
      await readCapture(path.join(CORPUS, c.file), {
        onInfo: (info) => void (label = `link-type ${linkTypeLabel(info.linkType)}, snapshot length ${info.snaplen}`),
        onPacket: () => false,
      });
    } catch (e) {
      if (!(e instanceof CaptureError)) throw e;
    }
    assert.equal(label, line.replace(/^reading from file [^,]*, /, ''), c.file);
    checked++;
  }
  assert.ok(checked > 140);
});

test('gzip files, standard input and tiny chunks give the same records', { skip: !haveCorpus }, async () => {
  const file = path.join(CORPUS, 'pcaps', 'lo_web-lo.pcap');
  const plain = await collect(file);
  const dir = tempDir('');
  const gz = path.join(dir, 'web.pcap.gz');
  fs.writeFileSync(gz, zlib.gzipSync(fs.readFileSync(file)));
  assert.deepEqual((await collect(gz)).frames, plain.frames);
  assert.deepEqual((await collect(file, { chunkSize: 7 })).frames, plain.frames);
  const stdin = Readable.from([fs.readFileSync(file)]);
  assert.deepEqual((await collect('-', { stdin })).frames, plain.frames);
  const gzStdin = Readable.from([zlib.gzipSync(fs.readFileSync(file))]);
  assert.deepEqual((await collect('-', { stdin: gzStdin })).frames, plain.frames);
  // A truncated gzip stream still delivers what came before the cut, then fails.
  const whole = zlib.gzipSync(fs.readFileSync(file));
  fs.writeFileSync(gz, whole.subarray(0, whole.length >> 1));
  const cut = await collect(gz);
  assert.ok(cut.error);
  assert.ok(cut.frames.length > 0 && cut.frames.length < plain.frames.length);
});

test('missing files and directories are one-line errors', async () => {
  const missing = await collect('/nonexistent/x.pcap');
  assert.equal(missing.error?.problem, 'No such file or directory');
  const dir = await collect(os.tmpdir());
  assert.equal(dir.error?.problem, 'Is a directory');
});

test('64-bit timestamps split exactly', () => {
  const out = new Float64Array(2);
  // 1796311928.507272123 s in nanoseconds = 1796311928507272123, beyond 2^53.
  const ns = 1796311928507272123n;
  splitTimestamp64(Number(ns >> 32n), Number(ns & 0xffffffffn), 1e9, out);
  assert.deepEqual([...out], [1796311928, 507272123]);
  splitTimestamp64(0, 1_500_000, 1e6, out);
  assert.deepEqual([...out], [1, 500000000]);
  splitTimestamp64(0, 3, 2, out);
  assert.deepEqual([...out], [1, 500000000]);
});
