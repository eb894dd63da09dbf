/**
 * The floor under `conversations`: the least work a Node.js process can do that still finds every TCP
 * conversation of a capture. It reads the file (1 MiB reads), walks the pcap records, peeks at Ethernet
 * (one 802.1Q tag), IPv4 or IPv6 (no extension headers) and the TCP ports, and counts packets and bytes per
 * direction-independent 5-tuple in an open-addressing table. No Zeek states, no history, no idle timeouts,
 * no ordering, no output: with `--threads N` each thread takes one record-aligned part of the file and
 * flows spanning parts are not merged. It answers no question; it measures how fast any answer could be.
 *
 *   node dist/bench/floor.js FILE [--threads N]
 *
 * bench.ts times it beside `conversations FILE tcp` and tshark, so the table shows the ceiling on the
 * ratio to tshark that any design in this runtime can reach on this machine.
 */
import * as fs from 'node:fs';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { CaptureRange } from '../src/capture/reader.js';
import { CaptureBlocks, planBlocks } from '../src/capture/split.js';

interface Tally {
  records: number;
  tcpPackets: number;
  flows: number;
}

const READ_BYTES = 1 << 20;
const SLOT_BITS = 20;
const ROW_WORDS = 12;

/** Counts the TCP conversations of the records in `range` (whole file without one). */
function tallyRange(file: string, range: CaptureRange | undefined): Tally {
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(24);
    fs.readSync(fd, head, 0, 24, 0);
    const magic = head.readUInt32LE(0);
    const little = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
    if (!little && head.readUInt32BE(0) !== 0xa1b2c3d4 && head.readUInt32BE(0) !== 0xa1b23c4d) throw new Error(`${file}: not a classic pcap file`);
    if ((little ? head.readUInt32LE(20) : head.readUInt32BE(20)) !== 1) throw new Error(`${file}: not Ethernet`);
    let at = range?.start ?? 24;
    const end = range?.end ?? fs.fstatSync(fd).size;
    const buf = Buffer.allocUnsafe(READ_BYTES * 2);
    const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    const slots = new Int32Array(1 << SLOT_BITS);
    const mask = (1 << SLOT_BITS) - 1;
    let rows = new Uint32Array(ROW_WORDS * 65536);
    let counts = new Float64Array(4 * 65536);
    const t: Tally = { records: 0, tcpPackets: 0, flows: 0 };
    let have = 0;
    let pos = 0;
    for (;;) {
      if (have - pos < 16 || have - pos < 16 + view.getUint32(pos + 8, little)) {
        if (at >= end) break;
        buf.copy(buf, 0, pos, have);
        have -= pos;
        pos = 0;
        const n = fs.readSync(fd, buf, have, Math.min(buf.length - have, end - at), at);
        if (n === 0) break;
        at += n;
        have += n;
        continue;
      }
      const caplen = view.getUint32(pos + 8, little);
      const p = pos + 16;
      pos = p + caplen;
      t.records++;
      if (caplen < 14) continue;
      let type = view.getUint16(p + 12);
      let l3 = p + 14;
      if (type === 0x8100 && caplen >= 18) {
        type = view.getUint16(p + 16);
        l3 += 4;
      }
      let a0 = 0, a1 = 0, a2 = 0, a3 = 0, b0 = 0, b1 = 0, b2 = 0, b3 = 0, l4 = 0;
      if (type === 0x0800 && l3 + 20 <= pos) {
        if (buf[l3 + 9] !== 6) continue;
        a3 = view.getUint32(l3 + 12);
        b3 = view.getUint32(l3 + 16);
        l4 = l3 + ((buf[l3]! & 15) << 2);
      } else if (type === 0x86dd && l3 + 40 <= pos) {
        if (buf[l3 + 6] !== 6) continue;
        a0 = view.getUint32(l3 + 8); a1 = view.getUint32(l3 + 12); a2 = view.getUint32(l3 + 16); a3 = view.getUint32(l3 + 20);
        b0 = view.getUint32(l3 + 24); b1 = view.getUint32(l3 + 28); b2 = view.getUint32(l3 + 32); b3 = view.getUint32(l3 + 36);
        l4 = l3 + 40;
      } else continue;
      if (l4 + 14 > pos) continue;
      t.tcpPackets++;
      const sp = view.getUint16(l4);
      const dp = view.getUint16(l4 + 2);
      let h = Math.imul(a3 ^ b3 ^ a0 ^ b0, 0x9e3779b1) ^ Math.imul((sp ^ dp) + (a1 ^ b1 ^ a2 ^ b2), 0x85ebca6b);
      h = (h ^ (h >>> 15)) >>> 0;
      const fwd = ((sp << 16) | dp) >>> 0;
      const rev = ((dp << 16) | sp) >>> 0;
      let i = h & mask;
      let id = -1;
      let dir = 0;
      for (;;) {
        const s = slots[i]!;
        if (s === 0) break;
        const r = (s - 1) * ROW_WORDS;
        if (rows[r + 9] === h) {
          if (rows[r + 8] === fwd && rows[r + 3] === a3 && rows[r + 7] === b3 && rows[r] === a0 && rows[r + 1] === a1 && rows[r + 2] === a2 && rows[r + 4] === b0 && rows[r + 5] === b1 && rows[r + 6] === b2) {
            id = s - 1;
            break;
          }
          if (rows[r + 8] === rev && rows[r + 3] === b3 && rows[r + 7] === a3 && rows[r] === b0 && rows[r + 1] === b1 && rows[r + 2] === b2 && rows[r + 4] === a0 && rows[r + 5] === a1 && rows[r + 6] === a2) {
            id = s - 1;
            dir = 1;
            break;
          }
        }
        i = (i + 1) & mask;
      }
      if (id < 0) {
        // Half full: the table is a floor for captures of up to half a million conversations per thread.
        if (t.flows * 2 >= slots.length) throw new Error('floor: more conversations than the table holds');
        id = t.flows++;
        if ((id + 1) * ROW_WORDS > rows.length) {
          const r2 = new Uint32Array(rows.length * 2);
          r2.set(rows);
          rows = r2;
          const c2 = new Float64Array(counts.length * 2);
          c2.set(counts);
          counts = c2;
        }
        const r = id * ROW_WORDS;
        rows[r] = a0; rows[r + 1] = a1; rows[r + 2] = a2; rows[r + 3] = a3;
        rows[r + 4] = b0; rows[r + 5] = b1; rows[r + 6] = b2; rows[r + 7] = b3;
        rows[r + 8] = fwd;
        rows[r + 9] = h;
        slots[i] = id + 1;
      }
      counts[id * 4 + dir]!++;
      counts[id * 4 + 2 + dir]! += caplen;
    }
    return t;
  } finally {
    fs.closeSync(fd);
  }
}

