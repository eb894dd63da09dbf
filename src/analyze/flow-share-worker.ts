/** A worker thread tracking one share of a capture's flows (see flow-shares.ts). */
import { parentPort, workerData } from 'node:worker_threads';
import { CaptureError } from '../capture/errors.js';
import { readCapture } from '../capture/reader.js';
import { decodeRecord } from '../decode/decoder.js';
import { DecodedPacket } from '../decode/packet.js';
import { FlowTable } from '../flows/flow-table.js';
import { recordShare } from '../flows/record-share.js';
import { RowRing, type RowRingState } from '../flows/row-ring.js';
import { EVERY_PACKET_SHARE, type ShareJob, type ShareMessage, type ShareTrackerModule, type WorkerReply } from './flow-shares.js';
import { LinkFilter } from './link-filter.js';

interface ShareInput {
  file: string;
  /** The shares' bounds (share-plan.ts). */
  bounds: number[];
  index: number;
  job: ShareJob;
  /** Where the flows this worker evicts go (flow-shares.ts trackShares), or undefined: dropped. */
  evicted?: RowRingState;
}

/** Runs the share given at start, or waits for it (a worker started ahead: flow-shares.ts prestartShareWorkers). */
function start(): void {
  const data = workerData as ShareInput | { waiting: true };
  if ('waiting' in data) parentPort!.once('message', (input: ShareInput) => void run(input));
  else void run(data);
}

async function run(input: ShareInput): Promise<void> {
  const { file, bounds, index, job } = input;
  try {
    // Evicted flows go to the calling thread as they are evicted (it judges them during its pass).
    const evicted = input.evicted === undefined ? undefined : RowRing.open(input.evicted);
    const table = new FlowTable({
      ...job.flows,
      partition: { count: bounds.length - 1, index, bounds },
      shared: true,
      ...(evicted !== undefined ? { onEvict: (t: FlowTable, id: number) => void evicted.push(t, id) } : {}),
    });
    const filter = await LinkFilter.create(job.expression, job.ipv6Transport);
    const everyPacket = job.tracker !== undefined && index === EVERY_PACKET_SHARE;
    const tracker = job.tracker === undefined ? undefined : ((await import(job.tracker.module)) as ShareTrackerModule).createShareTracker(job.tracker.options, everyPacket);
    const otherShare = everyPacket ? tracker?.otherShare?.bind(tracker) : undefined;
    const p = new DecodedPacket();
    try {
      await readCapture(file, {
        onPacket(rec) {
          if (!filter.matches(rec)) return;
          if (!everyPacket || otherShare !== undefined) {
            const share = recordShare(rec, bounds);
            if (share >= 0 && share !== index) {
              table.advance(rec.tsSec, rec.tsNsec);
              otherShare?.(rec, p);
              return;
            }
          }
          decodeRecord(p, rec);
          const id = table.track(p);
          if (p.hasQuoted) table.linkIcmpError(p);
          tracker?.packet(table, id, p);
        },
      });
    } catch (err) {
      // A fault of the file: the calling thread meets it at the same record and reports it; the flows
      // before it are this share's result.
      if (!(err instanceof CaptureError)) throw err;
    }
    const result: ShareMessage = { state: table.exportState() };
    if (tracker !== undefined) result.tracked = tracker.result();
    const follow = tracker?.followUp?.bind(tracker);
    post({ kind: 'pass', ok: true, result, waits: follow !== undefined });
    if (follow !== undefined) {
      // The calling thread asks once (Share.ask) or lets this worker go (Share.release).
      parentPort!.once('message', (msg: { request?: unknown; release?: true }) => {
        if (msg.release === true) {
          parentPort!.close();
          return;
        }
        try {
          post({ kind: 'answer', ok: true, answer: follow(msg.request) });
        } catch (error) {
          post({ kind: 'answer', ok: false, error });
        }
        parentPort!.close();
      });
    }
  } catch (error) {
    post({ kind: 'pass', ok: false, error });
  }
}

function post(reply: WorkerReply): void {
  parentPort!.postMessage(reply);
}

start();
