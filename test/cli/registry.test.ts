import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { COMMANDS, findCommand } from '../../src/cli/commands/index.js';

test('every registry entry loads its command, with the same name and summary', async () => {
  assert.ok(COMMANDS.length >= 9);
  for (const entry of COMMANDS) {
    const cmd = await entry.load();
    assert.equal(cmd.name, entry.name);
    assert.equal(cmd.summary, entry.summary);
    assert.ok(cmd.help.startsWith(`usage: pcapsift ${entry.name}`), entry.name);
    assert.equal(findCommand(entry.name), entry);
  }
  assert.equal(findCommand('no-such-command'), undefined);
});

test('the registry and main import no command module statically; --version answers', () => {
  const here = path.resolve('dist', 'src', 'cli');
  const staticImports = (file: string): string[] =>
    readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => /^import .* from /.test(l) && !l.startsWith('import type'))
      .map((l) => l.replace(/^.* from '(.*)';$/, '$1'));
  assert.deepEqual(staticImports(path.join(here, 'commands', 'index.js')), []);
  for (const spec of staticImports(path.join(here, 'main.js'))) assert.ok(!/commands\/(?!index\.js)/.test(spec), spec);
  const out = execFileSync(process.execPath, [path.join(here, 'main.js'), '--version'], { encoding: 'utf8' });
  assert.equal(out, 'pcapsift 0.1.0\n');
});

test('the built CLI is an executable script, as `npx pcapsift` (the README quick start) runs it', { skip: process.platform === 'win32' ? 'no exec bit' : false }, () => {
  const main = path.resolve('dist', 'src', 'cli', 'main.js');
  assert.match(readFileSync(main, 'utf8').split('\n')[0]!, /^#!\/usr\/bin\/env node$/);
  assert.equal(execFileSync(main, ['--version'], { encoding: 'utf8' }), 'pcapsift 0.1.0\n');
});
