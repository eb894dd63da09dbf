/**
 * Differential test on every link type in the corpus (LINUX_SLL, LINUX_SLL2, NULL, RAW, IPV4, IPV6 and
 * Ethernet with VLANs): a fixed list of expressions, pcapsift's frames against those of `tcpdump -w`
 * (records matched back to the input in order, as the corpus README describes). Skips without tcpdump.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compileFilter, FilterError } from '../../src/filter/index.js';
import { loadCapture } from './capture-util.js';
import { haveTcpdump, tcpdumpWrite } from './tcpdump.js';
import { tempDir } from '../temp.js';

const CORPUS = path.resolve('..', 'shared', 'corpus');
const haveCorpus = fs.existsSync(path.join(CORPUS, 'filters.json'));

const CAPTURES = [
  'lo_nmap-any-sll-nano.pcap', 'mk_nmap-any-sll_be-nano.pcap', 'lo_web-any-sll2.pcap', 'zeek_linux_dlt_sll2.pcap',
  'sv_http-ipv6-null.pcap', 'td_dns-badcookie.pcap', 'td_LINKTYPE_RAW_ipv4.pcap', 'td_LINKTYPE_RAW_ipv6.pcap',
  'td_LINKTYPE_IPV4.pcap', 'td_LINKTYPE_IPV6.pcap', 'lo_web-lo.pcap', 'mk_tcp_ports_snap96.pcap',
];
const EXPRESSIONS = [
  'tcp', 'udp', 'ip', 'ip6', 'arp', 'icmp or icmp6', 'port 80 or port 53', 'tcp dst portrange 20-443', 'host 127.0.0.1 or ::1',
  'net 127.0.0.0/8 and not port 80', 'tcp[13] = 18', 'tcp[tcpflags] & (tcp-syn|tcp-fin) != 0', 'udp[8] & 0x07 == 4',
  'ip6 protochain 58', 'ip6 protochain 6', 'ip proto 1', 'proto \\udp', 'greater 100', 'less 80', 'len > 96', 'inbound',
  'outbound', 'ifindex 1', 'ip6 multicast', 'ip broadcast', 'ip[6:2] & 0x3fff != 0', 'ip6[6] == 0 or ip6[6] == 60',
  'not ip[80] = 1', 'tcp[((tcp[12:1] & 0xf0) >> 2):4] = 0x48545450', 'src host 127.0.0.1 and tcp src port 80 or 53', 'vlan',
  'broadcast', 'ether host 00:00:00:00:00:00', 'stp',
];

/** tcpdump's selection as 1-based frames, or its error. */
function tcpdumpFrames(file: string, expression: string, records: string[], out: string): number[] | string {
  const t = tcpdumpWrite(file, out, expression);
  if (t.status !== 0) return 'rejected';
  const written = fs.readFileSync(out);
  const little = written.readUInt32LE(0) === 0xa1b2c3d4 || written.readUInt32LE(0) === 0xa1b23c4d;
  const frames: number[] = [];
  let pos = 24;
  let j = 0;
  while (pos + 16 <= written.length) {
    const caplen = little ? written.readUInt32LE(pos + 8) : written.readUInt32BE(pos + 8);
    const wirelen = little ? written.readUInt32LE(pos + 12) : written.readUInt32BE(pos + 12);
    const key = `${written.subarray(pos + 16, pos + 16 + caplen).toString('hex')}/${wirelen}`;
    while (j < records.length && records[j] !== key) j++;
    frames.push(++j);
    pos += 16 + caplen;
  }
  return frames;
}

test('every link type selects what tcpdump selects', { skip: (!haveCorpus && 'no corpus') || (!haveTcpdump() && 'tcpdump not installed') }, async () => {
  const dir = tempDir('lt-');
  let compared = 0;
  try {
    for (const name of CAPTURES) {
      const file = path.join(CORPUS, 'pcaps', name);
      if (!fs.existsSync(file)) continue;
      const cap = await loadCapture(file);
      const records = cap.packets.map((p) => `${p.data.toString('hex')}/${p.wirelen}`);
      for (const expression of EXPRESSIONS) {
        const want = tcpdumpFrames(file, expression, records, path.join(dir, 'out.pcap'));
        let got: number[] | string;
        try {
          const f = compileFilter(expression, cap.linkType, { bigEndianFile: cap.bigEndian });
          got = [];
          cap.packets.forEach((p, i) => {
            if (f(p.data, 0, p.caplen, p.wirelen)) (got as number[]).push(i + 1);
          });
        } catch (err) {
          if (!(err instanceof FilterError)) throw err;
          got = 'rejected';
        }
        assert.deepEqual(got, want, `${name} '${expression}'`);
        compared++;
      }
    }
    console.log(`link types: ${compared} (capture, expression) pairs agree with tcpdump`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
