/**
 * Test helper for the application-layer printers: finds the UDP/TCP payload of corpus packets without the
 * main printer (link, IPv4/IPv6 with extension headers, UDP/TCP), and splits goldens into per-packet entries,
 * so DNS/NTP text can be compared with the end of tcpdump's line for the same packet.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { readCapture } from '../../src/capture/reader.js';
import type { PacketRecord } from '../../src/capture/packet.js';
import { Line, TRUNCATED } from '../../src/print/line.js';
import { defaultPrintOptions, type PrintOptions } from '../../src/print/options.js';
import { tempDir } from '../temp.js';

export const CORPUS = path.resolve('..', 'shared', 'corpus');
export const haveCorpus = fs.existsSync(path.join(CORPUS, 'manifest.json'));

/** Where a packet's transport payload is, with the lengths tcpdump hands the payload printers. */
export interface TransportPayload {
  proto: 'udp' | 'tcp';
  sport: number;
  dport: number;
  /** First payload byte. */
  off: number;
  /** UDP: min(UDP length, IP payload) - 8; TCP: IP payload - header. */
  length: number;
  /** Captured end, cut to the IP datagram's length (tcpdump's snapend). */
  capEnd: number;
}

/** Decodes the headers of a record down to UDP/TCP; null for anything else (and non-first fragments). */
export function transportPayload(rec: PacketRecord): TransportPayload | null {
  const d = rec.data;
  let p = rec.offset;
  const end = rec.offset + rec.caplen;
  let ethertype = -1;
  switch (rec.linkType) {
    case 1: { // Ethernet, any number of 802.1Q/802.1ad tags
      if (p + 14 > end) return null;
      ethertype = d.readUInt16BE(p + 12);
      p += 14;
      while ((ethertype === 0x8100 || ethertype === 0x88a8) && p + 4 <= end) {
        ethertype = d.readUInt16BE(p + 2);
        p += 4;
      }
      break;
    }
    case 113: // LINUX_SLL
      if (p + 16 > end) return null;
      ethertype = d.readUInt16BE(p + 14);
      p += 16;
      break;
    case 276: // LINUX_SLL2
      if (p + 20 > end) return null;
      ethertype = d.readUInt16BE(p);
      p += 20;
      break;
    case 0: { // NULL: host-order AF
      if (p + 4 > end) return null;
      const af = d.readUInt32LE(p) > 0xffff ? d.readUInt32BE(p) : d.readUInt32LE(p);
      ethertype = af === 2 ? 0x0800 : 0x86dd;
      p += 4;
      break;
    }
    case 101: case 12: case 14: case 228: case 229:
      if (p >= end) return null;
      ethertype = (d[p]! >> 4) === 6 ? 0x86dd : 0x0800;
      break;
    default:
      return null;
  }
  let proto: number;
  let l4: number;
  let ipEnd: number;
  if (ethertype === 0x0800) {
    if (p + 20 > end) return null;
    const ihl = (d[p]! & 0x0f) * 4;
    const total = d.readUInt16BE(p + 2);
    if ((d.readUInt16BE(p + 6) & 0x1fff) !== 0) return null;
    proto = d[p + 9]!;
    ipEnd = Math.min(end, p + (total || end - p));
    l4 = p + ihl;
  } else if (ethertype === 0x86dd) {
    if (p + 40 > end) return null;
    ipEnd = Math.min(end, p + 40 + d.readUInt16BE(p + 4));
    proto = d[p + 6]!;
    l4 = p + 40;
    for (;;) {
      if (proto === 0 || proto === 43 || proto === 60) {
        if (l4 + 2 > ipEnd) return null;
        proto = d[l4]!;
        l4 += (d[l4 + 1]! + 1) * 8;
      } else if (proto === 44) {
        if (l4 + 8 > ipEnd) return null;
        if ((d.readUInt16BE(l4 + 2) & 0xfff8) !== 0) return null;
        proto = d[l4]!;
        l4 += 8;
      } else {
        break;
      }
    }
  } else {
    return null;
  }
  if (proto === 17) {
    if (l4 + 8 > ipEnd) return null;
    const ulen = d.readUInt16BE(l4 + 4);
    const ipPayload = (ethertype === 0x0800 ? ipLength(d, rec) : ipEnd) - l4;
    return {
      proto: 'udp', sport: d.readUInt16BE(l4), dport: d.readUInt16BE(l4 + 2), off: l4 + 8,
      length: Math.min(ulen, ipPayload) - 8, capEnd: ipEnd,
    };
  }
  if (proto === 6) {
    if (l4 + 20 > ipEnd) return null;
    const hl = (d[l4 + 12]! >> 4) * 4;
    const ipPayload = (ethertype === 0x0800 ? ipLength(d, rec) : ipEnd) - l4;
    return {
      proto: 'tcp', sport: d.readUInt16BE(l4), dport: d.readUInt16BE(l4 + 2), off: l4 + hl,
      length: ipPayload - hl, capEnd: ipEnd,
    };
  }
  return null;

  function ipLength(buf: Buffer, r: PacketRecord): number {
    // The on-the-wire end of the IPv4 datagram (may lie past the captured bytes).
    const ipStart = p;
    const total = buf.readUInt16BE(ipStart + 2);
    return ipStart + (total || r.caplen);
  }
}

