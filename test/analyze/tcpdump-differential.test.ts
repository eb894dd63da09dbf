/**
 * The analyses against the tcpdump pipelines they replace, on every corpus capture with TCP or UDP:
 *   ports    tcpdump -nn -r F 'src host H' | cut -f 3 -d " " | cut -f 5 -d "." | sort | uniq -c
 *   services tcpdump -nn -r F 'src host H and (tcp or udp)' | cut -f 5 -d " " | sort | uniq -c
 *   dports   the same, port only
 *   synAcks  tcpdump -nn -r F 'tcp[tcpflags] == (tcp-syn|tcp-ack)' | wc -l
 * tcpdump runs once per capture with '(tcp or udp)' (nested under up to three VLAN tags, which tcpdump's
 * filters need spelled out) and its lines are grouped by source host, which is what 'src host H' selects.
 * Lines without ports (non-first fragments, IPv6 behind extension headers, truncated headers) are left
 * out on both sides: pcapsift does not count them as ports (--tcpdump-view drops the IPv6 ones, which
 * libpcap's filters do not walk). Skips without tcpdump or the corpus.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze, type PacketConsumer } from '../../src/analyze/analysis.js';
import { DestinationPortsConsumer } from '../../src/analyze/dports.js';
import { HandshakesConsumer } from '../../src/analyze/handshakes.js';
import { SourcePortsConsumer } from '../../src/analyze/ports.js';
import { HostServicesConsumer } from '../../src/analyze/services.js';
import type { DecodedPacket } from '../../src/decode/packet.js';
import { CORPUS, CORPUS_PCAPS, HAVE_CORPUS } from './built.js';

const TCPDUMP = '/usr/bin/tcpdump';
const HAVE_TCPDUMP = fs.existsSync(TCPDUMP);
/** Hosts compared per capture (the busiest senders), to keep the suite fast. */
const MAX_HOSTS = 12;

interface Manifest {
  captures: { file: string; bad: boolean; tcpdump: { exit_status: number } }[];
}

