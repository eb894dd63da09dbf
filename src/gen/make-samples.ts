#!/usr/bin/env node
/**
 * Writes pcapsift's sample captures into a directory: `node dist/src/gen/make-samples.js DIR`.
 * The output is a pure function of the code: running it twice gives identical files.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SAMPLES } from './samples.js';

function main(argv: string[]): number {
  if (argv.length !== 1 || argv[0]!.startsWith('-')) {
    process.stderr.write('usage: make-samples DIR\n');
    return 2;
  }
  const dir = argv[0]!;
  try {
    fs.mkdirSync(dir, { recursive: true });
    for (const s of SAMPLES) {
      const bytes = s.build();
      const file = path.join(dir, s.file);
      // Write only when the content changed, so repeated builds do not touch timestamps.
      const old = fs.existsSync(file) ? fs.readFileSync(file) : undefined;
      if (old === undefined || !old.equals(bytes)) fs.writeFileSync(file, bytes);
    }
  } catch (err) {
    process.stderr.write(`make-samples: ${(err as Error).message}\n`);
    return 1;
  }
  return 0;
}

process.exitCode = main(process.argv.slice(2));
