/**
 * The reader's filter options end to end: `-w` files byte-identical to `tcpdump -r F -w OUT EXPR` (every valid
 * case of filters.json; PCAPSIFT_W_SAMPLE=1 takes one case per capture plus every 9th, for quick runs), `-w -`,
 * `--count` and `--explain`, and a bad expression's one-line error. Differential parts skip without
 * tcpdump or the corpus.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { haveTcpdump, tcpdumpWrite } from './tcpdump.js';
import { tempDir } from '../temp.js';

const CORPUS = path.resolve('..', 'shared', 'corpus');
const haveCorpus = fs.existsSync(path.join(CORPUS, 'filters.json'));
const CLI = path.resolve('dist', 'src', 'cli', 'main.js');

interface FilterCase {
  id: number;
  pcap: string;
  filter: string;
  matches?: number[];
  error?: boolean;
}

function pcapsift(args: string[]): { status: number; stdout: Buffer; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { env: { ...process.env, TZ: 'UTC', LC_ALL: 'C' } });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr.toString('latin1') };
}

function sample(): FilterCase[] {
  const cases: FilterCase[] = JSON.parse(fs.readFileSync(path.join(CORPUS, 'filters.json'), 'utf8'));
  const valid = cases.filter((c) => c.error !== true);
  if (process.env['PCAPSIFT_W_SAMPLE'] === undefined) return valid;
  const seen = new Set<string>();
  const out: FilterCase[] = [];
  valid.forEach((c, i) => {
    if (!seen.has(c.pcap) || i % 9 === 0) out.push(c);
    seen.add(c.pcap);
  });
  return out;
}

test('-w writes the records tcpdump -w writes', { skip: (!haveCorpus && 'no corpus') || (!haveTcpdump() && 'tcpdump not installed') }, () => {
  const dir = tempDir('w-');
  try {
    const cases = sample();
    const jobs = cases.map((c, i) => [path.join(CORPUS, 'pcaps', c.pcap), path.join(dir, `ours-${i}.pcap`), c.filter]);
    fs.writeFileSync(path.join(dir, 'jobs.json'), JSON.stringify(jobs));
    const runner = spawnSync(process.execPath, [path.resolve('dist', 'test', 'filter', 'write-runner.js'), path.join(dir, 'jobs.json'), path.join(dir, 'status.json')]);
    assert.equal(runner.status, 0, runner.stderr.toString().slice(-2000));
    const statuses: number[] = JSON.parse(fs.readFileSync(path.join(dir, 'status.json'), 'utf8'));
    let records = 0;
    let headers = 0;
    const snaplenOnly: string[] = [];
    cases.forEach((c, i) => {
      const theirs = path.join(dir, 'theirs.pcap');
      const t = tcpdumpWrite(jobs[i]![0]!, theirs, c.filter);
      assert.equal(statuses[i], t.status, `#${c.id} ${c.pcap} '${c.filter}': exit status`);
      const a = fs.readFileSync(jobs[i]![1]!);
      const b = fs.readFileSync(theirs);
      // The records (everything after the 24-byte file header) must be identical.
      assert.ok(a.subarray(24).equals(b.subarray(24)), `#${c.id} ${c.pcap} '${c.filter}': records differ`);
      records++;
      if (a.subarray(0, 24).equals(b.subarray(0, 24))) headers++;
      else {
        // The header's snapshot length is the capture reader's (see the report): all else must match.
        assert.ok(a.subarray(0, 16).equals(b.subarray(0, 16)) && a.subarray(20, 24).equals(b.subarray(20, 24)), `#${c.id}: header differs`);
        snaplenOnly.push(c.pcap);
      }
    });
    console.log(`-w: records identical in ${records}/${cases.length} cases; headers identical in ${headers} (snaplen differs only: ${[...new Set(snaplenOnly)].join(' ') || 'none'})`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('-w - writes the pcap to standard output', { skip: (!haveCorpus && 'no corpus') || (!haveTcpdump() && 'tcpdump not installed') }, () => {
  const input = path.join(CORPUS, 'pcaps', 'esnet_one_way_all_flags.pcap');
  const r = pcapsift(['-r', input, '-w', '-', 'tcp[13] = 18']);
  const dir = tempDir('w-');
  try {
    const theirs = path.join(dir, 'theirs.pcap');
    tcpdumpWrite(input, theirs, 'tcp[13] = 18');
    assert.equal(r.status, 0);
    assert.ok(r.stdout.equals(fs.readFileSync(theirs)));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('--count prints tcpdump\'s count line; --explain the explained form', { skip: !haveCorpus && 'no corpus' }, () => {
  const input = path.join(CORPUS, 'pcaps', 'esnet_one_way_all_flags.pcap');
  const r = pcapsift(['--count', '-r', input, 'tcp[13] = 18']);
  assert.equal(r.status, 0);
  assert.equal(r.stdout.toString(), '1 packet\n');
  assert.match(r.stderr, /^reading from file .*, link-type EN10MB \(Ethernet\), snapshot length \d+\n$/);
  const none = pcapsift(['--count', '-r', input, 'tcp[2:2] = 1']);
  assert.equal(none.stdout.toString(), '0 packets\n');
  const e = pcapsift(['--explain', 'tcp dst port 22 or 443']);
  assert.equal(e.status, 0);
  assert.equal(e.stdout.toString(), '(tcp dst port 22 or tcp dst port 443)\n');
});

test('a bad expression is one line with its column, exit status 1', { skip: !haveCorpus && 'no corpus' }, () => {
  const input = path.join(CORPUS, 'pcaps', 'esnet_one_way_all_flags.pcap');
  const r = pcapsift(['-r', input, 'tcp and']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /\npcapsift: can't parse filter expression: syntax error \(at column 8\)\n$/);
  assert.equal(r.stdout.length, 0);
  const rejects = pcapsift(['-r', input, 'ip6 and tcp[13] = 18']);
  assert.equal(rejects.status, 1);
  assert.match(rejects.stderr, /\npcapsift: expression rejects all packets\n$/);
});