/** Splits a golden into one entry per packet: a line that does not start with white space starts an entry. */
export function goldenEntries(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    if (/^\s/.test(line) && out.length > 0) out[out.length - 1] += '\n' + line;
    else out.push(line);
  }
  return out;
}

/** Lists the goldens of one variant with their capture paths. */
export function goldens(variant: string): { name: string; pcap: string; golden: string }[] {
  const dir = path.join(CORPUS, 'golden');
  const suffix = `.${variant}.txt`;
  return fs.readdirSync(dir).filter((f) => f.endsWith(suffix)).sort().map((f) => {
    const name = f.slice(0, -suffix.length);
    return { name, pcap: path.join(CORPUS, 'pcaps', name), golden: path.join(dir, f) };
  }).filter((g) => fs.existsSync(g.pcap));
}

/** Calls `fn` for every packet of a capture with its golden entry (same index); stops at the golden's end. */
export async function eachPacketWithGolden(
  pcap: string, golden: string, fn: (rec: PacketRecord, entry: string) => void,
): Promise<void> {
  const entries = goldenEntries(fs.readFileSync(golden, 'utf8'));
  let i = 0;
  try {
    await readCapture(pcap, {
      onPacket: (rec) => {
        if (i < entries.length) fn(rec, entries[i]!);
        i++;
      },
    });
  } catch {
    // Captures libpcap cannot read to the end: the golden covers what came before.
  }
}

/** True when the real tcpdump is installed for differential tests. */
export const haveTcpdump = fs.existsSync('/usr/bin/tcpdump');

/** A deterministic PRNG (mulberry32) for reproducible mutations. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One test frame: an application payload carried over IPv4 UDP or TCP, optionally cut to `snap` bytes of payload. */
export interface AppFrame {
  proto: 'udp' | 'tcp';
  sport: number;
  dport: number;
  payload: Uint8Array;
  /** Payload bytes kept in the capture (the rest is "on the wire" only). */
  snap?: number;
}

