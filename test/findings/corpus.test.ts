/**
 * The real captures of the corpus: nmap and masscan scans must yield the right kind, scanner and target;
 * benign traffic must yield no scan or beacon; every finding's filter must be one tcpdump accepts and
 * that selects the finding's sample frames.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findings, type Finding, type ScanDetails } from '../../src/analyze/findings/index.js';
import { CaptureError } from '../../src/capture/errors.js';
import { checkEvidenceFilters, HAVE_CORPUS, PCAPS, summary, TCPDUMP } from './helpers.js';

const LO = '127.0.0.1';
const LO_SCANS = ['syn-scan', 'fin-scan', 'null-scan', 'xmas-scan', 'ack-scan'].map((k) => `${k} ${LO}>${LO}`);

/** Each scan capture and exactly the findings it must give (kind source>targets). */
const SCANS: Record<string, string[]> = {
  'kup_syn_scan.pcapng': ['syn-scan 10.0.2.5>10.0.2.7'],
  'kup_fin_scan.pcapng': ['fin-scan 10.0.2.5>10.0.2.7'],
  'kup_xmas_scan.pcapng': ['xmas-scan 10.0.2.5>10.0.2.7'],
  'kup_udp_scan.pcapng': ['udp-scan 10.0.2.5>10.0.2.7'],
  'lo_nmap-sS-lo.pcap': [`syn-scan ${LO}>${LO}`],
  'lo_nmap-sF-lo.pcap': [`fin-scan ${LO}>${LO}`],
  'lo_nmap-sN-lo.pcap': [`null-scan ${LO}>${LO}`],
  'lo_nmap-sX-lo.pcap': [`xmas-scan ${LO}>${LO}`],
  'lo_nmap-sA-lo.pcap': [`ack-scan ${LO}>${LO}`],
  'lo_nmap-sU-lo.pcap': [`udp-scan ${LO}>${LO}`],
  'lo_nmap6-sS-lo.pcap': ['syn-scan ::1>::1'],
  'lo_nmap-any-sll-nano.pcap': [...LO_SCANS, 'syn-scan ::1>::1', `udp-scan ${LO}>${LO}`],
  'esnet_nmap_80_vanilla.pcap': ['connect-scan 10.87.1.10>130.211.223.103'],
  'esnet_masscan_tcp_0_1000.pcap': ['syn-scan 172.31.15.102>198.124.152.15'],
  'ppa_synscan.pcapng': ['syn-scan 172.16.0.8>64.13.134.52'],
};

/** Captures libpcap itself stops reading with an error (tcpdump's exit status is not 0). */
function unreadableByTcpdump(): Set<string> {
  const m = JSON.parse(fs.readFileSync(path.join(PCAPS, '..', 'manifest.json'), 'utf8')) as { captures: { file: string; tcpdump: { exit_status: number } }[] };
  return new Set(m.captures.filter((c) => c.tcpdump.exit_status !== 0).map((c) => path.basename(c.file)));
}

function benign(): string[] {
  if (!HAVE_CORPUS) return [];
  return fs.readdirSync(PCAPS).filter((f) => /^(ppa_http_|ppa_dns_)/.test(f) || f === 'lo_web-lo.pcap' || f === 'ppa_tcp_handshake.pcapng').sort();
}

const sorted = (xs: string[]): string[] => [...xs].sort();

test('nmap and masscan captures: the right scan kind, scanner and target', { skip: !HAVE_CORPUS }, async () => {
  for (const [file, expected] of Object.entries(SCANS)) {
    const list = await findings(path.join(PCAPS, file));
    const scans = summary(list).filter((s) => s.split(' ')[0]!.endsWith('-scan'));
    assert.deepEqual(sorted(scans), sorted(expected), file);
    assert.deepEqual(list.filter((f) => f.kind === 'beacon'), [], `${file}: a scan is not a beacon`);
  }
});

test('scan details match what the docs count on the wire', { skip: !HAVE_CORPUS }, async () => {
  const syn = (await findings(path.join(PCAPS, 'kup_syn_scan.pcapng'))).find((f) => f.kind === 'syn-scan')!;
  const d = syn.details as ScanDetails;
  assert.equal(d.shape, 'vertical');
  assert.equal(d.open.length, 23);
  assert.equal(d.closed, 977);
  assert.equal(syn.ports.length, 1000);
  assert.equal(syn.severity, 'high');
  const fin = (await findings(path.join(PCAPS, 'kup_fin_scan.pcapng'))).find((f) => f.kind === 'fin-scan')!;
  assert.equal((fin.details as ScanDetails).closed, 977);
  const ack = (await findings(path.join(PCAPS, 'lo_nmap-sA-lo.pcap'))).find((f) => f.kind === 'ack-scan')!;
  assert.equal((ack.details as ScanDetails).closed, 13); // open 53/80/443 answer RST like closed ones
  const sS = (await findings(path.join(PCAPS, 'lo_nmap-sS-lo.pcap')))[0]!;
  assert.deepEqual((sS.details as ScanDetails).open, ['127.0.0.1:53', '127.0.0.1:80', '127.0.0.1:443']);
  const masscan = (await findings(path.join(PCAPS, 'esnet_masscan_tcp_0_1000.pcap')))[0]!;
  assert.equal((masscan.details as ScanDetails).silent, masscan.ports.length);
  assert.equal((masscan.details as ScanDetails).probe, 'SYN, win 1024, no options');
  const connect = (await findings(path.join(PCAPS, 'esnet_nmap_80_vanilla.pcap')))[0]!;
  assert.deepEqual(connect.ports, [80, 443]);
  assert.equal(connect.severity, 'low');
});

test('benign captures: no scan and no beacon', { skip: !HAVE_CORPUS }, async () => {
  const files = benign();
  assert.ok(files.length >= 6, `benign captures found: ${files.join(', ')}`);
  for (const file of files) {
    const list = await findings(path.join(PCAPS, file));
    assert.deepEqual(summary(list).filter((s) => /scan|beacon|flood|storm/.test(s)), [], file);
  }
});

test('every capture of the corpus: findings never throw, and every filter selects its evidence in tcpdump', { skip: !HAVE_CORPUS }, async () => {
  const problems: string[] = [];
  let checked = 0;
  const unreadable = unreadableByTcpdump();
  for (const file of fs.readdirSync(PCAPS).filter((f) => /\.pcap(ng)?$/.test(f)).sort()) {
    const full = path.join(PCAPS, file);
    let list: Finding[];
    try {
      list = await findings(full);
    } catch (e) {
      if (e instanceof CaptureError) continue; // the files libpcap itself cannot read to the end
      throw e;
    }
    for (const f of list) {
      assert.ok(f.frames.length > 0, `${file} ${f.kind}: no sample frames`);
      assert.ok(f.start <= f.end, `${file} ${f.kind}: start after end`);
      assert.ok(f.explanation.length > 40, `${file} ${f.kind}: no explanation`);
    }
    if (TCPDUMP !== undefined && list.length > 0 && !unreadable.has(file)) {
      problems.push(...(await checkEvidenceFilters(full, list)));
      checked += list.length;
    }
  }
  assert.deepEqual(problems, []);
  if (TCPDUMP !== undefined) assert.ok(checked > 40, `only ${checked} filters checked`);
});
