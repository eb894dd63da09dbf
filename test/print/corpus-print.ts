/** Helpers for the printer tests: the corpus location and printing a whole capture in-process. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CaptureError } from '../../src/capture/errors.js';
import { readCapture } from '../../src/capture/reader.js';
import { defaultPrintOptions, type PrintOptions } from '../../src/print/options.js';
import { PacketPrinter } from '../../src/print/printer.js';

// Goldens are made with TZ=UTC; Node re-reads TZ when it is assigned.
process.env.TZ = 'UTC';

export const CORPUS = path.resolve('..', 'shared', 'corpus');
export const haveCorpus = fs.existsSync(path.join(CORPUS, 'manifest.json'));

export interface ManifestCapture {
  file: string;
  bad?: boolean;
  scope: string;
  golden: Record<string, string>;
  tcpdump: { exit_status: number; stderr: string[]; stdout_nn?: string[] };
}

export function manifest(): ManifestCapture[] {
  return JSON.parse(fs.readFileSync(path.join(CORPUS, 'manifest.json'), 'utf8')).captures;
}

/** The print options of each golden variant. */
export const VARIANTS: Record<string, Partial<PrintOptions>> = {
  nn: {},
  nnv: { verbose: 1 },
  nnq: { quiet: true },
  nne: { linkHeader: true },
  nntttt: { timestamps: 4 },
};

export function printOptions(extra: Partial<PrintOptions>): PrintOptions {
  return { ...defaultPrintOptions(), numeric: 2, ...extra };
}

/** Prints a capture as `pcapsift -nn ... -r file` would print to stdout; a broken file ends the text. */
export async function printCapture(file: string, opts: PrintOptions, limit = -1): Promise<{ text: string; error?: CaptureError; internalErrors: number }> {
  const parts: string[] = [];
  const printer = new PacketPrinter(opts, { write: (t) => void parts.push(t) });
  let n = 0;
  let error: CaptureError | undefined;
  try {
    await readCapture(file, {
      onPacket: (rec) => {
        printer.printPacket(rec);
        n++;
        return limit < 0 || n < limit;
      },
    });
  } catch (e) {
    if (!(e instanceof CaptureError)) throw e;
    error = e;
  }
  return error === undefined ? { text: parts.join(''), internalErrors: printer.internalErrors } : { text: parts.join(''), error, internalErrors: printer.internalErrors };
}

/** Returns the first differing line as `line N: expected ... got ...`, or '' when equal. */
export function firstDifference(expected: string, got: string): string {
  if (expected === got) return '';
  const e = expected.split('\n');
  const g = got.split('\n');
  for (let i = 0; i < Math.max(e.length, g.length); i++) {
    if (e[i] !== g[i]) return `line ${i + 1}: expected ${JSON.stringify(e[i])} got ${JSON.stringify(g[i])}`;
  }
  return 'trailing newline differs';
}
