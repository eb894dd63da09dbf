/**
 * A never-throws fuzz: random frames and mutated corpus frames, on every link type and with several flag
 * sets, go through the printer. A bad packet never throws and never trips an internal error: it prints
 * tcpdump's ` [|proto]` or an invalid note.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import fc from 'fast-check';
import { newPacketRecord } from '../../src/capture/packet.js';
import { readCapture } from '../../src/capture/reader.js';
import { defaultPrintOptions, type PrintOptions } from '../../src/print/options.js';
import { PacketPrinter } from '../../src/print/printer.js';
import { CORPUS, haveCorpus } from './corpus-print.js';

const LINK_TYPES = [0, 1, 12, 101, 108, 113, 228, 229, 276];
const FLAG_SETS: Array<Partial<PrintOptions>> = [
  {},
  { verbose: 1 },
  { verbose: 2, linkHeader: true },
  { quiet: true, hexAscii: 1 },
  { absoluteSeq: true, ascii: 1, timestamps: 3 },
];

function printers(): PacketPrinter[] {
  return FLAG_SETS.map((f) => new PacketPrinter({ ...defaultPrintOptions(), numeric: 2, ...f }, { write: () => undefined }));
}

function printAll(ps: PacketPrinter[], bytes: Uint8Array, linkType: number, wirelen: number): void {
  const r = newPacketRecord();
  r.data = Buffer.from(bytes);
  r.offset = 0;
  r.caplen = bytes.length;
  r.wirelen = wirelen;
  r.linkType = linkType;
  r.tsSec = 1700000000;
  r.tsNsec = 1000;
  r.snaplen = 262144;
  for (const p of ps) {
    const text = p.format(r);
    assert.ok(text.endsWith('\n'));
  }
}

test('fuzz: random frames never throw', () => {
  const ps = printers();
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 0, maxLength: 200 }), fc.constantFrom(...LINK_TYPES), fc.nat(64), (bytes, lt, extra) => {
      printAll(ps, bytes, lt, Math.max(1, bytes.length + extra));
    }),
    { numRuns: 3000, seed: 4242 },
  );
  for (const p of ps) assert.equal(p.internalErrors, 0);
});

test('fuzz: mutated corpus frames never throw', { skip: !haveCorpus }, async () => {
  const files = ['lo_web-lo.pcap', 'lo_web-any-sll2.pcap', 'zeek_icmp_icmp6-nd-options.pcap', 'td_icmpv6.pcap', 'zeek_ipv6-hbh-routing0.pcap',
    'sv_syn_retransmit_with_ts.pcap', 'zeek_vlan-qinqinq.pcap', 'ppa_icmp_traceroute.pcapng', 'sv_http-ipv6-null.pcap', 'td_dns_tcp.pcap',
    'zeek_tcp_options.pcap', 'td_tfo-5c1fa7f9ae91.pcap', 'td_ipv6-routing-header.pcap', 'ppa_arp_resolution.pcapng'];
  const frames: Array<{ bytes: Uint8Array; linkType: number }> = [];
  for (const f of files) {
    await readCapture(path.join(CORPUS, 'pcaps', f), {
      onPacket: (r) => {
        if (frames.length < 400) frames.push({ bytes: Uint8Array.from(r.data.subarray(r.offset, r.offset + r.caplen)), linkType: r.linkType });
      },
    });
  }
  assert.ok(frames.length > 50);
  const ps = printers();
  fc.assert(
    fc.property(
      fc.nat(frames.length - 1),
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }),
      fc.nat(100),
      (i, edits, cutPercent) => {
        const f = frames[i]!;
        const b = Uint8Array.from(f.bytes);
        for (const [pos, val] of edits) if (b.length > 0) b[pos % b.length] = val;
        const cut = b.subarray(0, Math.max(1, Math.floor((b.length * (cutPercent + 1)) / 101)));
        printAll(ps, cut, f.linkType, b.length);
      },
    ),
    { numRuns: 4000, seed: 7 },
  );
  for (const p of ps) assert.equal(p.internalErrors, 0);
});
