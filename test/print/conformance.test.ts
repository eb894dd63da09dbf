/**
 * Every golden of every variant, printed in-process and compared byte for byte. Prints `N passed, N failed`
 * per variant and asserts that every capture of the committed known-passing list still passes.
 * Regenerate the list with PCAPSIFT_UPDATE_CONFORMANCE=1 after improving the printer.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CORPUS, firstDifference, haveCorpus, manifest, printCapture, printOptions, VARIANTS } from './corpus-print.js';

const PASS_LIST = path.resolve('test', 'print', 'conformance-pass.json');

test('conformance with the tcpdump goldens', { skip: !haveCorpus }, async (t) => {
  const known: Record<string, string[]> = fs.existsSync(PASS_LIST) ? JSON.parse(fs.readFileSync(PASS_LIST, 'utf8')) : {};
  const passing: Record<string, string[]> = {};
  const regressions: string[] = [];
  const captures = manifest().filter((c) => !c.bad);
  for (const [variant, extra] of Object.entries(VARIANTS)) {
    let pass = 0;
    let fail = 0;
    passing[variant] = [];
    for (const c of captures) {
      const name = path.basename(c.file);
      const golden = path.join(CORPUS, 'golden', `${name}.${variant}.txt`);
      if (!fs.existsSync(golden)) continue;
      const expected = fs.readFileSync(golden, 'latin1');
      const { text, internalErrors } = await printCapture(path.join(CORPUS, c.file), printOptions(extra));
      assert.equal(internalErrors, 0, `${name} (${variant}): a printer threw something other than truncation`);
      const diff = firstDifference(expected, Buffer.from(text, 'utf8').toString('latin1'));
      if (diff === '') {
        pass++;
        passing[variant]!.push(name);
      } else {
        fail++;
        if ((known[variant] ?? []).includes(name)) regressions.push(`${name} (${variant}): ${diff}`);
      }
    }
    t.diagnostic(`${variant}: ${pass} passed, ${fail} failed`);
  }
  if (process.env.PCAPSIFT_UPDATE_CONFORMANCE === '1') fs.writeFileSync(PASS_LIST, JSON.stringify(passing, null, 1) + '\n');
  assert.deepEqual(regressions, []);
  assert.ok(Object.keys(known).length > 0, 'the known-passing list is committed');
});
