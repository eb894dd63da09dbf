/**
 * Differential property test against the real tcpdump: random expressions from a grammar of primitives,
 * and/or/not, parentheses, qualifier inheritance and byte accessors with arithmetic, over random but
 * plausible packets (built, then truncated and mutated). pcapsift must select the same frames, and reject
 * exactly the expressions tcpdump rejects. Skips without tcpdump; bounded runs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { LINKTYPE_ETHERNET, LINKTYPE_LINUX_SLL, LINKTYPE_LINUX_SLL2, LINKTYPE_RAW } from '../../src/capture/link-types.js';
import { pcapBytes } from '../../src/capture/pcap-writer.js';
import { compileFilter, FilterError } from '../../src/filter/index.js';
import { matrix } from './matrix-data.js';
import {
  MAC_A,
  MAC_B,
  TCP_ACK,
  TCP_SYN,
  arpRequest,
  ether,
  ext8,
  frag6,
  ipv4,
  ipv6,
  packet,
  tcp,
  udp,
  type TestPacket,
} from './packets.js';
import { haveTcpdump, TcpdumpRejected, tcpdumpSelects } from './tcpdump.js';
import { tempDir } from '../temp.js';

const HOSTS = ['10.0.0.1', '10.0.0.2', '10.0.1.5', '224.0.0.251', '10.0.0.255'];
const HOSTS6 = ['2001:db8::1', '2001:db8::2', 'ff02::1'];
const PORTS = [22, 53, 80, 443, 5353, 40000, 138];

const host = fc.constantFrom(...HOSTS);
const port = fc.constantFrom(...PORTS);
const small = fc.integer({ min: 0, max: 70 });
const dir = fc.constantFrom('', 'src ', 'dst ', 'src or dst ', 'src and dst ');

const primitive: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('tcp', 'udp', 'icmp', 'ip', 'ip6', 'arp', 'rarp', 'icmp6', 'sctp', 'vlan', 'vlan 100', 'vlan 5', 'multicast',
    'broadcast', 'ip multicast', 'ip6 multicast', 'ip broadcast', 'ether broadcast', 'igmp', 'pim', 'stp', 'ah', 'esp', 'llc',
    'mpls', 'mpls 100', 'pppoes', 'pppoed', 'ipx', 'iso', 'isis', 'l1', 'byte 23 = 6', 'byte 12 > 7', 'byte 14 < 70', 'vlan and vlan',
    'ether proto \\ip', 'ip proto \\udp', 'port domain', 'port ntp', 'tcp port http'),
  fc.tuple(fc.constantFrom('', 'ip ', 'arp '), dir, host).map(([p, d, h]) => `${p}${d}host ${h}`),
  fc.tuple(dir, fc.constantFrom(...HOSTS6)).map(([d, h]) => `${d}host ${h}`),
  fc.tuple(dir, fc.constantFrom('10.0.0.0/24', '10.0.0', '10', '10.0.1.0 mask 255.255.255.0', '2001:db8::/32', '224.0.0.0/4')).map(([d, n]) => `${d}net ${n}`),
  fc.tuple(fc.constantFrom('', 'tcp ', 'udp '), dir, port).map(([p, d, n]) => `${p}${d}port ${n}`),
  fc.tuple(fc.constantFrom('', 'tcp ', 'udp '), port, port).map(([p, a, b]) => `${p}portrange ${a}-${b}`),
  fc.tuple(fc.constantFrom('', 'ip ', 'ip6 '), fc.constantFrom(1, 6, 17, 44, 58, 0)).map(([p, n]) => `${p}proto ${n}`),
  fc.tuple(fc.constantFrom('ip6 ', 'ip ', ''), fc.constantFrom(6, 17, 58, 44)).map(([p, n]) => `${p}protochain ${n}`),
  fc.tuple(fc.constantFrom('less', 'greater'), fc.integer({ min: 40, max: 1100 })).map(([k, n]) => `${k} ${n}`),
  fc.tuple(fc.constantFrom('ether host', 'ether src', 'ether dst'), fc.constantFrom('00:11:22:33:44:55', '00:66:77:88:99:aa', 'ff:ff:ff:ff:ff:ff')).map(([k, m]) => `${k} ${m}`),
);

const accessor = fc.constantFrom('ether', 'ip', 'ip6', 'tcp', 'udp', 'icmp', 'icmp6', 'arp');
const load = fc.tuple(accessor, small, fc.constantFrom('', ':1', ':2', ':4')).map(([a, o, s]) => `${a}[${o}${s}]`);
const constant = fc.oneof(fc.integer({ min: 0, max: 300 }).map(String), fc.constantFrom('tcp-syn', 'tcp-ack', 'tcpflags', '0x10', '010', 'icmp-echo'));
const arith: fc.Arbitrary<string> = fc.letrec((tie) => ({
  a: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    load,
    constant,
    fc.constant('len'),
    fc.tuple(tie('a'), fc.constantFrom('+', '-', '*', '&', '|', '^', '<<', '>>', '%', '/'), fc.integer({ min: 1, max: 9 }).map(String)).map(([x, op, y]) => `${x} ${op} ${y}`),
    fc.tuple(tie('a'), fc.constantFrom('+', '&', '|'), tie('a')).map(([x, op, y]) => `(${x} ${op} ${y})`),
  ),
})).a as fc.Arbitrary<string>;
const relation = fc.tuple(arith, fc.constantFrom('=', '==', '!=', '<', '<=', '>', '>='), arith).map(([a, op, b]) => `${a} ${op} ${b}`);

/** A bare ID after and/or, to exercise qualifier inheritance. */
const bareId = fc.oneof(host, port.map(String), fc.constantFrom(...HOSTS6));

