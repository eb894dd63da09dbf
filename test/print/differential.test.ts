/**
 * pcapsift against the installed tcpdump for flag combinations the goldens do not cover. Skips cleanly
 * without /usr/bin/tcpdump or the corpus.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import type { PrintOptions } from '../../src/print/options.js';
import { CORPUS, firstDifference, haveCorpus, printCapture, printOptions } from './corpus-print.js';

const TCPDUMP = '/usr/bin/tcpdump';
const haveTcpdump = fs.existsSync(TCPDUMP);

const CAPTURES = [
  'lo_web-lo.pcap',
  'lo_nmap-any-sll-nano.pcap',
  'ppa_icmp_traceroute.pcapng',
  'zeek_icmp_icmp6-nd-options.pcap',
  'td_tcp-handshake-nano.pcap',
  'sv_syn_retransmit_with_ts.pcap',
  'zeek_vlan-qinqinq.pcap',
  'ppa_http_post.pcapng',
];

const FLAGS: Array<[string[], Partial<PrintOptions>, number]> = [
  [['-S'], { absoluteSeq: true }, -1],
  [['-#'], { packetNumbers: true }, -1],
  [['-t'], { timestamps: 1 }, -1],
  [['-tt'], { timestamps: 2 }, -1],
  [['-ttt'], { timestamps: 3 }, -1],
  [['-ttttt'], { timestamps: 5 }, -1],
  [['--nano'], { nano: true }, -1],
  [['-x'], { hex: 1 }, -1],
  [['-xx'], { hex: 2 }, -1],
  [['-X'], { hexAscii: 1 }, -1],
  [['-XX'], { hexAscii: 2 }, -1],
  [['-A'], { ascii: 1 }, -1],
  [['-vv'], { verbose: 2 }, -1],
  [['-c', '5'], {}, 5],
  [['-e', '-v', '-S', '-#'], { linkHeader: true, verbose: 1, absoluteSeq: true, packetNumbers: true }, -1],
];

test('differential: pcapsift prints what tcpdump prints for flags without goldens', { skip: !haveTcpdump || !haveCorpus }, async (t) => {
  const failures: string[] = [];
  let pass = 0;
  for (const name of CAPTURES) {
    const file = path.join(CORPUS, 'pcaps', name);
    for (const [flags, extra, limit] of FLAGS) {
      const r = spawnSync(TCPDUMP, ['-nn', ...flags, '-r', file], { encoding: 'latin1', env: { ...process.env, TZ: 'UTC', LC_ALL: 'C' } });
      if (r.error) continue;
      const { text } = await printCapture(file, printOptions(extra), limit);
      const diff = firstDifference(r.stdout, Buffer.from(text, 'utf8').toString('latin1'));
      if (diff === '') pass++;
      else failures.push(`${name} ${flags.join(' ')}: ${diff}`);
    }
  }
  t.diagnostic(`${pass} passed, ${failures.length} failed`);
  assert.deepEqual(failures, []);
});
