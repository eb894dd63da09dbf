/**
 * Tracking flows on several threads: each worker reads the whole capture, decodes every packet, and tracks
 * only the flows whose key hash falls in its share (FlowTableOptions.partition); the thread that called
 * `analyze` tracks share 0 meanwhile. Every flow lives in exactly one table, so the tables together hold
 * exactly what one table would: nothing to merge, only to read side by side. Reading and decoding are done
 * by every thread (they are the cheap part); the flow table work, its memory and its cache misses are split.
 * The rows live in SharedArrayBuffers, so the caller reads a worker's table without a copy.
 */
import { statSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { PacketRecord } from '../capture/packet.js';
import type { DecodedPacket } from '../decode/packet.js';
import { FlowTable, type FlowTableOptions, type FlowTableState } from '../flows/flow-table.js';
import { RowRing, type RowRingState } from '../flows/row-ring.js';

/**
 * Smallest capture file tracked on several threads. Every thread reads and parses the whole file and a
 * worker starts cold (~0.15 s), so sharing pays only when the flow work is large: measured on 2 cores,
 * 286 MB (1 M packets) ran 0.48-0.59 s on one thread and 0.54-0.65 s on two; 2.87 GB ran 5.5-8.6 s on one
 * and 4.8-5.0 s on two (conversations; services alike).
 */
export const MIN_SHARED_BYTES = 1 << 30;

/** Says whether `path` names a regular file of at least `min` bytes (a capture worth several threads). */
export function isLargeCapture(path: string, min = MIN_SHARED_BYTES): boolean {
  try {
    const st = statSync(path);
    return st.isFile() && st.size >= min;
  } catch {
    return false;
  }
}

/** What a share's worker needs (all of it structured-cloneable). */
export interface ShareJob {
  expression: string;
  ipv6Transport: boolean;
  /** Limits and timeouts (no callbacks). */
  flows: Omit<FlowTableOptions, 'onEvict' | 'partition' | 'shared'>;
  /** A consumer's ShareTracker module (URL) and its options (PacketConsumer.shareTracker), if any. */
  tracker?: { module: string; options?: unknown };
}

/**
 * A consumer's packet work done in a share's worker (PacketConsumer.shareTracker): the work on the share's
 * flows (facts kept in their rows travel with the table), and in share 1's worker the work on every packet
 * that is not about one flow (so that the thread reading the most packets does not also track flows).
 */
export interface ShareTracker {
  /**
   * Called for every packet the worker decoded (`everyPacket`: all the selected ones), after tracking, with
   * its flow (-1: none, or another share's).
   */
  packet(table: FlowTable, flowId: number, p: DecodedPacket): void;
  /**
   * In the worker that reads every packet: a packet of a flow another share tracks, not decoded (recordShare
   * read its headers: flows/record-share.ts `lastRecord`), for the tracker to decode into `p` if it needs
   * to. Without it, such packets are decoded and given to `packet` with flow -1.
   */
  otherShare?(rec: PacketRecord, p: DecodedPacket): void;
  /** What the consumer's `adoptShare` gets (structured-cloneable). */
  result(): unknown;
  /**
   * More work for the worker after the pass (Share.ask): the thread that called `analyze` sends what it
   * needs (every table's state, say) and gets the answer, while it does other work of its own.
   */
  followUp?(request: unknown): unknown;
}

/** What a tracker module exports. */
export interface ShareTrackerModule {
  createShareTracker(options: unknown, everyPacket: boolean): ShareTracker;
}

/** The share whose worker decodes every packet for its tracker. */
export const EVERY_PACKET_SHARE = 1;

/** What a worker sends back. */
export interface ShareMessage {
  state: FlowTableState;
  /** What the share's tracker returned (ShareJob.tracker). */
  tracked?: unknown;
}

/** A share's flows, readable here. */
export interface Share {
  table: FlowTable;
  tracked: unknown;
  /**
   * Asks the share's worker for its tracker's follow-up work (ShareTracker.followUp), once; undefined when
   * its tracker has none. The worker waits for this or `release` after the pass.
   */
  ask: ((request: unknown) => Promise<unknown>) | undefined;
  /** Lets the worker end (after `ask` has answered, or instead of it). */
  release(): void;
}

/** Shares being tracked by their workers (`trackShares`). */
export interface ShareRuns {
  /**
   * Per worker, the rows of the flows it evicts, on their way here during the pass (none when
   * `evictedRows` was 0: the workers then drop them). Take them as they come (`RowRing.drain`) until `done`
   * settles, then once more; close the rings if you stop taking rows before that.
   */
  evicted: RowRing[];
  /** The workers' tables in share order; a worker's failure rejects (after every worker has ended). */
  done: Promise<Share[]>;
}

/**
 * Starts a worker for each share 1 .. count-1 of the flows of `file` (the shares `bounds` cuts: share-plan.ts).
 * Each worker hands the flows it evicts over through a ring of `evictedRows` rows (a power of two; 0: it
 * drops them).
 */
export function trackShares(file: string, bounds: readonly number[], job: ShareJob, evictedRows: number): ShareRuns {
  const runs: Promise<Share>[] = [];
  const evicted: RowRing[] = [];
  for (let index = 1; index < bounds.length - 1; index++) {
    const ring = evictedRows > 0 ? RowRing.create(evictedRows) : undefined;
    if (ring !== undefined) evicted.push(ring);
    runs.push(runShare(file, bounds, index, job, ring?.state()));
  }
  const all = Promise.allSettled(runs).then((results) => {
    const out: Share[] = [];
    for (const r of results) {
      if (r.status === 'rejected') throw r.reason;
      out.push(r.value);
    }
    return out;
  });
  // The caller may fail before it awaits (a file it cannot open): never an unhandled rejection.
  all.catch(() => undefined);
  return { evicted, done: all };
}

const WORKER_URL = new URL('./flow-share-worker.js', import.meta.url);

/** Workers started ahead (see `prestartShareWorkers`), waiting for their share. */
const waiting: Worker[] = [];

/**
 * Starts `count` share workers that load their modules and wait: a command that will likely track flows
 * on several threads calls this first thing, so that the workers boot (~0.1 s) while its own modules load.
 * Those never given a share end with the process (they do not keep it alive).
 */
export function prestartShareWorkers(count: number): void {
  for (let i = 0; i < count; i++) {
    const worker = new Worker(WORKER_URL, { workerData: { waiting: true } });
    worker.unref();
    worker.once('error', () => undefined);
    worker.once('exit', () => {
      const k = waiting.indexOf(worker);
      if (k >= 0) waiting.splice(k, 1);
    });
    waiting.push(worker);
  }
}

function runShare(file: string, bounds: readonly number[], index: number, job: ShareJob, evicted: RowRingState | undefined): Promise<Share> {
  return new Promise((resolve, reject) => {
    const ahead = waiting.shift();
    const input = { file, bounds, index, job, evicted };
    let worker: Worker;
    if (ahead !== undefined) {
      worker = ahead;
      worker.ref();
      worker.postMessage(input);
    } else {
      worker = new Worker(WORKER_URL, { workerData: input });
    }
    let settled = false;
    let exited = false;
    let asked: { resolve: (v: unknown) => void; reject: (e: unknown) => void } | undefined;
    const fail = (err: unknown): void => {
      if (asked !== undefined) asked.reject(err);
      else if (!settled) reject(err);
      asked = undefined;
      settled = true;
    };
    worker.on('message', (msg: WorkerReply) => {
      if (msg.kind === 'answer') {
        const a = asked;
        asked = undefined;
        if (a === undefined) return;
        if (msg.ok) a.resolve(msg.answer);
        else a.reject(msg.error);
        return;
      }
      settled = true;
      if (!msg.ok) {
        reject(msg.error);
        return;
      }
      const r = msg.result;
      // The worker now waits for a follow-up request or its release: it must not keep the process alive.
      if (msg.waits) worker.unref();
      const release = (): void => {
        if (msg.waits && !exited) worker.postMessage({ release: true });
      };
      const ask = msg.waits
        ? (request: unknown): Promise<unknown> =>
            new Promise((res, rej) => {
              // A worker gone since its pass (it crashed) would never answer.
              if (exited) {
                rej(new Error(`flow tracking worker ${index} has exited`));
                return;
              }
              asked = { resolve: res, reject: rej };
              worker.ref();
              worker.postMessage({ request });
            })
        : undefined;
      resolve({ table: FlowTable.fromState(r.state), tracked: r.tracked, ask, release });
    });
    worker.once('error', fail);
    worker.once('exit', (code) => {
      exited = true;
      if (asked !== undefined || !settled) fail(new Error(`flow tracking worker ${index} exited with code ${code}`));
    });
  });
}

/** What a share worker posts: its pass's result (then, if `waits`, it waits for `ask` or `release`), or an answer to `ask`. */
export type WorkerReply =
  | { kind: 'pass'; ok: true; result: ShareMessage; waits: boolean }
  | { kind: 'pass'; ok: false; error: unknown }
  | { kind: 'answer'; ok: true; answer: unknown }
  | { kind: 'answer'; ok: false; error: unknown };