const expr: fc.Arbitrary<string> = fc.letrec((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    primitive,
    relation,
    fc.tuple(tie('e'), fc.constantFrom(' and ', ' or ', ' && ', ' || '), tie('e')).map(([a, op, b]) => `${a}${op}${b}`),
    fc.tuple(tie('e'), fc.constantFrom(' and ', ' or ', ' and not '), bareId).map(([a, op, b]) => `${a}${op}${b}`),
    tie('e').map((e) => `not ${e}`),
    tie('e').map((e) => `(${e})`),
  ),
})).e as fc.Arbitrary<string>;

function extraPackets(): TestPacket[] {
  const e6 = (payload: number[]): number[] => ether(MAC_B, MAC_A, 0x86dd, payload);
  return [
    packet(e6(ipv6('2001:db8::1', 'ff02::1', 58, [128, 0, 0, 0, 0, 1, 0, 1]))),
    packet(e6(ipv6('2001:db8::2', '2001:db8::1', 17, udp(53, 40000, [1, 2, 3, 4])))),
    packet(e6(ipv6('2001:db8::1', '2001:db8::2', 60, [...ext8(17), ...udp(40000, 53, [0, 0])]))),
    packet(e6(ipv6('2001:db8::1', '2001:db8::2', 44, [...frag6(17, 100, false), 1, 2, 3, 4, 5, 6, 7, 8]))),
    packet(ether(MAC_A, MAC_B, 0x0800, ipv4('10.0.0.2', '10.0.0.1', 17, udp(53, 33333, new Array<number>(60).fill(7))))),
    packet(ether(MAC_A, MAC_B, 0x0806, arpRequest(MAC_B, '10.0.0.2', '10.0.0.1'))),
    packet(ether(MAC_B, MAC_A, 0x0800, ipv4('10.0.0.1', '10.0.0.2', 6, tcp(443, 40000, TCP_SYN | TCP_ACK), { moreFragments: true }))),
    packet(ether(MAC_B, MAC_A, 0x0800, ipv4('10.0.0.1', '10.0.0.2', 132, [0, 80, 0, 22, 0, 0, 0, 0, 0, 0, 0, 0]))),
    packet(ether(MAC_B, MAC_A, 0x8035, arpRequest(MAC_A, '10.0.0.1', '10.0.0.2'))),
    packet(ether(MAC_B, MAC_A, 0x0026, [0x42, 0x42, 0x03, 0, 0, 0, 0, 0])),
  ];
}

/** Truncates and mutates some packets: short captures and odd bytes are where engines differ. */
const packetSet = fc
  .array(fc.tuple(fc.nat(1000), fc.nat(64), fc.nat(255), fc.nat(120)), { minLength: 4, maxLength: 12 })
  .map((edits) => {
    const base = [...matrix(), ...extraPackets()];
    const out = base.map((p) => ({ bytes: Uint8Array.from(p.bytes), caplen: p.caplen, wirelen: p.wirelen }));
    for (const [which, at, value, cut] of edits) {
      const src = base[which % base.length]!;
      const copy = Uint8Array.from(src.bytes);
      if (at < copy.length) copy[at] = value;
      // Snaplen-style truncation past the first headers. (Cuts inside the headers a filter reads are where
      // libpcap's optimizer's code motion decides which loads run: see the known gaps in src/filter/cfg.ts.)
      const caplen = cut < 60 ? Math.min(copy.length, 54 + cut) : copy.length;
      out.push({ bytes: copy.subarray(0, caplen), caplen, wirelen: src.wirelen });
    }
    return out;
  });