function tcpdump(file: string, filter: string): string[] {
  const r = spawnSync(TCPDUMP, ['-nn', '-r', file, filter], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC', LC_ALL: 'C' }, maxBuffer: 1 << 28 });
  return r.stdout.split('\n').filter((l) => l !== '');
}

/** Splits tcpdump's `ADDRESS.PORT` (IPv4 or IPv6) into address and port; undefined when there is no port. */
function splitEndpoint(text: string, v6: boolean): [string, number] | undefined {
  const i = text.lastIndexOf('.');
  if (i < 0) return undefined;
  const addr = text.slice(0, i);
  const port = text.slice(i + 1);
  if (!/^\d+$/.test(port)) return undefined;
  if (v6 ? !addr.includes(':') : addr.split('.').length !== 4) return undefined;
  return [addr, Number(port)];
}

interface HostCounts {
  lines: number;
  ports: Map<number, number>;
  services: Map<string, number>;
  dports: Map<number, number>;
}

function bump<K>(m: Map<K, number>, k: K): void {
  m.set(k, (m.get(k) ?? 0) + 1);
}

/** Groups tcpdump's TCP/UDP lines by source address, as 'src host H' would select them. */
function tcpdumpCounts(lines: readonly string[]): Map<string, HostCounts> {
  const hosts = new Map<string, HostCounts>();
  for (const line of lines) {
    const f = line.split(' ').filter((w) => w !== '');
    const at = f.findIndex((w) => w === 'IP' || w === 'IP6');
    if (at < 0 || f[at + 2] !== '>') continue;
    const v6 = f[at] === 'IP6';
    const src = splitEndpoint(f[at + 1]!, v6);
    const dst = splitEndpoint(f[at + 3]!.replace(/:$/, ''), v6);
    if (src === undefined || dst === undefined) continue;
    let h = hosts.get(src[0]);
    if (h === undefined) hosts.set(src[0], (h = { lines: 0, ports: new Map(), services: new Map(), dports: new Map() }));
    h.lines++;
    bump(h.ports, src[1]);
    bump(h.services, `${dst[0]}.${dst[1]}`);
    bump(h.dports, dst[1]);
  }
  return hosts;
}

function sumByPort(rows: readonly { port: number; packets: number }[]): Map<number, number> {
  const m = new Map<number, number>();
  for (const r of rows) m.set(r.port, (m.get(r.port) ?? 0) + r.packets);
  return m;
}

function sorted<K>(m: Map<K, number>): [K, number][] {
  return [...m.entries()].sort((a, b) => (String(a[0]) < String(b[0]) ? -1 : String(a[0]) > String(b[0]) ? 1 : 0));
}

/** Counts SYN/ACKs only where tcp[] looks: untagged IPv4. */
class Ipv4SynAcks implements PacketConsumer {
  readonly inner = new HandshakesConsumer();
  onPacket(p: DecodedPacket): void {
    if (p.ipVersion === 4 && p.vlanCount === 0) this.inner.onPacket(p);
  }
}

const TCP_OR_UDP = '(tcp or udp) or (vlan and ((tcp or udp) or (vlan and ((tcp or udp) or (vlan and (tcp or udp))))))';

const skip = !HAVE_TCPDUMP ? 'tcpdump not installed' : !HAVE_CORPUS ? 'corpus not present' : false;
const captures = skip
  ? []
  : (JSON.parse(fs.readFileSync(path.join(CORPUS, 'manifest.json'), 'utf8')) as Manifest).captures.filter((c) => !c.bad && c.tcpdump.exit_status === 0);

test('ports, services, dports and SYN/ACKs agree with the tcpdump pipelines on the corpus', { skip }, async (t) => {
  let agreed = 0;
  let withTraffic = 0;
  for (const c of captures) {
    const file = path.join(CORPUS, c.file);
    const hostsSeen = tcpdumpCounts(tcpdump(file, TCP_OR_UDP));
    const synAckLines = tcpdump(file, 'tcp[tcpflags] == (tcp-syn|tcp-ack)').length;
    if (hostsSeen.size === 0 && synAckLines === 0) continue;
    withTraffic++;
    await t.test(path.basename(file), async () => {
      const hosts = [...hostsSeen.entries()].sort((a, b) => b[1].lines - a[1].lines).slice(0, MAX_HOSTS);
      const per = hosts.map(([ip]) => ({
        ip,
        ports: new SourcePortsConsumer(ip, { tcpdumpView: true }),
        services: new HostServicesConsumer(ip, { tcpdumpView: true }),
        dports: new DestinationPortsConsumer({ host: ip, tcpdumpView: true }),
      }));
      const synAcks = new Ipv4SynAcks();
      await analyze(file, [synAcks, ...per.flatMap((h) => [h.ports, h.services, h.dports])]);
      assert.equal(synAcks.inner.synAcks, synAckLines, 'SYN/ACK segments');
      for (const h of per) {
        const want = hostsSeen.get(h.ip)!;
        assert.deepEqual(sorted(sumByPort(h.ports.counts.rows())), sorted(want.ports), `ports --host ${h.ip}`);
        const services = new Map<string, number>();
        for (const r of h.services.rows()) services.set(`${r.ip}.${r.port}`, (services.get(`${r.ip}.${r.port}`) ?? 0) + r.packets);
        assert.deepEqual(sorted(services), sorted(want.services), `services --host ${h.ip}`);
        assert.deepEqual(sorted(sumByPort(h.dports.counts.rows())), sorted(want.dports), `dports --host ${h.ip}`);
      }
      agreed++;
    });
  }
  t.diagnostic(`${agreed} of ${withTraffic} corpus captures with TCP or UDP agree with tcpdump`);
  assert.ok(withTraffic > 50, 'the corpus has TCP/UDP captures');
});
