/** Runs the installed tcpdump for differential filter tests (callers skip when it is absent). */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';

export const TCPDUMP = '/usr/bin/tcpdump';

/** True when tcpdump is installed here. */
export function haveTcpdump(): boolean {
  return fs.existsSync(TCPDUMP);
}

/** Thrown when tcpdump refuses the filter: the message is its last stderr line. */
export class TcpdumpRejected extends Error {}

/**
 * Returns the 1-based frames tcpdump selects from a capture whose record i has the timestamp
 * `baseSec + i` seconds (the tests write them so), read back from `tcpdump -tt` output.
 */
export function tcpdumpSelects(file: string, filter: string, baseSec = 1700000000): number[] {
  const r = spawnSync(TCPDUMP, ['-tt', '-nn', '-r', file, filter], { encoding: 'latin1', env: { ...process.env, TZ: 'UTC', LC_ALL: 'C' } });
  if (r.status !== 0) {
    const lines = r.stderr.trim().split('\n');
    throw new TcpdumpRejected(lines[lines.length - 1] ?? 'tcpdump failed');
  }
  const frames: number[] = [];
  for (const line of r.stdout.split('\n')) {
    const m = /^(\d+)\.\d+ /.exec(line);
    if (m !== null) frames.push(Number(m[1]) - baseSec + 1);
  }
  return frames;
}

/** Runs `tcpdump -r IN -w OUT FILTER`; returns tcpdump's exit status and stderr. */
export function tcpdumpWrite(input: string, output: string, filter: string): { status: number; stderr: string } {
  const r = spawnSync(TCPDUMP, ['-r', input, '-w', output, filter], { encoding: 'latin1' });
  return { status: r.status ?? -1, stderr: r.stderr };
}
