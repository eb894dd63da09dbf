// stdout is clean for pipes: a reader that stops early (| head) ends pcapsift quietly with status 0.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeBenchCapture } from '../../src/gen/bench-capture.js';
import { tempDir } from '../temp.js';

const CLI = path.resolve('dist', 'src', 'cli', 'main.js');
const dir = tempDir('pipe-');
const file = path.join(dir, 'mix.pcap');
const fd = fs.openSync(file, 'w');
writeBenchCapture(fd, { packets: 60000, seed: 'pipes' });
fs.closeSync(fd);

function piped(args: string): { status: string; stderr: string; stdout: string } {
  const r = spawnSync('bash', ['-c', `node ${CLI} ${args} | head -c 200 > /dev/null; echo "\${PIPESTATUS[0]}"`], { encoding: 'utf8' });
  return { status: r.stdout.trim(), stderr: r.stderr, stdout: r.stdout };
}

for (const args of [`-nn -r ${file}`, `-r ${file} -w -`, `conversations ${file} --format csv`, `tally ${file} --by src.ip,dst.port`]) {
  test(`'pcapsift ${args.replace(file, 'F')} | head' ends quietly with status 0`, () => {
    const r = piped(args);
    assert.equal(r.status, '0', r.stderr);
    assert.doesNotMatch(r.stderr, /error|closed|Error/);
  });
}

test('no progress bar when stderr is not a terminal, and one on a terminal', () => {
  const piped = spawnSync(process.execPath, [CLI, 'services', file], { encoding: 'utf8' });
  assert.equal(piped.status, 0);
  assert.doesNotMatch(piped.stderr, /\r|reading \[/);
  // On a pseudo-terminal (util-linux `script`, where present) a long read draws the bar on stderr.
  const haveScript = spawnSync('bash', ['-c', 'command -v script'], { encoding: 'utf8' }).status === 0;
  if (!haveScript) return;
  const slow = spawnSync('script', ['-qc', `PCAPSIFT_PROGRESS_AFTER_MS=0 node ${CLI} services ${file} > /dev/null`, '/dev/null'], { encoding: 'utf8' });
  assert.match(slow.stdout, /reading \[[#.]+\]/);
});
