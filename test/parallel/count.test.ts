import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeBenchCapture } from '../../src/gen/bench-capture.js';
import { countMatches } from '../../src/analyze/count.js';
import { splitCapture } from '../../src/capture/split.js';
import { runJob } from '../../src/parallel/pool.js';
import { prestartWorkers, waitingWorkers } from '../../src/parallel/prestart.js';
import { spawnSync } from 'node:child_process';
import { RANGE_LOG_JOB, type RangeLog, type RangeLogArgs } from './range-log-job.js';
import { tempDir } from '../temp.js';

const RANGE_LOG_MODULE = new URL('./range-log-job.js', import.meta.url).href;

const dir = tempDir('par-');
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
      for (const blockBytes of [undefined, 65536]) {
        const many = await countMatches(file, { expression }, blockBytes === undefined ? { threads, minBytes: 0 } : { threads, minBytes: 0, blockBytes });
        assert.deepEqual(many, one, `'${expression}' on ${threads} threads, blocks of ${blockBytes ?? 'default'} bytes`);
      }
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

test('workers and the main thread share the blocks: every record is read once, by some thread', async () => {
  const [whole] = await runJob<RangeLogArgs, RangeLog>(file, RANGE_LOG_JOB, {}, [RANGE_LOG_MODULE], { threads: 1 });
  assert.equal(whole!.value.packets, 30000);
  const workerRead = new Int32Array(new SharedArrayBuffer(4));
  const parts = await runJob<RangeLogArgs, RangeLog>(file, RANGE_LOG_JOB, { workerRead }, [RANGE_LOG_MODULE], {
    threads: 3,
    minBytes: 0,
    blockBytes: 16384,
  });
  assert.ok(parts.length >= 2, 'a worker took part');
  assert.ok(parts.filter((p) => p.value.blocks > 0).length >= 2, 'more than one thread read blocks');
  assert.equal(new Set(parts.map((p) => p.value.thread)).size, parts.length, 'one result per thread');
  assert.equal(parts.reduce((n, p) => n + p.value.packets, 0), whole!.value.packets);
  assert.equal(parts.reduce((n, p) => n + p.value.offsetSum, 0), whole!.value.offsetSum);
});

test('a failing worker makes the job run again on one thread', async () => {
  const workerRead = new Int32Array(new SharedArrayBuffer(4));
  const parts = await runJob<RangeLogArgs, RangeLog>(file, RANGE_LOG_JOB, { workerRead, failInWorker: true }, [RANGE_LOG_MODULE], {
    threads: 2,
    minBytes: 0,
    blockBytes: 16384,
  });
  assert.equal(Atomics.load(workerRead, 0), 1, 'the worker took a block');
  assert.equal(parts.length, 1);
  assert.equal(parts[0]!.value.packets, 30000);
  assert.equal(parts[0]!.value.blocks, 0, 'read sequentially');
});

test('workers started ahead take the job, and unused ones neither linger nor keep the process alive', async () => {
  prestartWorkers([RANGE_LOG_MODULE], 2);
  assert.equal(waitingWorkers(), 2);
  const workerRead = new Int32Array(new SharedArrayBuffer(4));
  const parts = await runJob<RangeLogArgs, RangeLog>(file, RANGE_LOG_JOB, { workerRead }, [RANGE_LOG_MODULE], {
    threads: 2,
    minBytes: 0,
    blockBytes: 16384,
  });
  assert.equal(waitingWorkers(), 0, 'one taken, the other ended');
  assert.ok(parts.length === 2 && parts.every((p) => p.value.blocks > 0), 'the worker started ahead read blocks');
  assert.equal(parts.reduce((n, p) => n + p.value.packets, 0), 30000);
  // A process that starts workers and never gives them a job ends on its own.
  const prestart = new URL('../../src/parallel/prestart.js', import.meta.url).href;
  const child = spawnSync(
    process.execPath,
    ['--input-type=module', '-e', `import { prestartWorkers } from '${prestart}'; prestartWorkers([], 2); console.log('started');`],
    { encoding: 'utf8', timeout: 20000 },
  );
  assert.equal(child.status, 0, child.stderr);
  assert.equal(child.stdout, 'started\n');
});
