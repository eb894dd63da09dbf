/** The analysis commands end to end: output shapes, options, filters, help, and one-line errors. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { buildWebCapture, WEB_CLIENT, WEB_RESOLVER, WEB_TRUTH } from '../../src/gen/samples.js';
import { CORPUS_PCAPS, HAVE_CORPUS, tempCapture } from '../analyze/built.js';

const MAIN = path.resolve('dist', 'src', 'cli', 'main.js');
const web = tempCapture(buildWebCapture(), 'web-cli');

function run(...args: string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

test('every analysis command has --help with examples', () => {
  for (const cmd of ['handshakes', 'ports', 'services', 'dports', 'tally', 'conversations', 'summary']) {
    const r = run(cmd, '--help');
    assert.equal(r.status, 0, cmd);
    assert.match(r.stdout, new RegExp(`usage: pcapsift ${cmd} FILE`));
    assert.match(r.stdout, /examples:/);
  }
});

test('ports prints uniq -c lines in sort -n order; --json gives rows', () => {
  const r = run('ports', web, '--host', WEB_CLIENT.ip);
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  for (const l of lines) assert.match(l, /^ {0,6}\d+ (tcp|udp) \d+$/);
  const counts = lines.map((l) => Number(l.trim().split(' ')[0]));
  assert.deepEqual(counts, [...counts].sort((a, b) => a - b));
  const j = JSON.parse(run('ports', web, '--host', WEB_CLIENT.ip, '--json', '--top', '3', '--desc').stdout) as { proto: string; port: number; packets: number }[];
  assert.equal(j.length, 3);
  assert.ok(j[0]!.packets >= j[2]!.packets);
  assert.deepEqual(Object.keys(j[0]!), ['proto', 'port', 'packets']);
});

test('services with a filter expression counts only what it selects', () => {
  const r = run('services', web, '--host', WEB_CLIENT.ip, '--json', 'udp', 'port', '53');
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), [{ proto: 'udp', ip: WEB_RESOLVER, port: 53, packets: WEB_TRUTH.dnsQueries }]);
  const t = run('services', web, '--host', WEB_CLIENT.ip, 'udp port 53');
  assert.equal(t.stdout, `${String(WEB_TRUTH.dnsQueries).padStart(7)} udp ${WEB_RESOLVER}.53\n`);
});

test('dports --csv has a header and one row per port', () => {
  const r = run('dports', web, '--csv');
  const lines = r.stdout.trimEnd().split('\n');
  assert.equal(lines[0], 'proto,port,packets');
  assert.ok(lines.includes(`udp,123,${WEB_TRUTH.ntpRequests}`));
});

test('handshakes: table summary and JSON shape', () => {
  const r = run('handshakes', web);
  assert.match(r.stdout, new RegExp(`^${WEB_TRUTH.tcpEstablished} SYN/ACK segments, ${WEB_TRUTH.tcpEstablished + 1} connection attempts: ${WEB_TRUTH.tcpEstablished} established`));
  const j = JSON.parse(run('handshakes', web, '--json').stdout) as Record<string, unknown>;
  for (const k of ['synAcks', 'established', 'attempts', 'connections']) assert.ok(k in j, k);
  const c = (j['connections'] as Record<string, unknown>[])[0]!;
  assert.deepEqual(Object.keys(c).slice(0, 6), ['client', 'clientPort', 'server', 'serverPort', 'outcome', 'firstFrame']);
});

test('conversations: table header, JSON fields, REJ for the refused connection', () => {
  const r = run('conversations', web);
  assert.match(r.stdout.split('\n')[0]!, /^start\s+duration\s+proto\s+orig\s+resp/);
  const j = JSON.parse(run('conversations', web, '--json', 'tcp').stdout) as Record<string, unknown>[];
  assert.deepEqual(Object.keys(j[0]!).slice(0, 11), ['proto', 'orig', 'resp', 'start', 'duration', 'packets', 'bytes', 'payload', 'state', 'history', 'answered']);
  assert.equal(j.filter((x) => x['state'] === 'REJ').length, 1);
  assert.equal(j.filter((x) => x['state'] === 'SF').length, WEB_TRUTH.tcpEstablished);
});

test('tally by two keys', () => {
  const r = run('tally', web, '--by', 'proto,dst.port', 'udp');
  assert.equal(r.status, 0, r.stderr);
  assert.ok(r.stdout.includes(`${String(WEB_TRUTH.ntpRequests).padStart(7)} udp 123\n`));
  assert.equal(run('tally', web, '--by', 'nosuch').status, 2);
});

test('summary shows every section', () => {
  const r = run('summary', web);
  assert.equal(r.status, 0, r.stderr);
  for (const s of ['capture', 'protocols', 'top talkers', 'handshakes', 'clients', 'UDP services', 'findings']) assert.ok(r.stdout.includes(s), s);
  const j = JSON.parse(run('summary', web, '--json', '--no-findings').stdout) as Record<string, unknown>;
  assert.equal(j['findings'], null);
});

test('conversations --json, written row by row, is the text of JSON.stringify of the rows', async () => {
  const { conversations } = await import('../../src/analyze/conversations.js');
  const files = [web];
  if (HAVE_CORPUS) for (const name of ['lo_nmap-sU-lo.pcap', 'lo_nmap6-sS-lo.pcap', 'ppa_icmp_traceroute.pcapng', 'mk_nmap-any-sll-nano.pcapng']) files.push(path.join(CORPUS_PCAPS, name));
  for (const file of files) {
    const rows = (await conversations(file)).conversations.map((x) => ({
      proto: x.proto, orig: x.orig, resp: x.resp, start: x.start, duration: x.duration, packets: x.packets, bytes: x.bytes,
      payload: x.payload, state: x.state, history: x.history, answered: x.answered, rejected: x.rejected, firstFrame: x.firstFrame,
    }));
    assert.ok(rows.length > 0, file);
    const r = run('conversations', file, '--json');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, JSON.stringify(rows, null, 2) + '\n', file);
  }
  assert.equal(run('conversations', web, '--json', 'host 203.0.113.99').stdout, '[]\n');
});

test('summary shows the findings counted by kind and only the first --top of them', async () => {
  const { buildScanCapture } = await import('../../src/gen/samples.js');
  const scan = tempCapture(buildScanCapture(), 'scan-cli');
  const all = run('summary', scan).stdout;
  assert.match(all, /^findings \(5: 1 syn-scan, 1 fin-scan, 1 null-scan, 1 xmas-scan, 1 udp-scan\)$/m);
  const two = run('summary', scan, '--top', '2').stdout;
  assert.equal(two.split('\n').filter((l) => /^ {2}\[(high|medium|low)\] /.test(l)).length, 2);
  assert.match(two, new RegExp(`^ {2}\\.\\.\\. 3 more: \`pcapsift findings ${scan.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\` lists them all$`, 'm'));
});

test('services --json and --csv, written row by row, are the library rows as jsonText and csvTable write them', async () => {
  const { services } = await import('../../src/analyze/services.js');
  const files = [web];
  if (HAVE_CORPUS) for (const name of ['lo_nmap6-sS-lo.pcap', 'ppa_udp_dnsrequest.pcapng']) files.push(path.join(CORPUS_PCAPS, name));
  for (const file of files) {
    for (const host of [undefined, WEB_CLIENT.ip]) {
      const rows = (await services(file, host === undefined ? {} : { host })).services;
      const hostArgs = host === undefined ? [] : ['--host', host];
      assert.equal(run('services', file, ...hostArgs, '--json').stdout, JSON.stringify(rows, null, 2) + '\n', file);
      const csv = run('services', file, ...hostArgs, '--format', 'csv').stdout.trimEnd().split('\n');
      assert.equal(csv.length, rows.length + 1, file);
      assert.equal(csv[0], host === undefined ? 'client,proto,ip,port,packets' : 'proto,ip,port,packets');
      rows.forEach((r, i) => assert.equal(csv[i + 1], [...(host === undefined ? [r.client] : []), r.proto, r.ip, r.port, r.packets].join(','), file));
    }
  }
});

test('handshakes --json and --csv, connections written one at a time, are the library result as JSON.stringify writes it (evictions too)', async () => {
  const { handshakes } = await import('../../src/analyze/handshakes.js');
  const files = [web];
  if (HAVE_CORPUS) for (const name of ['lo_nmap-sS-lo.pcap', 'lo_nmap6-sS-lo.pcap', 'esnet_nmap_80_vanilla.pcap']) files.push(path.join(CORPUS_PCAPS, name));
  for (const file of files) {
    for (const limit of [[], ['--max-flows', '3']]) {
      const flows = limit.length === 0 ? {} : { flows: { maxFlows: 3 } };
      const { capture, ...data } = await handshakes(file, flows);
      assert.ok(capture.packets > 0);
      assert.equal(run('handshakes', file, '--json', ...limit).stdout, JSON.stringify(data, null, 2) + '\n', `${file} ${limit.join(' ')}`);
      const csv = run('handshakes', file, '--format', 'csv', ...limit).stdout.trimEnd().split('\n');
      assert.equal(csv.length, data.connections.length + 1);
      data.connections.forEach((c, i) => assert.equal(csv[i + 1], [c.client, c.clientPort, c.server, c.serverPort, c.outcome, c.firstFrame, c.start].join(',')));
    }
  }
});

test('flow commands say on stderr how many flows the flow limit evicted, and only then', () => {
  for (const cmd of ['services', 'handshakes', 'conversations']) {
    const tight = run(cmd, web, '--max-flows', '2');
    assert.equal(tight.status, 0, tight.stderr);
    assert.match(tight.stderr, /^pcapsift: \d+ flows were evicted to stay within the flow limit \(--max-flows\); /m, cmd);
    assert.ok(tight.stdout.length > 0, cmd);
    const roomy = run(cmd, web);
    assert.equal(roomy.stderr, '', cmd);
  }
});

test('mistakes give one line and the usage status; a missing file gives status 1', () => {
  const noHost = run('ports', web);
  assert.equal(noHost.status, 2);
  assert.match(noHost.stderr, /^pcapsift: ports needs --host IP\n/);
  assert.equal(run('ports', web, '--host', 'nothost').status, 2);
  assert.equal(run('conversations', web, '--format', 'xml').status, 2);
  const missing = run('conversations', '/nonexistent/file.pcap');
  assert.equal(missing.status, 1);
  assert.equal(missing.stderr.trim().split('\n').length, 1);
  assert.doesNotMatch(missing.stderr, /at .*\.js:\d+/);
  const badFilter = run('dports', web, 'port', '99999');
  assert.equal(badFilter.status, 1);
  assert.equal(badFilter.stderr.trim().split('\n').length, 1);
  assert.match(badFilter.stderr, /^pcapsift: illegal port number 99999/);
});

test('a capture broken part-way: results for the packets before the fault, the fault on one line, status 1', { skip: HAVE_CORPUS ? false : 'corpus not present' }, () => {
  const r = run('tally', path.join(CORPUS_PCAPS, 'bad', 'bad_trunc-mid-record.pcap'), '--by', 'proto');
  assert.equal(r.status, 1);
  assert.equal(r.stdout.trim().split('\n').reduce((s, l) => s + Number(l.trim().split(' ')[0]), 0), 3);
  assert.match(r.stderr, /truncated dump file.*results cover the 3 packets before it/);
});