interface WorkerJob {
  file: string;
  plan: NonNullable<ReturnType<typeof planBlocks>>;
  block: number;
}

function rangeOf(job: WorkerJob): CaptureRange {
  const blocks = CaptureBlocks.open(job.file, job.plan);
  const range = blocks?.range(job.block);
  blocks?.close();
  if (range === undefined) throw new Error(`${job.file}: no record boundary found near part ${job.block}`);
  return range;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const file = args.find((a) => !a.startsWith('--'));
  const k = args.indexOf('--threads');
  const threads = k >= 0 ? Math.max(1, Number(args[k + 1])) : 1;
  if (file === undefined || !Number.isFinite(threads)) {
    console.error('usage: node dist/bench/floor.js FILE [--threads N]');
    process.exit(2);
  }
  const size = fs.statSync(file).size;
  const plan = threads > 1 ? planBlocks(file, threads, 0, Math.ceil(size / threads)) : undefined;
  const parts: Promise<Tally>[] = [];
  if (plan !== undefined) {
    for (let block = 1; block < plan.count; block++) {
      const w = new Worker(new URL(import.meta.url), { workerData: { file, plan, block } satisfies WorkerJob });
      parts.push(new Promise((resolve, reject) => w.once('message', resolve).once('error', reject)));
    }
  }
  const mine = tallyRange(file, plan === undefined ? undefined : rangeOf({ file, plan, block: 0 }));
  const all = [mine, ...(await Promise.all(parts))];
  const sum = (f: (t: Tally) => number): number => all.reduce((n, t) => n + f(t), 0);
  // Flows are summed over parts: one spanning two parts counts twice (the floor does not merge).
  console.log(`${sum((t) => t.records)} records, ${sum((t) => t.tcpPackets)} TCP packets, ${sum((t) => t.flows)} TCP conversations (by part), ${all.length} thread(s)`);
}

if (isMainThread) {
  main().catch((err: unknown) => {
    console.error(`floor: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
} else {
  const job = workerData as WorkerJob;
  parentPort!.postMessage(tallyRange(job.file, rangeOf(job)));
}
