/**
 * Broken capture files through the CLI: the packets before the fault print exactly as tcpdump printed
 * them, then one stderr line names the file, the problem and the byte offset, and the exit status is 1
 * (0 for a record whose caplen exceeds its wire length, which tcpdump also accepts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { CORPUS, haveCorpus, manifest } from './corpus-print.js';

const CLI = path.resolve('dist', 'src', 'cli', 'main.js');

test('bad files: output before the fault, one error line, exit status', { skip: !haveCorpus }, () => {
  const bad = manifest().filter((c) => c.bad);
  assert.ok(bad.length >= 10);
  for (const c of bad) {
    const file = path.join(CORPUS, c.file);
    const r = spawnSync(process.execPath, [CLI, '-nn', '-r', file], { encoding: 'latin1', env: { ...process.env, TZ: 'UTC' } });
    const name = path.basename(c.file);
    const expected = (c.tcpdump.stdout_nn ?? []).map((l) => l + '\n').join('');
    assert.equal(r.stdout, expected, `${name}: stdout`);
    const errLines = r.stderr.split('\n').filter((l) => l !== '' && !l.startsWith('reading from file') && !l.startsWith('Warning:'));
    if (c.tcpdump.exit_status === 0) {
      assert.equal(r.status, 0, `${name}: exit status`);
      assert.deepEqual(errLines, [], `${name}: no error`);
    } else {
      assert.equal(r.status, 1, `${name}: exit status`);
      assert.equal(errLines.length, 1, `${name}: one error line, got ${JSON.stringify(errLines)}`);
      assert.ok(errLines[0]!.includes(name), `${name}: the error names the file: ${errLines[0]}`);
      assert.ok(!/\n\s+at /.test(r.stderr), `${name}: no stack trace`);
    }
  }
});
