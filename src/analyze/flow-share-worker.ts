/** A worker thread tracking flows: one share of a capture's (flow-shares.ts), or a pipe's events (flow-pipe.ts). */
import { parentPort, workerData } from 'node:worker_threads';
import { CaptureError } from '../capture/errors.js';
import { readCapture } from '../capture/reader.js';
import { decodeRecord } from '../decode/decoder.js';
import { DecodedPacket } from '../decode/packet.js';
import { FlowTable } from '../flows/flow-table.js';
import { recordShare } from '../flows/record-share.js';
import { drainPipe, failPipe } from './flow-pipe.js';
import type { PipeJob, ShareJob, ShareMessage } from './flow-shares.js';
import { LinkFilter } from './link-filter.js';

interface ShareInput {
  file: string;
  count: number;
  index: number;
  job: ShareJob;
}

/** A flow pipe's events to track (flow-pipe.ts). */
interface PipeInput {
  pipe: PipeJob;
}

/** Runs the job given at start, or waits for it (a worker started ahead: flow-shares.ts prestartShareWorkers). */
function start(): void {
  const data = workerData as ShareInput | PipeInput | { waiting: true };
  const begin = (input: ShareInput | PipeInput): void => {
    if ('pipe' in input) runPipe(input.pipe);
    else void run(input);
  };
  if ('waiting' in data) parentPort!.once('message', begin);
  else begin(data);
}

/** Tracks every event of a flow pipe, in order, then sends the table back. */
function runPipe(job: PipeJob): void {
  try {
    const evicted = new FlowTable({ shared: true, initialCapacity: 1024, maxFlows: 1024 });
    const table = new FlowTable({ ...job.flows, partition: job.partition, shared: true, onEvict: (t, id) => evicted.appendCopy(t, id) });
    drainPipe(job.memory, (p) => {
      table.track(p);
      if (p.hasQuoted) table.linkIcmpError(p);
    });
    const result: ShareMessage = { state: table.exportState() };
    if (evicted.used > 0) result.evicted = evicted.exportState();
    parentPort!.postMessage({ ok: true, result });
  } catch (error) {
    failPipe(job.memory);
    parentPort!.postMessage({ ok: false, error });
  }
}

async function run(input: ShareInput): Promise<void> {
  const { file, count, index, job } = input;
  try {
    // Rows of evicted flows are copied aside (no hash index), for the calling thread's consumers.
    const evicted = new FlowTable({ shared: true, initialCapacity: 1024, maxFlows: 1024 });
    const table = new FlowTable({
      ...job.flows,
      partition: { count, index },
      shared: true,
      onEvict: (t, id) => evicted.appendCopy(t, id),
    });
    const filter = await LinkFilter.create(job.expression, job.ipv6Transport);
    const p = new DecodedPacket();
    try {
      await readCapture(file, {
        onPacket(rec) {
          if (!filter.matches(rec)) return;
          const share = recordShare(rec, count);
          if (share >= 0 && share !== index) {
            table.advance(rec.tsSec, rec.tsNsec);
            return;
          }
          decodeRecord(p, rec);
          table.track(p);
          if (p.hasQuoted) table.linkIcmpError(p);
        },
      });
    } catch (err) {
      // A fault of the file: the calling thread meets it at the same record and reports it; the flows
      // before it are this share's result.
      if (!(err instanceof CaptureError)) throw err;
    }
    const result: ShareMessage = { state: table.exportState() };
    if (evicted.used > 0) result.evicted = evicted.exportState();
    parentPort!.postMessage({ ok: true, result });
  } catch (error) {
    parentPort!.postMessage({ ok: false, error });
  }
}

start();
