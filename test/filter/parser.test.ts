/**
 * Filter tables in libpcap's manner: accepted expressions with their explained form, and rejected
 * expressions with their messages (FILTER-SEMANTICS.md §6), per link type where it matters.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  LINKTYPE_ETHERNET,
  LINKTYPE_IPV4,
  LINKTYPE_LINUX_SLL,
  LINKTYPE_LINUX_SLL2,
  LINKTYPE_NULL,
  LINKTYPE_RAW,
} from '../../src/capture/link-types.js';
import { compileFilter, explainFilter, FilterError } from '../../src/filter/index.js';
import { tokenize } from '../../src/filter/lexer.js';

const EXPLAINED: readonly [string, string][] = [
  ['', '(every packet)'],
  ['host 1.2.3.4 or 5.6.7.8', '((src or dst host 1.2.3.4) or (src or dst host 5.6.7.8))'],
  ['tcp dst port 22 or 443', '(tcp dst port 22 or tcp dst port 443)'],
  ['udp or tcp and port 80', '((udp or tcp) and (src or dst port 80))'],
  ['port 80 or port 53 and udp', '(((src or dst port 80) or (src or dst port 53)) and udp)'],
  ['not host 10.0.0.1 and 10.0.0.2', '(not (src or dst host 10.0.0.1) and (src or dst host 10.0.0.2))'],
  ['host 10.0.0.1 and not 10.0.0.2', '((src or dst host 10.0.0.1) and not (src or dst host 10.0.0.2))'],
  ['port 80 and (443 or 22)', '((src or dst port 80) and ((src or dst port 443) or (src or dst port 22)))'],
  ['host 10.0.0.1 or (udp) and 10.0.0.2', '(((src or dst host 10.0.0.1) or udp) and (src or dst host 10.0.0.2))'],
  ['ip proto 6 or 17', '(ip proto 6 or ip proto 17)'],
  ['src and dst host 10.0.0.1', '(src and dst host 10.0.0.1)'],
  ['dst or src net 10.0.0.0/8', '(src or dst net 10.0.0.0/8)'],
  ['net 10.0.0.0 mask 255.0.0.0', '(src or dst net 10.0.0.0 mask 255.0.0.0)'],
  ['ip6 net 2001:db8::/32', '(ip6 src or dst net 2001:db8::/32)'],
  ['ether src 00:11:22:33:44:55', 'link src host 00:11:22:33:44:55'],
  ['port 0120', '(src or dst port 80)'],
  ['portrange 0x10-20', '(src or dst portrange 0x10-20)'],
  ['proto \\tcp', 'proto tcp'],
  ['ether proto \\arp', 'link proto arp'],
  ['ip6 protochain 6', 'ip6 protochain 6'],
  ['tcp[tcpflags] == (tcp-syn|tcp-ack)', 'tcp[13] = (2 | 16)'],
  ['tcp[((tcp[12:1] & 0xf0) >> 2):4] = 0x48545450', 'tcp[((tcp[12] & 240) >> 2):4] = 1213486160'],
  ['icmp6[icmp6type] == icmp6-echo', 'icmp6[0] = 128'],
  // `%` and `^` have no precedence: bison shifts, so the right operand runs to the end.
  ['len % 10 + 1 > 0', '(len % (10 + 1)) > 0'],
  ['len * 10 % 7 = 1', '(len * (10 % 7)) = 1'],
  ['len - 3 ^ 1 = 0', '(len - (3 ^ 1)) = 0'],
  ['len + 2 * 3 << 1 & 7 | 1 = 0', '((((len + (2 * 3)) << 1) & 7) | 1) = 0'],
  ['-len % 3 = 0', '(-(len % 3)) = 0'],
  ['len != 3 && !tcp || udp', '((len != 3 and not tcp) or udp)'],
  ['vlan 100 and vlan and tcp', '((vlan 100 and vlan) and tcp)'],
  ['less 60 or greater 1000', '(less 60 or greater 1000)'],
  ['ip broadcast or ether multicast', '(ip broadcast or link multicast)'],
  ['byte 23 = 6', 'byte 23 = 6'],
  ['inbound and ifindex 2', '(inbound and ifindex 2)'],
];

test('accepted expressions print with every implied qualifier explicit', () => {
  for (const [expr, want] of EXPLAINED) assert.equal(explainFilter(expr), want, expr);
});

test('the lexer follows flex: longest match, earlier rule on a tie', () => {
  const kinds = (s: string): string => tokenize(s).map((t) => `${t.kind}:${t.kind === 'num' ? t.value : t.text}`).join(' ');
  assert.equal(kinds('1.2.3.4.5'), 'id:1.2.3.4.5 eof:');
  assert.equal(kinds('10.0.0.1'), 'hid:10.0.0.1 eof:');
  assert.equal(kinds('tcp-syn tcpx tcp'), 'num:2 id:tcpx kw:tcp eof:');
  assert.equal(kinds('0x1f 010 0x1g'), 'num:31 num:8 id:0x1g eof:');
  assert.equal(kinds('::1 fe80::/10'), 'hid6:::1 hid6:fe80:: op:/ num:10 eof:');
  assert.equal(kinds('00:11:22:33:44:55'), 'eid:00:11:22:33:44:55 eof:');
  assert.equal(kinds('200-100x'), 'id:200-100x eof:');
  assert.equal(kinds('a&&b||!c'), 'id:a kw:and id:b kw:or kw:not id:c eof:');
  assert.equal(kinds('\\tcp == length'), 'id:tcp op:= kw:len eof:');
});

interface Rejected {
  expr: string;
  message: string;
  linkType?: number;
  column?: number;
}

const SYNTAX = "can't parse filter expression: syntax error";
const REJECTED: readonly Rejected[] = [
  ...['host', 'port', 'tcp port', 'tcp and', '(tcp', 'tcp)', 'not', '&& tcp', 'tcp ||| udp', 'tcp[13', 'portrange 100-', 'len >', 'less',
    'greater abc', 'tcp port -1', 'udp[8] & = 3', 'icmp[icmptype] == icmp-bogus', 'net 10/8', '10.0.0.1', 'src and dst', 'foo',
    'net 192.168.1.0 mask 255.255.0.255x', 'port 80 and (443 or tcp)'].map((expr) => ({ expr, message: SYNTAX })),
  { expr: 'tcp and', message: SYNTAX, column: 8 },
  { expr: 'tcp[13', message: SYNTAX, column: 7 },
  { expr: '(host 10.0.0.1) and 10.0.0.2', message: 'syntax error in filter expression', column: 21 },
  { expr: 'tcp and 10.0.0.1', message: 'syntax error in filter expression' },
  { expr: 'tcp[13] = 2 or 18', message: 'syntax error in filter expression' },
  { expr: 'port 99999', message: 'illegal port number 99999 > 65535', column: 6 },
  { expr: 'port 089', message: 'number 089 contains non-octal digit' },
  { expr: 'net 10.0.0.0/33', message: 'mask length must be <= 32' },
  { expr: 'net 10.0.0.1/8', message: 'non-network bits set in "10.0.0.1/8"' },
  { expr: 'host 1.2.3.4.5', message: "unknown host '1.2.3.4.5'" },
  { expr: 'host 300.1.1.1', message: "invalid IPv4 address '300.1.1.1'" },
  { expr: 'ether host 01:02:03', message: 'bogus ethernet address 01:02:' },
  { expr: 'tcp[0:3] = 1', message: 'data size must be 1, 2, or 4' },
  { expr: 'proto \\notaproto', message: "unknown ip proto 'notaproto'" },
  { expr: 'ip6 proto \\icmp6', message: "unknown ip proto 'icmp6'" },
  { expr: 'ip6 host 1.2.3.4', message: "'ip6' modifier applied to ip host" },
  { expr: 'vlan 5000', message: 'VLAN tag 5000 greater than maximum 4095' },
  { expr: 'len / 0 = 1', message: 'division by zero' },
  { expr: 'len % (2 - 2) = 1', message: 'modulus by zero' },
  { expr: 'len << 32 = 1', message: 'shift by more than 31 bits' },
  { expr: 'tcp host 10.0.0.1', message: "'tcp' modifier applied to host" },
  { expr: 'ip port 80', message: "illegal qualifier of 'port'" },
  { expr: 'udp port http', message: "port 'http' is tcp" },
  { expr: 'port nosuchservice', message: "unknown port 'nosuchservice'" },
  { expr: 'src proto 6', message: SYNTAX },
  ...['ip6 and tcp[13] = 18', 'tcp and not tcp', 'ip and arp', 'tcp and udp', 'ip6 and icmp', 'icmp[0] = arp[0]', 'ip6 and tcp[tcpflags] & tcp-syn != 0'].map(
    (expr) => ({ expr, message: 'expression rejects all packets' }),
  ),
  { expr: 'broadcast', message: 'not a broadcast link', linkType: LINKTYPE_LINUX_SLL },
  { expr: 'broadcast', message: 'not a broadcast link', linkType: LINKTYPE_RAW },
  { expr: 'ether host 00:11:22:33:44:55', message: 'ethernet addresses supported only on ethernet/FDDI/token ring/802.11/ATM LANE/Fibre Channel', linkType: LINKTYPE_RAW },
  { expr: 'ether src 00:11:22:33:44:55', message: 'ethernet addresses supported only on ethernet/FDDI/token ring/802.11/ATM LANE/Fibre Channel', linkType: LINKTYPE_NULL },
  { expr: 'inbound', message: 'inbound/outbound not supported on Ethernet when reading savefiles' },
  { expr: 'ifindex 1', message: 'ifindex not supported on Linux cooked v1 when reading savefiles', linkType: LINKTYPE_LINUX_SLL },
  { expr: 'ifname lo', message: 'ifname supported only on PF linktype' },
  { expr: 'vlan', message: 'no VLAN support for Linux cooked v2', linkType: LINKTYPE_LINUX_SLL2 },
  { expr: 'arp', message: 'expression rejects all packets', linkType: LINKTYPE_IPV4 },
];

test('rejected expressions fail with libpcap\'s message', () => {
  for (const r of REJECTED) {
    assert.throws(
      () => compileFilter(r.expr, r.linkType ?? LINKTYPE_ETHERNET),
      (err: unknown) => {
        assert.ok(err instanceof FilterError, `${r.expr}: not a FilterError`);
        assert.equal(err.problem, r.message, r.expr);
        if (r.column !== undefined) assert.equal(err.column, r.column, `${r.expr}: column`);
        return true;
      },
      r.expr,
    );
  }
});

test('what libpcap accepts compiles (range contradictions and protochain are not analysed)', () => {
  for (const expr of ['less 10 and greater 100', 'ip6 protochain 6 and 0 = 2', 'ip and 0 = (2 + 2)', 'len >= 0', 'portrange 200-100x', 'port domain', 'inbound']) {
    const linkType = expr === 'inbound' ? LINKTYPE_LINUX_SLL2 : LINKTYPE_ETHERNET;
    assert.equal(typeof compileFilter(expr, linkType), 'function', expr);
  }
});

test('large filters compile, and absurdly deep ones fail with a filter error, never a crash', () => {
  const ports = Array.from({ length: 1000 }, (_, i) => `port ${i + 1}`).join(' or ');
  const f = compileFilter(ports, LINKTYPE_ETHERNET);
  const syn = Uint8Array.from([
    ...[0, 0x66, 0x77, 0x88, 0x99, 0xaa, 0, 0x11, 0x22, 0x33, 0x44, 0x55, 8, 0],
    ...[0x45, 0, 0, 40, 0, 0, 0, 0, 64, 6, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2],
    ...[0x9c, 0x40, 0x03, 0xe8, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 2, 0xff, 0xff, 0, 0, 0, 0],
  ]);
  assert.equal(f(syn, 0, syn.length, syn.length), true, 'port 1000 is in the list');
  syn[37] = 0xe9; // port 1001
  assert.equal(f(syn, 0, syn.length, syn.length), false);
  for (const deep of ['not '.repeat(100000) + 'tcp', '('.repeat(100000) + 'tcp' + ')'.repeat(100000)]) {
    assert.throws(() => compileFilter(deep, LINKTYPE_ETHERNET), (err: unknown) => err instanceof FilterError && err.problem === 'expression too complex');
  }
});

test('byte N & V and byte N | V test the accumulator, as libpcap 1.10.3 compiles them', () => {
  // 10.0.0.1 -> 10.0.0.2 UDP: after `udp` the accumulator holds the protocol number, 17.
  const udp = Uint8Array.from([
    ...[0, 0x66, 0x77, 0x88, 0x99, 0xaa, 0, 0x11, 0x22, 0x33, 0x44, 0x55, 8, 0],
    ...[0x45, 0, 0, 28, 0, 0, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2],
    ...[0x82, 0x35, 0, 53, 0, 8, 0, 0],
  ]);
  const run = (expr: string): boolean => compileFilter(expr, LINKTYPE_ETHERNET)(udp, 0, udp.length, udp.length);
  assert.equal(run('byte 23 & 1'), false, 'A is 0 at the start');
  assert.equal(run('byte 23 | 1'), true);
  assert.equal(run('udp and byte 0 & 0x11'), true, 'A holds 17 after udp');
  assert.equal(run('ip[0] = 0x45 and byte 1 & 0x40'), false, 'a relation leaves A = left - right = 0');
});
