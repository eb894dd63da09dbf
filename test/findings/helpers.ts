/** Shared by the findings tests: writing built captures, and asking the real tcpdump what a filter selects. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { readCapture } from '../../src/capture/reader.js';
import type { CaptureBuilder } from '../../src/gen/capture-builder.js';
import { findings, type Finding, type FindingsOptions } from '../../src/analyze/findings/index.js';
import { tempDir } from '../temp.js';

export const CORPUS = path.resolve('..', 'shared', 'corpus');
export const PCAPS = path.join(CORPUS, 'pcaps');
export const HAVE_CORPUS = fs.existsSync(path.join(CORPUS, 'manifest.json'));
export const TCPDUMP = ['/usr/bin/tcpdump', '/usr/sbin/tcpdump'].find((p) => fs.existsSync(p));

let tmpDir: string | undefined;

/** Writes a built capture to a temporary pcap file and returns its path. */
export function writeCapture(cap: CaptureBuilder, name: string): string {
  tmpDir ??= tempDir('findings-');
  const file = path.join(tmpDir, `${name}.pcap`);
  fs.writeFileSync(file, cap.toPcap());
  return file;
}

/** Builds, writes and analyses a capture. */
export async function findingsOf(cap: CaptureBuilder, name: string, options: Partial<FindingsOptions> = {}): Promise<{ file: string; list: Finding[] }> {
  const file = writeCapture(cap, name);
  return { file, list: await findings(file, options) };
}

interface Rec {
  sec: number;
  nsec: number;
  bytes: Buffer;
}

async function records(file: string): Promise<Rec[]> {
  const out: Rec[] = [];
  await readCapture(file, {
    onPacket: (r) => void out.push({ sec: r.tsSec, nsec: r.tsNsec, bytes: Buffer.from(r.data.subarray(r.offset, r.offset + r.caplen)) }),
  });
  return out;
}

/**
 * Runs `tcpdump -r FILE -w OUT FILTER` and maps the written records back to frame numbers of FILE (greedy,
 * in order, by time and bytes). Returns undefined when tcpdump is absent; throws with tcpdump's message
 * when it rejects the filter.
 */
export async function tcpdumpFrames(file: string, filter: string): Promise<Set<number> | undefined> {
  if (TCPDUMP === undefined) return undefined;
  tmpDir ??= tempDir('findings-');
  const out = path.join(tmpDir, `selected-${process.pid}-${Math.random().toString(36).slice(2)}.pcap`);
  const r = spawnSync(TCPDUMP, ['-r', file, '-w', out, filter], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
  if (r.status !== 0) throw new Error(`tcpdump rejected '${filter}': ${r.stderr.trim().split('\n').pop()}`);
  const all = await records(file);
  const picked = await records(out);
  fs.rmSync(out, { force: true });
  const frames = new Set<number>();
  let i = 0;
  for (const p of picked) {
    // tcpdump -w writes microseconds: compare at that precision.
    const usec = Math.floor(p.nsec / 1000);
    while (i < all.length && !(all[i]!.sec === p.sec && Math.floor(all[i]!.nsec / 1000) === usec && all[i]!.bytes.equals(p.bytes))) i++;
    if (i === all.length) throw new Error('a record tcpdump wrote is not in the capture');
    frames.add(++i);
  }
  return frames;
}

/** Checks every finding's filter with the real tcpdump: accepted, and selecting all the sample frames. */
export async function checkEvidenceFilters(file: string, list: readonly Finding[]): Promise<string[]> {
  const problems: string[] = [];
  for (const f of list) {
    let frames: Set<number> | undefined;
    try {
      frames = await tcpdumpFrames(file, f.filter);
    } catch (e) {
      problems.push(`${path.basename(file)} ${f.kind}: ${(e as Error).message}`);
      continue;
    }
    if (frames === undefined) return problems;
    const missing = f.frames.filter((n) => !frames!.has(n));
    if (missing.length > 0) problems.push(`${path.basename(file)} ${f.kind}: '${f.filter}' misses frames ${missing.join(', ')}`);
    if (frames.size === 0) problems.push(`${path.basename(file)} ${f.kind}: '${f.filter}' selects nothing`);
  }
  return problems;
}

/** A compact "kind source>targets" summary, for readable assertion messages. */
export function summary(list: readonly Finding[]): string[] {
  return list.map((f) => `${f.kind} ${f.source}>${f.targets.join(',')}`);
}