/** Property runs (3 expressions each): PCAPSIFT_DIFF_RUNS raises it for a longer hunt. */
const RUNS = Number(process.env.PCAPSIFT_DIFF_RUNS ?? 60);

/** Re-frames Ethernet test packets for another link type (the payload after the EtherType is kept). */
function reframe(packets: TestPacket[], linkType: number, seed: number): TestPacket[] {
  if (linkType === LINKTYPE_ETHERNET) return packets;
  return packets.map((p, i) => {
    const b = p.bytes;
    const type = [b[12] ?? 0, b[13] ?? 0];
    const payload = Array.from(b.subarray(14));
    const src = Array.from(b.subarray(6, 12));
    const outgoing = (seed + i) % 3 === 0 ? 4 : 0;
    let head: number[];
    if (linkType === LINKTYPE_LINUX_SLL) head = [0, outgoing, 0, 1, 0, 6, ...src, 0, 0, ...type];
    else if (linkType === LINKTYPE_LINUX_SLL2) head = [...type, 0, 0, 0, 0, 0, 1 + ((seed + i) % 2), 0, 1, outgoing, 6, ...src, 0, 0];
    else head = [];
    const bytes = Uint8Array.from([...head, ...payload]);
    const delta = head.length - 14;
    return { bytes, caplen: bytes.length, wirelen: p.wirelen + delta };
  });
}

test('random expressions on random packets select what tcpdump selects', { skip: !haveTcpdump() && 'tcpdump not installed' }, () => {
  const dir = tempDir('diff-');
  const file = path.join(dir, 'random.pcap');
  try {
    fc.assert(
      fc.property(packetSet, fc.array(expr, { minLength: 3, maxLength: 3 }), fc.constantFrom(LINKTYPE_ETHERNET, LINKTYPE_ETHERNET, LINKTYPE_LINUX_SLL, LINKTYPE_LINUX_SLL2, LINKTYPE_RAW), fc.nat(5), (ethernet, expressions, linkType, seed) => {
        const packets = reframe(ethernet, linkType, seed);
        fs.writeFileSync(file, pcapBytes(packets.map((p, i) => ({ data: p.bytes, tsSec: 1700000000 + i, wirelen: p.wirelen })), { linkType }));
        for (const expression of expressions) {
          let want: number[] | string;
          try {
            want = tcpdumpSelects(file, expression);
          } catch (err) {
            if (!(err instanceof TcpdumpRejected)) throw err;
            want = `rejected: ${err.message}`;
          }
          let got: number[] | string;
          try {
            const f = compileFilter(expression, linkType);
            got = [];
            packets.forEach((p, i) => {
              if (f(p.bytes, 0, p.caplen, p.wirelen)) (got as number[]).push(i + 1);
            });
          } catch (err) {
            if (!(err instanceof FilterError)) throw err;
            got = `rejected: ${err.problem}`;
          }
          // Both rejecting agree whatever the words; otherwise the frames must be the same. A disagreement
          // keeps its capture for a look after the run.
          const agree = typeof want === 'string' || typeof got === 'string' ? typeof want === typeof got : JSON.stringify(want) === JSON.stringify(got);
          if (!agree) fs.copyFileSync(file, path.join(os.tmpdir(), 'pcapsift-diff-failure.pcap'));
          if (typeof want === 'string' || typeof got === 'string') {
            assert.equal(typeof got, typeof want, `'${expression}': tcpdump ${JSON.stringify(want)}, pcapsift ${JSON.stringify(got)}`);
          } else {
            assert.deepEqual(got, want, `'${expression}' on link type ${linkType}`);
          }
        }
      }),
      process.env.PCAPSIFT_DIFF_SEED === undefined ? { numRuns: RUNS } : { numRuns: RUNS, seed: Number(process.env.PCAPSIFT_DIFF_SEED) },
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
