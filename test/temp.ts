/**
 * Temporary folders for tests, removed when the test process ends (each test file runs in a process of its
 * own), so that a run of the suite leaves nothing behind in the system's temporary folder.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const made: string[] = [];

/** A fresh folder named pcapsift-`prefix`-XXXXXX under the system's temporary folder. */
export function tempDir(prefix: string): string {
  if (made.length === 0) process.once('exit', removeAll);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `pcapsift-${prefix}`));
  made.push(dir);
  return dir;
}

function removeAll(): void {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
}
