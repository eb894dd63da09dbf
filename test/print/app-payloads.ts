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
