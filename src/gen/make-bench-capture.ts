#!/usr/bin/env node
/**
 * Writes the benchmark capture: `node dist/src/gen/make-bench-capture.js OUT [--packets N] [--seed S]`
 * (OUT `-` for standard output). Prints the ground truth on standard error.
 */
import * as fs from 'node:fs';
import { BrokenPipeError } from '../capture/pcap-writer.js';
import { BENCH_DEFAULT_PACKETS, writeBenchCapture, type BenchOptions } from './bench-capture.js';

const USAGE = 'usage: make-bench-capture OUT [--packets N] [--seed S]';

function main(argv: string[]): number {
  let out: string | undefined;
  const opts: BenchOptions = { packets: BENCH_DEFAULT_PACKETS };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--packets' || a === '--seed') {
      const v = argv[++i];
      if (v === undefined) return usage(`${a} needs a value`);
      if (a === '--seed') opts.seed = v;
      else {
        const n = Number(v.replace(/_/g, ''));
        if (!Number.isInteger(n) || n <= 0) return usage(`--packets wants a positive integer, not '${v}'`);
        opts.packets = n;
      }
    } else if (a.startsWith('-') && a !== '-') return usage(`unknown option ${a}`);
    else if (out === undefined) out = a;
    else return usage('one output file only');
  }
  if (out === undefined) return usage('no output file');
  let fd: number;
  try {
    fd = out === '-' ? 1 : fs.openSync(out, 'w');
  } catch (err) {
    process.stderr.write(`make-bench-capture: ${out}: ${(err as Error).message}\n`);
    return 1;
  }
  const t0 = process.hrtime.bigint();
  try {
    const truth = writeBenchCapture(fd, opts);
    if (fd !== 1) fs.closeSync(fd);
    const secs = Number(process.hrtime.bigint() - t0) / 1e9;
    const lines = Object.entries(truth).map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(' ') : v}`);
    lines.push(`seconds: ${secs.toFixed(1)}`, `MB/s: ${(truth.fileBytes / 1e6 / secs).toFixed(1)}`);
    process.stderr.write(lines.join('\n') + '\n');
  } catch (err) {
    if (err instanceof BrokenPipeError) return 0;
    process.stderr.write(`make-bench-capture: ${(err as Error).message}\n`);
    return 1;
  }
  return 0;
}

function usage(problem: string): number {
  process.stderr.write(`make-bench-capture: ${problem}\n${USAGE}\n`);
  return 2;
}

process.exitCode = main(process.argv.slice(2));
