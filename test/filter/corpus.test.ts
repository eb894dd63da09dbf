/**
 * filters.json from the shared corpus: every valid case selects exactly tcpdump's frames, every invalid
 * one is rejected on its capture's link type. Skips without the corpus.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadCapture } from './capture-util.js';
import { compileFilter, FilterError } from '../../src/filter/index.js';

const CORPUS = path.resolve('..', 'shared', 'corpus');
const haveCorpus = fs.existsSync(path.join(CORPUS, 'filters.json'));

interface FilterCase {
  id: number;
  pcap: string;
  filter: string;
  matches?: number[];
  error?: boolean;
  tcpdumpMessage?: string;
}

test('filters.json: valid cases select tcpdump\'s frames, invalid ones are rejected', { skip: !haveCorpus && 'no corpus' }, async () => {
  const cases: FilterCase[] = JSON.parse(fs.readFileSync(path.join(CORPUS, 'filters.json'), 'utf8'));
  const captures = new Map<string, Awaited<ReturnType<typeof loadCapture>>>();
  let validPass = 0;
  let validTotal = 0;
  let invalidPass = 0;
  let invalidTotal = 0;
  const failures: string[] = [];
  for (const fc of cases) {
    let cap = captures.get(fc.pcap);
    if (cap === undefined) {
      cap = await loadCapture(path.join(CORPUS, 'pcaps', fc.pcap));
      captures.set(fc.pcap, cap);
    }
    const opts = { bigEndianFile: cap.bigEndian };
    if (fc.error === true) {
      invalidTotal++;
      try {
        compileFilter(fc.filter, cap.linkType, opts);
        failures.push(`#${fc.id} ${fc.pcap} '${fc.filter}': accepted, tcpdump says ${fc.tcpdumpMessage}`);
      } catch (err) {
        if (!(err instanceof FilterError)) throw err;
        invalidPass++;
      }
      continue;
    }
    validTotal++;
    let predicate;
    try {
      predicate = compileFilter(fc.filter, cap.linkType, opts);
    } catch (err) {
      failures.push(`#${fc.id} ${fc.pcap} '${fc.filter}': ${(err as Error).message}`);
      continue;
    }
    const got: number[] = [];
    cap.packets.forEach((p, i) => {
      if (predicate(p.data, 0, p.caplen, p.wirelen)) got.push(i + 1);
    });
    if (JSON.stringify(got) === JSON.stringify(fc.matches)) validPass++;
    else failures.push(`#${fc.id} ${fc.pcap} '${fc.filter}': got ${got.length} [${got.slice(0, 8).join(' ')}], want ${fc.matches!.length} [${fc.matches!.slice(0, 8).join(' ')}]`);
  }
  console.log(`filters.json: valid ${validPass}/${validTotal} passed, invalid ${invalidPass}/${invalidTotal} rejected`);
  assert.deepEqual(failures, []);
});
