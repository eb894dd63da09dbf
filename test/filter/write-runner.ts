/**
 * Runs the reader in-process for many `-r IN -w OUT EXPR` jobs (one Node start instead of one per job):
 * reads a JSON list of [input, output, expression] from argv[2], prints one exit status per line.
 */
import * as fs from 'node:fs';
import { runRead } from '../../src/cli/commands/read.js';

const jobs = JSON.parse(fs.readFileSync(process.argv[2]!, 'utf8')) as [string, string, string][];
const statuses: number[] = [];
for (const [input, output, expression] of jobs) {
  try {
    statuses.push(await runRead(['-r', input, '-w', output, expression]));
  } catch {
    statuses.push(1);
  }
}
fs.writeFileSync(process.argv[3]!, JSON.stringify(statuses));
