/**
 * Test helper for the application-layer printers: finds the UDP/TCP payload of corpus packets without the
 * main printer (link, IPv4/IPv6 with extension headers, UDP/TCP), and splits goldens into per-packet entries,
 * so DNS/NTP text can be compared with the end of tcpdump's line for the same packet.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readCapture } from '../../src/capture/reader.js';
import type { PacketRecord } from '../../src/capture/packet.js';

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
