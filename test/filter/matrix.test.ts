/**
 * The 19-packet matrix of FILTER-SEMANTICS.md §7, built byte by byte, with tcpdump's verdict for each row;
 * and, where tcpdump is installed, the same matrix through the real tcpdump as a cross-check.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LINKTYPE_ETHERNET } from '../../src/capture/link-types.js';
import { pcapBytes } from '../../src/capture/pcap-writer.js';
import { compileFilter } from '../../src/filter/index.js';
import { matrix } from './matrix-data.js';
import type { TestPacket } from './packets.js';
import { tcpdumpSelects, haveTcpdump } from './tcpdump.js';
import { tempDir } from '../temp.js';

const range = (a: number, b: number): number[] => Array.from({ length: b - a + 1 }, (_, i) => a + i);

/** FILTER-SEMANTICS.md §7, as tcpdump 4.99.3 behaves. */
export const MATRIX_ROWS: readonly [string, number[]][] = [
  ['port 80', [1, 2, 4, 5, 18, 19]],
  ['tcp', [1, 2, 3, 4, 5, 7, 12, 13, 14, 17, 18, 19]],
  ['ip6 protochain 6', [5, 6, 7]],
  ['tcp[tcpflags] & tcp-syn != 0', [1, 2, 4, 14, 19]],
  ['tcp[tcpflags] == (tcp-syn|tcp-ack)', [2]],
  ['host 10.0.0.2', [...range(1, 4), 8, ...range(10, 14), ...range(17, 19)]],
  ['ip host 10.0.0.2', [...range(1, 4), ...range(10, 14), ...range(17, 19)]],
  ['vlan or port 80', [9]],
  ['port 80 or vlan', [1, 2, 4, 5, 9, 18, 19]],
  ['udp or tcp and port 80', [1, 2, 4, 5, 18, 19]],
  ['udp or (tcp and port 80)', [1, 2, 4, 5, 10, 15, 16, 18, 19]],
  ['greater 200', [18]],
  ['less 60', [...range(1, 4), 8, 9, ...range(11, 17), 19]],
  ['ip broadcast', []],
  ['multicast', [8, 15, 16]],
  ['host 10.0.0', [...range(1, 4), 8, ...range(10, 19)]],
  ['not host 10.0.1.5 and 10.0.0.2', [...range(1, 4), 8, ...range(10, 14), 17, 18]],
  ['tcp dst port 22 or 443', [12, 13, 14]],
  ['not ip[80] = 1', [5, 6, 7, 8, 9, 18]],
  // More rows in the same spirit (checked against tcpdump by the cross-check below).
  ['vlan 100 and tcp port 80', [9]],
  ['ip6 and tcp', [5, 7]],
  ['ip6 and port 80', [5]],
  ['ip[6:2] & 0x1fff != 0', [3]],
  ['ip[0] & 0xf > 5', [4]],
  ['tcp[tcpflags] == 0', [13]],
  ['tcp[tcpflags] & (tcp-fin|tcp-push|tcp-urg) == (tcp-fin|tcp-push|tcp-urg)', [12]],
  ['tcp[tcpflags] & (tcp-syn|tcp-ack) == tcp-syn', [1, 4, 14, 19]],
  ['arp', [8]],
  ['icmp', [11]],
  ['udp port 53', [10]],
  ['ether broadcast', [8, 15]],
  ['ip multicast', [16]],
  ['src net 10.0.1.0/24', [19]],
  ['len >= 1000', [18]],
  ['tcp[100] == 0', []],
  ['portrange 20-25', [12, 13, 17]],
  ['ether src 00:11:22:33:44:55 and not ip', [5, 6, 7, 8, 9]],
  ['ip6 proto 6', [5, 7]],
  ['proto 6', [1, 2, 3, 4, 5, 7, 12, 13, 14, 17, 18, 19]],
  ['tcp src port 22 or tcp src port 80', [2, 17, 18]],
];

function select(filter: string, packets: TestPacket[]): number[] {
  const f = compileFilter(filter, LINKTYPE_ETHERNET);
  const out: number[] = [];
  packets.forEach((p, i) => {
    if (f(p.bytes, 0, p.caplen, p.wirelen)) out.push(i + 1);
  });
  return out;
}

test('the 19-packet matrix: every row selects what tcpdump selects', () => {
  const packets = matrix();
  assert.equal(packets.length, 19);
  for (const [filter, want] of MATRIX_ROWS) assert.deepEqual(select(filter, packets), want, filter);
});

test('`net 10/8` is a syntax error on the matrix, as in tcpdump', () => {
  assert.throws(() => compileFilter('net 10/8', LINKTYPE_ETHERNET), /syntax error/);
});

test('the matrix rows agree with the real tcpdump', { skip: !haveTcpdump() && 'tcpdump not installed' }, () => {
  const packets = matrix();
  const dir = tempDir('matrix-');
  try {
    const file = path.join(dir, 'matrix.pcap');
    fs.writeFileSync(
      file,
      pcapBytes(
        packets.map((p, i) => ({ data: p.bytes, tsSec: 1700000000 + i, wirelen: p.wirelen })),
        { linkType: LINKTYPE_ETHERNET },
      ),
    );
    for (const [filter, want] of MATRIX_ROWS) {
      const got = tcpdumpSelects(file, filter);
      assert.deepEqual(got, want, `tcpdump disagrees with the table for '${filter}'`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
