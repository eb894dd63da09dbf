/**
 * Filter benchmark (not part of the test run): predicate evaluations per second and heap growth per
 * million packets, for a few typical expressions over the matrix packets or a capture.
 *   node dist/test/filter/bench-filter.js [CAPTURE]
 */
import { LINKTYPE_ETHERNET } from '../../src/capture/link-types.js';
import { compileFilter } from '../../src/filter/index.js';
import { loadCapture } from './capture-util.js';
import { matrix } from './matrix-data.js';

const EXPRESSIONS = [
  'tcp[tcpflags] == (tcp-syn|tcp-ack)',
  'host 10.0.0.2 and port 80',
  'tcp[((tcp[12:1] & 0xf0) >> 2):4] = 0x48545450',
  'not ip[80] = 1 or vlan and udp',
  'net 10.0.0.0/24 and (port 53 or port 443 or portrange 8000-8100)',
];

const file = process.argv[2];
let packets: { data: Uint8Array; caplen: number; wirelen: number }[];
let linkType = LINKTYPE_ETHERNET;
if (file !== undefined) {
  const cap = await loadCapture(file);
  packets = cap.packets;
  linkType = cap.linkType;
} else {
  packets = matrix().map((p) => ({ data: p.bytes, caplen: p.caplen, wirelen: p.wirelen }));
}
const N = 10_000_000;
for (const expr of EXPRESSIONS) {
  const f = compileFilter(expr, linkType);
  let matched = 0;
  for (let i = 0; i < 100_000; i++) {
    const p = packets[i % packets.length]!;
    if (f(p.data, 0, p.caplen, p.wirelen)) matched++;
  }
  const heap0 = process.memoryUsage().heapUsed;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i++) {
    const p = packets[i % packets.length]!;
    if (f(p.data, 0, p.caplen, p.wirelen)) matched++;
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const growth = (process.memoryUsage().heapUsed - heap0) / (N / 1e6);
  console.log(`${(N / seconds / 1e6).toFixed(1).padStart(6)} M packets/s ${((seconds / N) * 1e9).toFixed(1).padStart(5)} ns  heap ${(growth / 1024).toFixed(1)} KiB/M  ${expr}`);
}
