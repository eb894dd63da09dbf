/** MPLS, PPPoE and LLC on Ethernet: the offsets move past each label or PPPoE header, as gen_mpls/gen_pppoes do. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LINKTYPE_ETHERNET, LINKTYPE_LINUX_SLL } from '../../src/capture/link-types.js';
import { pcapBytes } from '../../src/capture/pcap-writer.js';
import { compileFilter } from '../../src/filter/index.js';
import { MAC_A, MAC_B, ether, ipv4, ipv6, tcp, udp, vlanEther } from './packets.js';
import { haveTcpdump, tcpdumpSelects } from './tcpdump.js';
import { tempDir } from '../temp.js';

function label(value: number, bottom: boolean): number[] {
  return [(value >> 12) & 0xff, (value >> 4) & 0xff, ((value & 0xf) << 4) | (bottom ? 1 : 0), 64];
}

function frames(): number[][] {
  const ip = ipv4('10.0.0.1', '10.0.0.2', 6, tcp(40000, 80, 2));
  const ip6 = ipv6('2001:db8::1', '2001:db8::2', 17, udp(1, 53, [1, 2]));
  return [
    /* 1 */ ether(MAC_B, MAC_A, 0x8847, [...label(100, true), ...ip]),
    /* 2 */ ether(MAC_B, MAC_A, 0x8847, [...label(100, false), ...label(5, true), ...ip]),
    /* 3 */ ether(MAC_B, MAC_A, 0x8847, [...label(7, true), ...ip6]),
    /* 4 */ ether(MAC_B, MAC_A, 0x8864, [0x11, 0, 0, 5, 0, ip.length + 2, 0, 0x21, ...ip]),
    /* 5 */ ether(MAC_B, MAC_A, 0x8864, [0x11, 0, 0, 6, 0, ip6.length + 2, 0, 0x57, ...ip6]),
    /* 6 */ ether(MAC_B, MAC_A, 0x8863, [0x11, 9, 0, 0, 0, 0]),
    /* 7 */ ether(MAC_B, MAC_A, 0x0026, [0x42, 0x42, 3, 0, 0, 0, 0, 0]),
    /* 8 */ ether(MAC_B, MAC_A, 0x0026, [0xff, 0xff, 3, 0, 0, 0, 0, 0]),
    /* 9 */ vlanEther(MAC_B, MAC_A, 10, 0x8847, [...label(100, true), ...ip]),
    /* 10 */ ether(MAC_B, MAC_A, 0x0800, ip),
  ];
}

const ROWS: readonly [string, number[]][] = [
  ['mpls', [1, 2, 3]],
  ['mpls 100', [1, 2]],
  ['mpls and ip', [1]],
  ['mpls and mpls 5 and tcp', [2]],
  ['mpls 7 and ip6 and udp port 53', [3]],
  ['vlan and mpls 100 and tcp', [9]],
  ['mpls and host 10.0.0.2', [1]],
  ['pppoes', [4, 5]],
  ['pppoes 5 and ip', [4]],
  ['pppoes and ip6 and udp', [5]],
  ['pppoes and tcp port 80', [4]],
  ['pppoed', [6]],
  ['llc', [7]],
  ['stp', [7]],
  ['tcp port 80', [10]],
];

function select(expr: string): number[] {
  const f = compileFilter(expr, LINKTYPE_ETHERNET);
  return frames().flatMap((b, i) => (f(Uint8Array.from(b), 0, b.length, b.length) ? [i + 1] : []));
}

test('mpls, pppoes, pppoed and llc select what tcpdump selects', () => {
  for (const [expr, want] of ROWS) assert.deepEqual(select(expr), want, expr);
  assert.throws(() => compileFilter('mpls 1048576', LINKTYPE_ETHERNET), /MPLS label 1048576 greater than maximum/);
  assert.throws(() => compileFilter('mpls', LINKTYPE_LINUX_SLL), /no MPLS support for Linux cooked v1/);
  assert.throws(() => compileFilter('llc', LINKTYPE_LINUX_SLL), /'llc' not supported for Linux cooked v1/);
});

test('the encapsulation rows agree with the real tcpdump', { skip: !haveTcpdump() && 'tcpdump not installed' }, () => {
  const dir = tempDir('encap-');
  try {
    const file = path.join(dir, 'encap.pcap');
    fs.writeFileSync(file, pcapBytes(frames().map((b, i) => ({ data: Uint8Array.from(b), tsSec: 1700000000 + i })), { linkType: LINKTYPE_ETHERNET }));
    for (const [expr, want] of ROWS) assert.deepEqual(tcpdumpSelects(file, expr), want, expr);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
