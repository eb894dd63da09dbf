/** Test helpers: write a built capture to a temporary file the analyses can read. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CaptureBuilder } from '../../src/gen/capture-builder.js';
import { tempDir } from '../temp.js';

let seq = 0;

/** Writes the capture as pcap to a fresh temporary file and returns its path (removed at exit). */
export function tempCapture(cap: CaptureBuilder, name = 'cap'): string {
  const dir = tempDir('h5-');
  const file = path.join(dir, `${name}-${seq++}.pcap`);
  fs.writeFileSync(file, cap.toPcap());
  process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  return file;
}

/** The shared corpus directory (tests skip when it is absent). */
export const CORPUS = path.resolve('..', 'shared', 'corpus');
export const CORPUS_PCAPS = path.join(CORPUS, 'pcaps');
export const HAVE_CORPUS = fs.existsSync(CORPUS_PCAPS);
