import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { readCapture } from '../../src/capture/reader.js';
import * as B from '../../src/gen/bench-capture.js';
import { tempDir } from '../temp.js';

const TCPDUMP = '/usr/bin/tcpdump';
const haveTcpdump = fs.existsSync(TCPDUMP);
const N = 20_000;
const dir = tempDir('bench-');

function make(name: string, packets: number, seed?: string): { file: string; truth: B.BenchTruth } {
  const file = path.join(dir, name);
  const fd = fs.openSync(file, 'w');
  const truth = B.writeBenchCapture(fd, { packets, ...(seed ? { seed } : {}) });
  fs.closeSync(fd);
  return { file, truth };
}

const sha = (f: string) => crypto.createHash('sha256').update(fs.readFileSync(f)).digest('hex');
const a = make('a.pcap', N);

test('a bench slice is deterministic, and the seed changes it', () => {
  const b = make('b.pcap', N);
  assert.equal(sha(a.file), sha(b.file));
  assert.deepEqual(a.truth, b.truth);
  assert.notEqual(sha(make('c.pcap', N, 'other').file), sha(a.file));
  assert.equal(fs.statSync(a.file).size, a.truth.fileBytes);
});

/** Independently recounts flows and protocol mix from the bytes. */
async function recount(file: string) {
  const tcp = new Set<string>();
  const udp = new Set<string>();
  let v4 = 0;
  let v6 = 0;
  let packets = 0;
  let outsideNet = 0;
  let beaconSyns = 0;
  let nx = 0;
  const addr = (b: Buffer, at: number, v6: boolean) => (v6 ? b.toString('hex', at, at + 16) : `${b[at]}.${b[at + 1]}.${b[at + 2]}.${b[at + 3]}`);
  let first = 0;
  let last = 0;
  await readCapture(file, {
    onPacket: (p) => {
      packets++;
      const b = p.data;
      const o = p.offset;
      const t = p.tsSec + p.tsNsec / 1e9;
      if (packets === 1) first = t;
      assert.ok(t >= last, 'time order');
      last = t;
      const type = b.readUInt16BE(o + 12);
      if (type === 0x0806) return;
      const isV6 = type === 0x86dd;
      if (isV6) v6++;
      else v4++;
      const ip = o + 14;
      const hl = isV6 ? 40 : (b[ip]! & 15) * 4;
      const proto = isV6 ? b[ip + 6]! : b[ip + 9]!;
      const src = addr(b, isV6 ? ip + 8 : ip + 12, isV6);
      const dst = addr(b, isV6 ? ip + 24 : ip + 16, isV6);
      if (!isV6 && !src.startsWith('10.20.') && !dst.startsWith('10.20.')) outsideNet++;
      const l4 = ip + hl;
      const sport = b.readUInt16BE(l4);
      const dport = b.readUInt16BE(l4 + 2);
      if (proto === 6) {
        const flags = b[l4 + 13]!;
        if ((flags & 0x12) === 0x02) {
          tcp.add(`${src}.${sport}>${dst}.${dport}`);
          if (src === B.BENCH_BEACON_HOST && dst === B.BENCH_BEACON_SERVER) beaconSyns++;
        }
      } else if (proto === 17) {
        const key = sport === 53 || sport === 123 ? `${dst}.${dport}>${src}.${sport}` : `${src}.${sport}>${dst}.${dport}`;
        udp.add(key);
        if (sport === 53 && (b[l4 + 8 + 3]! & 15) === 3) nx++;
      }
    },
  });
  return { tcp: tcp.size, udp: udp.size, v4, v6, packets, outsideNet, beaconSyns, nx, first, last };
}

test('the slice has the promised mix, and its printed truth matches the bytes', async () => {
  const r = await recount(a.file);
  const t = a.truth;
  assert.equal(r.packets, N);
  assert.equal(t.packets, N);
  assert.equal(r.tcp, t.tcpFlows); // an unanswered SYN's retransmission is the same flow
  assert.equal(r.udp, t.udpFlows);
  assert.equal(r.v4, t.ipv4Packets);
  assert.equal(r.v6, t.ipv6Packets);
  assert.equal(r.outsideNet, 0, 'every IPv4 packet has an end in 10.20.0.0/16');
  assert.equal(r.beaconSyns, t.beacons);
  assert.equal(r.nx, t.dnsNxdomain);
  assert.ok(t.beacons >= 1);
  assert.ok(t.ipv6Packets > N * 0.08 && t.ipv4Packets > N * 0.7);
  assert.ok(t.scanProbes > N * 0.02);
  assert.ok(t.httpFlows > 0 && t.tlsFlows > t.httpFlows);
  assert.ok(t.dnsQueries > 0 && t.dnsNxdomain > 0 && t.dnsUnanswered > 0);
  // Every silent-server request goes unanswered; a few others may still await their reply at the slice end.
  assert.ok(t.ntpSilentRequests > 0 && t.ntpSilentRequests <= t.ntpRequests - t.ntpResponses);
  assert.ok(t.tcpRefused > 0 && t.tcpUnanswered > 0 && t.tcpHalfOpen > 0 && t.tcpAborted > 0);
  // Flow density that scales to >= 200 k TCP and >= 500 k UDP flows at 10 M packets.
  assert.ok((t.tcpFlows / N) * 10_000_000 >= 200_000, `tcp flows ${t.tcpFlows}`);
  assert.ok((t.udpFlows / N) * 10_000_000 >= 500_000, `udp flows ${t.udpFlows}`);
  // And bytes that scale to >= 1.5 GB.
  assert.ok((t.fileBytes / N) * 10_000_000 >= 1.5e9, `bytes ${t.fileBytes}`);
  assert.ok(Math.abs(r.first - t.firstTime) < 1e-3 && Math.abs(r.last - t.lastTime) < 1e-6);
});

test('tcpdump reads the slice with no bad checksum', { skip: !haveTcpdump }, () => {
  const r = spawnSync(TCPDUMP, ['-nn', '-vv', '-r', a.file], { encoding: 'utf8', maxBuffer: 512 << 20 });
  assert.equal(r.status, 0, r.stderr);
  assert.doesNotMatch(r.stdout, /incorrect|bad (udp |tcp )?c?k?sum|\[bad/i);
  const lines = r.stdout.split('\n');
  assert.ok(lines.some((l) => / > 10\.20\.0\.5[34]\.53: .*A\? /.test(l)));
  assert.ok(lines.some((l) => /NXDomain/.test(l)));
  assert.ok(lines.some((l) => /NTPv4, Server/.test(l)));
  assert.ok(lines.some((l) => /HTTP: GET \//.test(l)) || lines.some((l) => /GET \/.* HTTP\/1\.1/.test(l)));
  assert.ok(lines.some((l) => /ARP, .*Request who-has/.test(l)));
});

test('make-bench-capture prints the truth and refuses bad arguments', () => {
  const script = path.resolve('dist', 'src', 'gen', 'make-bench-capture.js');
  const out = path.join(dir, 'cli.pcap');
  const r = spawnSync(process.execPath, [script, out, '--packets', '3000'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /^packets: 3000$/m);
  assert.match(r.stderr, /^tcpFlows: \d+$/m);
  assert.match(r.stderr, /^fileBytes: \d+$/m);
  const bad = spawnSync(process.execPath, [script, out, '--packets', 'x'], { encoding: 'utf8' });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--packets wants a positive integer/);
  const none = spawnSync(process.execPath, [script], { encoding: 'utf8' });
  assert.equal(none.status, 2);
});
