/**
 * A progress bar on standard error, shown only when stderr is a terminal and only once the work has taken
 * more than a second (never in pipes, never for quick jobs). It redraws at most ten times a second and
 * erases itself when done, so it never mixes with what goes to stdout.
 */
import * as fs from 'node:fs';

/** Quick jobs show no bar; PCAPSIFT_PROGRESS_AFTER_MS overrides (tests). */
const SHOW_AFTER_MS = Number(process.env['PCAPSIFT_PROGRESS_AFTER_MS'] ?? 1000);
const REDRAW_MS = 100;
const WIDTH = 30;

export class Progress {
  private readonly enabled: boolean;
  private readonly startedAt = Date.now();
  private lastDraw = 0;
  private drawn = false;

  constructor(
    private readonly label: string,
    enabled: boolean = process.stderr.isTTY === true && process.env['PCAPSIFT_NO_PROGRESS'] === undefined,
  ) {
    this.enabled = enabled;
  }

  /** Reports bytes done of a total (0 when unknown). Cheap enough to call for every chunk. */
  update(done: number, total: number): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.startedAt < SHOW_AFTER_MS || (this.drawn && now - this.lastDraw < REDRAW_MS)) return;
    this.lastDraw = now;
    const secs = Math.max(0.001, (now - this.startedAt) / 1000);
    const mb = done / 1e6;
    let text: string;
    if (total > 0) {
      const frac = Math.min(1, done / total);
      const full = Math.round(frac * WIDTH);
      const eta = frac > 0 ? secs / frac - secs : 0;
      text = `${this.label} [${'#'.repeat(full)}${'.'.repeat(WIDTH - full)}] ${(frac * 100).toFixed(0).padStart(3)}%  ${mb.toFixed(0)} MB  ${(mb / secs).toFixed(0)} MB/s  eta ${eta.toFixed(0)}s`;
    } else {
      text = `${this.label} ${mb.toFixed(0)} MB  ${(mb / secs).toFixed(0)} MB/s`;
    }
    this.write(`\r${text}\x1b[K`);
    this.drawn = true;
  }

  /** Erases the bar, if it was ever shown. */
  done(): void {
    if (this.drawn) this.write('\r\x1b[K');
    this.drawn = false;
  }

  private write(s: string): void {
    try {
      fs.writeSync(2, s);
    } catch {
      // A closed terminal is no reason to fail the work.
    }
  }
}

/** Says whether colour may be used on a stream: only on a terminal, and never with NO_COLOR set. */
export function colorEnabled(stream: { isTTY?: boolean } = process.stdout): boolean {
  const noColor = process.env['NO_COLOR'];
  return stream.isTTY === true && (noColor === undefined || noColor === '');
}