/** Builds Ethernet/IPv4/UDP-or-TCP frames and writes them as a microsecond pcap; returns the frames' bytes. */
export function writeAppPcap(file: string, frames: AppFrame[]): void {
  const parts: Buffer[] = [];
  const gh = Buffer.alloc(24);
  gh.writeUInt32LE(0xa1b2c3d4, 0);
  gh.writeUInt16LE(2, 4);
  gh.writeUInt16LE(4, 6);
  gh.writeUInt32LE(262144, 16);
  gh.writeUInt32LE(1, 20);
  parts.push(gh);
  frames.forEach((f, n) => {
    const l4len = f.proto === 'udp' ? 8 : 20;
    const frame = Buffer.alloc(14 + 20 + l4len + f.payload.length);
    frame.writeUInt16BE(0x0800, 12);
    const ip = 14;
    frame[ip] = 0x45;
    frame.writeUInt16BE(20 + l4len + f.payload.length, ip + 2);
    frame.writeUInt16BE(n & 0xffff, ip + 4);
    frame[ip + 8] = 64;
    frame[ip + 9] = f.proto === 'udp' ? 17 : 6;
    frame.set([127, 0, 0, 1, 127, 0, 0, 2], ip + 12);
    let sum = 0;
    for (let k = 0; k < 20; k += 2) sum += frame.readUInt16BE(ip + k);
    while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
    frame.writeUInt16BE(~sum & 0xffff, ip + 10);
    const l4 = ip + 20;
    frame.writeUInt16BE(f.sport, l4);
    frame.writeUInt16BE(f.dport, l4 + 2);
    if (f.proto === 'udp') {
      frame.writeUInt16BE(8 + f.payload.length, l4 + 4);
    } else {
      frame.writeUInt32BE(1000 + n, l4 + 4);
      frame.writeUInt32BE(2000, l4 + 8);
      frame[l4 + 12] = 0x50;
      frame[l4 + 13] = 0x18;
      frame.writeUInt16BE(512, l4 + 14);
    }
    frame.set(f.payload, l4 + l4len);
    const caplen = f.snap === undefined ? frame.length : Math.min(frame.length, l4 + l4len + f.snap);
    const rh = Buffer.alloc(16);
    rh.writeUInt32LE(1700000000 + n, 0);
    rh.writeUInt32LE(caplen, 8);
    rh.writeUInt32LE(frame.length, 12);
    parts.push(rh, frame.subarray(0, caplen));
  });
  fs.writeFileSync(file, Buffer.concat(parts));
}

/** Prints one payload the way the UDP/TCP printer would call an application printer. */
export type PayloadPrinter = (line: Line, data: Buffer, t: TransportPayload, opts: PrintOptions) => void;

/**
 * Writes `frames` to a temporary pcap, runs the real tcpdump at each verbosity and compares the end of each
 * packet's text with `print`'s output (plus ` [|proto]` on TRUNCATED). Returns the differences.
 */
