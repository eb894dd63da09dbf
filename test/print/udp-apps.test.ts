import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { readCapture } from '../../src/capture/reader.js';
import { printDomain } from '../../src/print/dns.js';
import { Line, TRUNCATED } from '../../src/print/line.js';
import { defaultPrintOptions } from '../../src/print/options.js';
import { udpApplicationPrinter, UDP_APPLICATION_PRINTERS } from '../../src/print/udp-apps.js';
import { CORPUS, firstDifference, goldenEntries, haveCorpus, haveTcpdump, transportPayload } from './app-payloads.js';

test('UDP application dispatch follows tcpdump\'s port order', () => {
  const printerFor = (port: number) => UDP_APPLICATION_PRINTERS.find(([ports]) => ports.includes(port))![1];
  assert.equal(udpApplicationPrinter(40000, 53), printerFor(53));
  assert.equal(udpApplicationPrinter(5353, 123), printerFor(123)); // NTP is tried before mDNS
  assert.equal(udpApplicationPrinter(68, 53), printerFor(53));
  assert.equal(udpApplicationPrinter(547, 161), printerFor(161));
  assert.equal(udpApplicationPrinter(17754, 5353), printerFor(5353));
  assert.equal(udpApplicationPrinter(40000, 40001), null);
});

test('differential: the corpus captures with DNS, NTP, DHCP, SNMP at -vv and -vvv print as the real tcpdump', { skip: !haveTcpdump || !haveCorpus }, async () => {
  const names = [
    'td_dns_udp.pcap', 'td_dns_tcp.pcap', 'td_edns-opts.pcap', 'td_dns-badcookie.pcap', 'zeek_dns_mdns.pcap',
    'ppa_dns_tcp.pcapng', 'ppa_dns_axfr.pcapng', 'ppa_dns_query_response.pcapng', 'td_ntp.pcap', 'td_ntp-time.pcap',
    'zeek_ntp_ntp.pcap', 'sv_ntp-keywords.pcap', 'lo_nmap-sU-lo.pcap', 'ppa_dhcp6_outlease_acquisition.pcapng',
    'ppa_dhcp_nolease_initialization.pcapng', 'td_dhcp-option-108.pcapng', 'kup_udp_scan.pcapng', 'lo_web-lo.pcap',
  ];
  let checked = 0;
  const failures: string[] = [];
  const line = new Line();
  for (const name of names) {
    const file = path.join(CORPUS, 'pcaps', name);
    if (!fs.existsSync(file)) continue;
    for (const verbose of [2, 3]) {
      const r = spawnSync('/usr/bin/tcpdump', ['-nn', '-' + 'v'.repeat(verbose), '-r', file],
        { encoding: 'latin1', env: { ...process.env, TZ: 'UTC', LC_ALL: 'C' }, maxBuffer: 1 << 28 });
      const entries = goldenEntries(r.stdout);
      const opts = { ...defaultPrintOptions(), numeric: 2, verbose };
      let i = 0;
      await readCapture(file, {
        onPacket: (rec) => {
          const entry = entries[i++];
          const t = transportPayload(rec);
          if (entry === undefined || !t) return;
          line.reset();
          try {
            if (t.proto === 'udp') {
              const printer = udpApplicationPrinter(t.sport, t.dport);
              if (!printer) return;
              printer(line, rec.data, t.off, t.length, t.capEnd, opts);
            } else if ((t.sport === 53 || t.dport === 53) && t.length > 0) {
              printDomain(line, rec.data, t.off, t.length, t.capEnd, opts, true, false);
            } else {
              return;
            }
          } catch (e) {
            if (e !== TRUNCATED) throw e;
            line.text += ` [|${line.protocol}]`;
          }
          checked++;
          if (!entry.endsWith(line.text)) failures.push(`${name} #${rec.frame} -v x${verbose}: ${firstDifference(entry, line.text)}`);
        },
      });
    }
  }
  assert.ok(checked > 200, `only ${checked} packets`);
  assert.deepEqual(failures.slice(0, 3), []);
});
