/**
 * Flow tracking against Wireshark's conversation tables: for each TCP and UDP 5-tuple, the packets each
 * way must equal `tshark -z conv,tcp -z conv,udp` (reassembly of IP fragments off, so both sides count the
 * first fragment, which carries the ports, and not the rest). pcapsift splits a 5-tuple into several
 * flows on idle timeouts and port reuse where Wireshark may not, so flows are summed per 5-tuple first.
 * Runs on the corpus captures tcpdump reads to the end, smallest first, within a time budget; skips
 * without tshark or the corpus.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { conversations } from '../../src/analyze/conversations.js';
import { CORPUS, HAVE_CORPUS } from './built.js';

const TSHARK = '/usr/bin/tshark';
const HAVE_TSHARK = fs.existsSync(TSHARK);
/** Captures compared at most (tshark takes a fraction of a second each). */
const MAX_CAPTURES = 24;
/**
 * Zeek's test of malformed Mobile IPv6 destination options (bad option lengths): Wireshark drops the
 * first packet as malformed and takes a Home Address option of length 1 as valid; pcapsift reads the UDP
 * header behind the first and only accepts 16-byte Home Address options.
 */
const KNOWN_DIFFERENT = new Set(['pcaps/zeek_ipv6-mobility-dst-opts.pcap']);

interface Manifest {
  captures: { file: string; bad: boolean; bytes: number; tcpdump: { exit_status: number } }[];
}

/** Splits `ADDRESS:PORT` (IPv6 addresses contain colons: the port is after the last one). */
function endpoint(text: string): string {
  const i = text.lastIndexOf(':');
  return `${text.slice(0, i)}|${text.slice(i + 1)}`;
}

/** Per "proto A B" (A sorted before B): packets A->B and B->A. */
function tsharkConversations(file: string): Map<string, [number, number]> {
  const r = spawnSync(TSHARK, ['-n', '-q', '-o', 'ip.defragment:FALSE', '-o', 'ipv6.defragment:FALSE', '-z', 'conv,tcp', '-z', 'conv,udp', '-r', file], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  const out = new Map<string, [number, number]>();
  let proto = '';
  for (const line of r.stdout.split('\n')) {
    if (line.startsWith('TCP Conversations')) proto = 'tcp';
    else if (line.startsWith('UDP Conversations')) proto = 'udp';
    const m = /^(\S+)\s+<->\s+(\S+)\s+(\d+)\s+\S+\s+\S+\s+(\d+)\s+\S+\s+\S+\s+\d+/.exec(line);
    if (m === null) continue;
    // "<-" counts frames toward the first endpoint, "->" frames from it.
    add(out, proto, endpoint(m[1]!), endpoint(m[2]!), Number(m[4]), Number(m[3]));
  }
  return out;
}

function add(m: Map<string, [number, number]>, proto: string, a: string, b: string, ab: number, ba: number): void {
  const [x, y, xy, yx] = a <= b ? [a, b, ab, ba] : [b, a, ba, ab];
  const key = `${proto} ${x} ${y}`;
  const cur = m.get(key) ?? [0, 0];
  m.set(key, [cur[0] + xy, cur[1] + yx]);
}

const skip = !HAVE_TSHARK ? 'tshark not installed' : !HAVE_CORPUS ? 'corpus not present' : false;
const captures = skip
  ? []
  : (JSON.parse(fs.readFileSync(path.join(CORPUS, 'manifest.json'), 'utf8')) as Manifest).captures
      .filter((c) => !c.bad && c.tcpdump.exit_status === 0 && !KNOWN_DIFFERENT.has(c.file))
      .sort((a, b) => a.bytes - b.bytes);

test('TCP and UDP packets per 5-tuple agree with tshark conversations', { skip }, async (t) => {
  let compared = 0;
  for (const c of captures) {
    if (compared >= MAX_CAPTURES) break;
    const file = path.join(CORPUS, c.file);
    const want = tsharkConversations(file);
    if (want.size === 0) continue;
    compared++;
    await t.test(path.basename(file), async () => {
      const got = new Map<string, [number, number]>();
      for (const f of (await conversations(file)).conversations) {
        if (f.proto !== 'tcp' && f.proto !== 'udp') continue;
        add(got, f.proto, `${f.orig.ip}|${f.orig.port}`, `${f.resp.ip}|${f.resp.port}`, f.packets.orig, f.packets.resp);
      }
      assert.deepEqual([...got.entries()].sort(), [...want.entries()].sort());
    });
  }
  t.diagnostic(`${compared} captures compared with tshark`);
});
