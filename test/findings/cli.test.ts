import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { buildScanCapture, SCAN_SCANNER, SCAN_TARGET } from '../../src/gen/samples.js';
import { parseFindingsArgs, formatFindingsCsv } from '../../src/cli/commands/findings.js';
import { analyze } from '../../src/analyze/analysis.js';
import { FindingsConsumer, findings, type Finding } from '../../src/analyze/findings/index.js';
import { writeCapture } from './helpers.js';

const MAIN = path.resolve('dist', 'src', 'cli', 'main.js');

function run(args: string[]) {
  return spawnSync(process.execPath, [MAIN, 'findings', ...args], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
}

test('findings --json: an array with every field; table and CSV by the same facts', () => {
  const file = writeCapture(buildScanCapture(), 'cli-scan');
  const r = run([file, '--json']);
  assert.equal(r.status, 0, r.stderr);
  const list = JSON.parse(r.stdout) as Finding[];
  assert.deepEqual(list.map((f) => f.kind), ['syn-scan', 'fin-scan', 'null-scan', 'xmas-scan', 'udp-scan']);
  for (const f of list) {
    assert.equal(f.source, SCAN_SCANNER);
    assert.deepEqual(f.targets, [SCAN_TARGET]);
    for (const k of ['kind', 'severity', 'source', 'targets', 'ports', 'start', 'end', 'packets', 'frames', 'explanation', 'filter', 'details']) assert.ok(k in f, k);
  }
  const table = run([file]);
  assert.equal(table.status, 0);
  assert.match(table.stdout, /^# +SEVERITY +KIND +SOURCE/);
  assert.match(table.stdout, /^#1 syn-scan \(medium\)$/m);
  assert.match(table.stdout, /evidence: tcpdump -nn -r '.*cli-scan\.pcap' 'src host 10\.0\.5\.66 and dst host 10\.0\.5\.20 and tcp\[13\] & 0x17 == 0x02'/);
  const csv = run([file, '--csv', '--kind', 'udp-scan']);
  assert.equal(csv.stdout.split('\n')[0], 'kind,severity,source,targets,ports,start,end,packets,frames,filter,explanation');
  assert.equal(csv.stdout.trim().split('\n').length, 2);
});

test('findings: an expression narrows the packets; bad arguments are one-line errors', () => {
  const file = writeCapture(buildScanCapture(), 'cli-scan-2');
  const tcpOnly = run([file, '--json', 'tcp']);
  assert.equal(tcpOnly.status, 0, tcpOnly.stderr);
  assert.ok(!(JSON.parse(tcpOnly.stdout) as Finding[]).some((f) => f.kind === 'udp-scan'));
  const bad = run([file, '--kind', 'nonsense']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /unknown finding kind 'nonsense'/);
  assert.doesNotMatch(bad.stderr, /at .*\.js/);
  const missing = run(['/nonexistent/x.pcap']);
  assert.equal(missing.status, 1);
  assert.equal(missing.stderr.trim().split('\n').length, 1);
  assert.throws(() => parseFindingsArgs(['f.pcap', '--min-score', '2']), /invalid value for --min-score/);
  const parsed = parseFindingsArgs(['f.pcap', '--scan-ports', '20', 'host', '10.0.0.1']);
  assert.equal(parsed.run.scanPorts, 20);
  assert.equal(parsed.run.expression, 'host 10.0.0.1');
  assert.equal(formatFindingsCsv([]), 'kind,severity,source,targets,ports,start,end,packets,frames,filter,explanation\n');
});

test('the consumer for the shared analysis pass gives the same findings as findings()', async () => {
  const file = writeCapture(buildScanCapture(), 'cli-scan-3');
  const consumer = new FindingsConsumer();
  await analyze(file, [consumer]);
  assert.deepEqual(consumer.result, await findings(file));
});

test('findings --format json|csv|table: the same outputs as the shorthands; a bad format is a usage error', () => {
  const file = writeCapture(buildScanCapture(), 'cli-scan-4');
  assert.equal(run([file, '--format', 'json']).stdout, run([file, '--json']).stdout);
  assert.equal(run([file, '--format=csv']).stdout, run([file, '--csv']).stdout);
  assert.equal(run([file, '--format', 'table']).stdout, run([file]).stdout);
  const bad = run([file, '--format', 'xml']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--format takes one of table, json, csv/);
  assert.equal(parseFindingsArgs(['f.pcap', '--max-flows', '1000']).run.maxFlows, 1000);
});

test('with a flow limit far below the capture\'s flows, evicted flows are still judged', async () => {
  const file = writeCapture(buildScanCapture(), 'cli-scan-5');
  const all = await findings(file);
  const tight = await findings(file, { maxFlows: 16 });
  assert.deepEqual(tight.map((f) => `${f.kind} ${f.source}`), all.map((f) => `${f.kind} ${f.source}`));
});
