/**
 * --ipv6-transport (FilterOptions.ipv6Transport), beyond libpcap (libpcap#600): tcp[], udp[], port and
 * tcp/udp also see IPv6, through extension headers. The default stays libpcap's.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LINKTYPE_ETHERNET, LINKTYPE_RAW } from '../../src/capture/link-types.js';
import { compileFilter } from '../../src/filter/index.js';
import { MAC_A, MAC_B, TCP_ACK, TCP_SYN, ether, ext8, frag6, ipv4, ipv6, packet, tcp, udp, type TestPacket } from './packets.js';

const V6A = '2001:db8::1';
const V6B = '2001:db8::2';

function packets(): TestPacket[] {
  const e6 = (payload: number[]): number[] => ether(MAC_B, MAC_A, 0x86dd, payload);
  return [
    /* 1 */ packet(e6(ipv6(V6A, V6B, 6, tcp(40000, 80, TCP_SYN)))),
    /* 2 */ packet(e6(ipv6(V6A, V6B, 0, [...ext8(6), ...tcp(40000, 80, TCP_SYN)]))),
    /* 3 */ packet(e6(ipv6(V6A, V6B, 0, [...ext8(60), ...ext8(6), ...tcp(40000, 80, TCP_SYN | TCP_ACK)]))),
    /* 4 */ packet(e6(ipv6(V6A, V6B, 44, [...frag6(6, 0, true), ...tcp(40000, 80, TCP_SYN)]))),
    /* 5 */ packet(e6(ipv6(V6A, V6B, 44, [...frag6(6, 100, false), ...tcp(80, 80, TCP_SYN)]))),
    /* 6 */ packet(e6(ipv6(V6A, V6B, 60, [...ext8(17), ...udp(5353, 53, [0, 0, 0, 0])]))),
    /* 7 */ packet(ether(MAC_B, MAC_A, 0x0800, ipv4('10.0.0.1', '10.0.0.2', 6, tcp(40000, 80, TCP_SYN)))),
    /* 8 */ packet(e6(ipv6(V6A, V6B, 0, [...ext8(6)])), 62),
  ];
}

function select(expr: string, ipv6Transport: boolean, ps = packets(), linkType = LINKTYPE_ETHERNET): number[] {
  const f = compileFilter(expr, linkType, { ipv6Transport });
  const out: number[] = [];
  ps.forEach((p, i) => {
    if (f(p.bytes, 0, p.caplen, p.wirelen)) out.push(i + 1);
  });
  return out;
}

test('by default libpcap\'s rules hold: no extension-header walk, tcp[] IPv4 only', () => {
  assert.deepEqual(select('port 80', false), [1, 7]);
  assert.deepEqual(select('tcp', false), [1, 4, 5, 7]);
  assert.throws(() => compileFilter('ip6 and tcp[13] & 2 != 0', LINKTYPE_ETHERNET), /rejects all packets/);
  assert.deepEqual(select('tcp[tcpflags] & tcp-syn != 0', false), [7]);
});

test('--ipv6-transport: port, tcp, udp and tcp[] see IPv6 through extension headers, first fragments only', () => {
  assert.deepEqual(select('port 80', true), [1, 2, 3, 4, 7]);
  assert.deepEqual(select('tcp dst port 80', true), [1, 2, 3, 4, 7]);
  // The protocol test keeps libpcap's matches (the non-first fragment 5) and adds the walked ones (8 is cut short).
  assert.deepEqual(select('tcp', true), [1, 2, 3, 4, 5, 7, 8]);
  assert.deepEqual(select('udp port 53', true), [6]);
  assert.deepEqual(select('tcp[tcpflags] & tcp-syn != 0', true), [1, 2, 3, 4, 7]);
  assert.deepEqual(select('tcp[tcpflags] == (tcp-syn|tcp-ack)', true), [3]);
  assert.deepEqual(select('ip6 and tcp[13] & 2 != 0', true), [1, 2, 3, 4]);
  assert.deepEqual(select('udp[2:2] = 53', true), [6]);
});

test('--ipv6-transport works on raw IP links too', () => {
  const raw = packets()
    .slice(0, 3)
    .map((p) => ({ bytes: p.bytes.subarray(14), caplen: p.caplen - 14, wirelen: p.wirelen - 14 }));
  assert.deepEqual(select('tcp dst port 80', true, raw, LINKTYPE_RAW), [1, 2, 3]);
  assert.deepEqual(select('tcp dst port 80', false, raw, LINKTYPE_RAW), [1]);
});