export async function compareWithTcpdump(
  frames: AppFrame[], verbosities: number[], print: PayloadPrinter,
): Promise<{ failures: string[]; truncated: number; compared: number }> {
  const dir = tempDir('app-');
  const file = path.join(dir, 'app.pcap');
  const failures: string[] = [];
  let truncated = 0;
  let compared = 0;
  try {
    writeAppPcap(file, frames);
    const line = new Line();
    for (const verbose of verbosities) {
      const r = spawnSync('/usr/bin/tcpdump', ['-nn', ...(verbose ? ['-' + 'v'.repeat(verbose)] : []), '-r', file],
        { encoding: 'latin1', env: { ...process.env, TZ: 'UTC', LC_ALL: 'C' }, maxBuffer: 1 << 28 });
      if (r.status !== 0) throw new Error(`tcpdump failed: ${r.stderr}`);
      const entries = goldenEntries(r.stdout);
      if (entries.length !== frames.length) throw new Error(`tcpdump printed ${entries.length} packets of ${frames.length}`);
      const opts = { ...defaultPrintOptions(), numeric: 2, verbose };
      await readCapture(file, {
        onPacket: (rec) => {
          const t = transportPayload(rec)!;
          line.reset();
          if (printMarkingTruncation(line, () => print(line, rec.data, t, opts))) truncated++;
          compared++;
          const entry = entries[rec.frame - 1]!;
          if (!entry.endsWith(line.text)) failures.push(`#${rec.frame} -v x${verbose}: ${firstDifference(entry, line.text)}`);
        },
      });
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return { failures, truncated, compared };
}

/** Mutates a byte array: random byte edits, a cut, or extra bytes (1 to 4 edits). */
export function mutateBytes(seed: ArrayLike<number>, rnd: () => number, special: number[] = [0, 0xff]): number[] {
  const m = Array.from(seed);
  for (let k = 1 + Math.floor(rnd() * 4); k > 0; k--) {
    const r = rnd();
    if (r < 0.6 && m.length) m[Math.floor(rnd() * m.length)] = Math.floor(rnd() * 256);
    else if (r < 0.75 && m.length) m[Math.floor(rnd() * m.length)] = special[Math.floor(rnd() * special.length)]!;
    else if (r < 0.9) m.length = Math.floor(rnd() * m.length);
    else for (let j = Math.floor(rnd() * 8); j > 0; j--) m.push(Math.floor(rnd() * 256));
  }
  return m;
}

/** Collects copies of the UDP/TCP payloads of corpus packets that `want` selects (for seeds). */
export async function corpusPayloads(want: (t: TransportPayload) => boolean, limit = 50): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  if (!haveCorpus) return out;
  for (const name of fs.readdirSync(path.join(CORPUS, 'pcaps')).sort()) {
    const file = path.join(CORPUS, 'pcaps', name);
    if (!fs.statSync(file).isFile() || out.length >= limit) continue;
    try {
      await readCapture(file, {
        onPacket: (rec) => {
          const t = transportPayload(rec);
          if (t && out.length < limit && want(t)) out.push(Uint8Array.from(rec.data.subarray(t.off, Math.min(t.capEnd, t.off + t.length))));
        },
      });
    } catch {
      // unreadable tails do not matter for seeds
    }
  }
  return out;
}

/** Describes where `got` stops matching the end of `want` (aligned at the payload's start in `want`). */
export function firstDifference(want: string, got: string): string {
  // Align on the longest suffix-free start: try each occurrence of got's first 12 characters in want.
  const probe = got.slice(0, 12);
  let start = want.lastIndexOf(probe);
  if (start < 0) start = Math.max(0, want.length - got.length);
  const w = want.slice(start);
  let k = 0;
  while (k < w.length && k < got.length && w[k] === got[k]) k++;
  const show = (x: string) => JSON.stringify(x.slice(Math.max(0, k - 60), k + 60));
  return `at ${k}\n  want: ${show(w)}\n  got:  ${show(got)}`;
}

/** Runs `print`; on TRUNCATED appends ` [|proto]` as the transport printer does. Returns whether it truncated. */
export function printMarkingTruncation(line: Line, print: () => void): boolean {
  try {
    print();
    return false;
  } catch (e) {
    if (e !== TRUNCATED) throw e;
    line.text += ` [|${line.protocol}]`;
    return true;
  }
}

/** Runs `print`, letting nothing but TRUNCATED escape it: the property every fuzz test checks. */
export function throwsOnlyTruncated(print: () => void): void {
  try {
    print();
  } catch (e) {
    if (e !== TRUNCATED) throw e;
  }
}

/**
 * Prints the payload of every corpus packet `want` selects, for each (golden variant, verbosity), and
 * compares the text with the end of tcpdump's line for that packet. Returns the count and the differences.
 */
export async function checkCorpus(
  runs: ReadonlyArray<readonly [string, number]>, want: (t: TransportPayload) => boolean, print: PayloadPrinter,
  base: Partial<PrintOptions> = {},
): Promise<{ checked: number; failures: string[] }> {
  const line = new Line();
  let checked = 0;
  const failures: string[] = [];
  for (const [variant, verbose] of runs) {
    const opts = { ...defaultPrintOptions(), ...base, verbose };
    for (const g of goldens(variant)) {
      await eachPacketWithGolden(g.pcap, g.golden, (rec, entry) => {
        const t = transportPayload(rec);
        if (!t || !want(t)) return;
        line.reset();
        printMarkingTruncation(line, () => print(line, rec.data, t, opts));
        checked++;
        if (!entry.endsWith(line.text)) failures.push(`${g.name} #${rec.frame}\n  want: ${entry}\n  got:  ${line.text}`);
      });
    }
  }
  return { checked, failures };
}

/** The big-endian bytes of a 16-bit value, for building messages. */
export const u16 = (v: number): number[] => [(v >> 8) & 0xff, v & 0xff];
/** The big-endian bytes of a 32-bit value, for building messages. */
export const u32 = (v: number): number[] => [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
