/**
 * The Analysis pass: one read of a capture feeding several consumers. Each packet is decoded once into a
 * reused DecodedPacket, filtered (the libpcap expression, compiled per link type), tracked in the flow
 * table when a consumer needs flows, then handed to every consumer. `summary` runs all the analyses in
 * this one pass instead of reading the file once per question.
 */
import type { Readable } from 'node:stream';
import { CaptureError } from '../capture/errors.js';
import { readCapture, type ReadOptions, type ReadResult } from '../capture/reader.js';
import type { PacketRecord } from '../capture/packet.js';
import { decodeRecord } from '../decode/decoder.js';
import { DecodedPacket } from '../decode/packet.js';
import { FlowTable, type FlowTableOptions } from '../flows/flow-table.js';
import { LinkFilter } from './link-filter.js';
import { isLargeCapture, trackShares, type Share } from './flow-shares.js';
import { recordShare } from '../flows/record-share.js';
import { shareBounds } from '../flows/share-plan.js';

/** What every analysis learns about the capture itself. */
export interface CaptureFacts {
  file: string;
  /** 'pcap', 'pcapng', or '' when nothing could be read. */
  format: string;
  /** Link types met, in order of first appearance. */
  linkTypes: number[];
  /** Records read. */
  packets: number;
  /** Records the filter selected (all of them without a filter). */
  selected: number;
  /** Wire bytes of the selected records. */
  bytes: number;
  /** Seconds since the epoch of the first and last record read; null when empty. */
  first: number | null;
  last: number | null;
  /** A capture file fault met after `packets` records: the results cover what came before. */
  error?: string;
  /** Flows evicted to stay within the flow limit (--max-flows), when any were (flows were tracked). */
  evictedFlows?: number;
}

/** What consumers see while the pass runs and when it finishes. */
export interface AnalysisContext {
  capture: CaptureFacts;
  /** The flow table, when some consumer asked for flows. */
  flows: FlowTable | undefined;
  /**
   * Every table holding flows: `flows` alone, or one table per thread when the flows were tracked in
   * shares (each flow is in exactly one of them). Empty when no consumer asked for flows.
   */
  tables: FlowTable[];
  /** Threads tracking the flows (1, or the shares: see AnalysisOptions.threads). */
  shares: number;
  /**
   * In `finish`, with shares: asks share `index`'s worker for its tracker's follow-up work (flow-shares.ts
   * ShareTracker.followUp; every table's rows are readable there), once; undefined when it has none.
   */
  askShare(index: number, request: unknown): Promise<unknown> | undefined;
}

/** One question answered during the pass. */
export interface PacketConsumer {
  /** True when the consumer reads flows (the pass then tracks every selected IP packet). */
  readonly needsFlows?: boolean;
  /** Called for each selected packet, after flow tracking; `flowId` is -1 without a flow. */
  onPacket?(p: DecodedPacket, flowId: number, ctx: AnalysisContext): void;
  /** Called before the flow table reuses an evicted flow's row. */
  onFlowEvicted?(flows: FlowTable, id: number): void;
  /**
   * Called when a flow ends for good (idle timeout, port reuse). When every consumer that needs flows has
   * it, and all of them are `flowsOnly`, the table recycles an ended flow's row after this call (fewer
   * fresh pages for long captures), so the consumer must take what it needs here; `finish` then sees only
   * the flows that had not ended.
   */
  onFlowEnded?(flows: FlowTable, id: number): void;
  /** Called once after the last packet (the pass waits for a promise it returns). */
  finish?(ctx: AnalysisContext): void | Promise<void>;
  /**
   * True when the consumer reads flows only when they are evicted and at the end (every table of
   * `ctx.tables`), never per packet: the pass may then track the flows on several threads.
   */
  readonly flowsOnly?: boolean;
  /**
   * For a `flowsOnly` consumer that also reads packets: the module (URL) and options of its ShareTracker
   * (flow-shares.ts), which does the consumer's packet work in the share workers. The pass may then track
   * the flows on several threads (`ctx.shares` > 1): `onPacket` then sees only this thread's share of the
   * packets (the flow work of its own flows), share 1's tracker sees every packet (the packet work that is
   * not about one flow) and the other trackers their share's; `adoptShare` gets each worker's table and
   * what its tracker returned, before `finish`. `callerWeight`: the calling thread's share of the flows
   * against each worker's (default 1, equal shares): above 1 when the tracker's work on every packet makes
   * share 1's worker the slower one.
   */
  readonly shareTracker?: { module: string; options?: unknown; callerWeight?: number };
  adoptShare?(table: FlowTable, tracked: unknown): void;
}

export interface AnalysisOptions {
  /** A libpcap filter expression: only the packets it selects are analysed. */
  expression?: string;
  /** Passed to the filter compiler: tcp[]/udp[]/port also on IPv6 and through extension headers. */
  ipv6Transport?: boolean;
  /** Flow table limits and timeouts. */
  flows?: FlowTableOptions;
  /** Standard input for `-`. */
  stdin?: Readable;
  /** Told how far the read has come (bytes of the file) and, at the end, that it is over: a progress bar. */
  progress?: { update(done: number, total: number): void; done(): void };
  /**
   * Threads that may track flows (default 1). With more, and when every consumer is `flowsOnly` and the
   * capture is a file of some size, each thread reads the whole capture and tracks its share of the flows.
   */
  threads?: number;
  /** Smallest capture file (bytes) tracked on several threads (default 1 GiB, flow-shares.ts MIN_SHARED_BYTES: below it the duplicated reading and a worker's start cost more than they save). */
  minSharedBytes?: number;
  /**
   * Rows of evicted flows on their way from each share worker to this thread at most (a power of two;
   * default 65,536, 16 MiB): a worker that gets this far ahead waits for this thread to take them.
   */
  evictedRowsInFlight?: number;
}

/** See AnalysisOptions.evictedRowsInFlight. */
const EVICTED_ROWS_IN_FLIGHT = 65_536;
/** Records read between two looks at the share workers' evicted rows. */
const DRAIN_EVERY = 4096;


// The pass's running counts (see `analyze`).
const T_PACKETS = 0;
const T_SELECTED = 1;
const T_BYTES = 2;
const T_FIRST = 3;
const T_LAST = 4;
const TALLY_WORDS = 5;

/** Reads a capture once and feeds every consumer. Rejects only on a file that cannot be opened at all. */
export async function analyze(file: string, consumers: readonly PacketConsumer[], options: AnalysisOptions = {}): Promise<AnalysisContext> {
  const capture: CaptureFacts = { file, format: '', linkTypes: [], packets: 0, selected: 0, bytes: 0, first: null, last: null };
  const needsFlows = consumers.some((c) => c.needsFlows === true);
  const evictors = consumers.filter((c) => c.onFlowEvicted !== undefined);
  const flowOptions: FlowTableOptions = { ...(options.flows ?? {}) };
  if (evictors.length > 0) {
    const userEvict = flowOptions.onEvict;
    flowOptions.onEvict = (table, id) => {
      userEvict?.(table, id);
      for (const c of evictors) c.onFlowEvicted!(table, id);
    };
  }
  const shares = needsFlows ? flowShares(file, consumers, options) : 1;
  const tracker = consumers.find((c) => c.shareTracker !== undefined)?.shareTracker;
  const bounds = shareBounds(shares, tracker?.callerWeight);
  if (shares > 1) {
    flowOptions.partition = { count: shares, index: 0, bounds };
    // A worker may read this thread's rows after the pass (AnalysisContext.askShare).
    flowOptions.shared = true;
  }
  else if (needsFlows && flowOptions.onEnd === undefined) {
    const flowConsumers = consumers.filter((c) => c.needsFlows === true);
    if (flowConsumers.every((c) => c.flowsOnly === true && c.onFlowEnded !== undefined)) {
      flowOptions.onEnd = (table, id) => {
        for (const c of flowConsumers) c.onFlowEnded!(table, id);
      };
    }
  }
  // The other shares start first: their threads work while this one reads its share.
  const job = { expression: options.expression ?? '', ipv6Transport: options.ipv6Transport === true, flows: options.flows ?? {}, ...(tracker !== undefined ? { tracker: { module: tracker.module, options: tracker.options } } : {}) };
  // Flows a worker evicts reach the consumers as this thread's evictions do, during the pass (bounded in
  // flight), or are dropped by the worker when no consumer reads evicted flows.
  const others = shares > 1 ? trackShares(file, bounds, job, evictors.length > 0 ? (options.evictedRowsInFlight ?? EVICTED_ROWS_IN_FLIGHT) : 0) : undefined;
  const rings = others?.evicted ?? [];
  const onEvict = flowOptions.onEvict;
  const takeEvicted = (): void => {
    for (const r of rings) r.drain(onEvict!);
  };
  let untilDrain = DRAIN_EVERY;
  const flows = needsFlows ? new FlowTable(flowOptions) : undefined;
  const workers: Share[] = [];
  const askShare = (index: number, request: unknown): Promise<unknown> | undefined => {
    const ask = workers[index - 1]?.ask;
    if (ask === undefined) return undefined;
    workers[index - 1]!.ask = undefined;
    return ask(request);
  };
  const ctx: AnalysisContext = { capture, flows, tables: flows === undefined ? [] : [flows], shares, askShare };
  const onPacket = consumers.filter((c) => c.onPacket !== undefined);
  const handlers = onPacket.map((c) => c.onPacket!.bind(c));
  const nHandlers = handlers.length;
  const filter = await LinkFilter.create(options.expression ?? '', options.ipv6Transport === true);
  let lastLink = -1;
  const p = new DecodedPacket();

  // Counted in a typed array and copied to `capture` at the end: a double stored in an object's field (or a
  // closure's variable) is boxed anew on every store, 16 bytes a packet and a scavenge every 40 ms.
  const tally = new Float64Array(TALLY_WORDS);
  tally[T_FIRST] = NaN;
  const settle = (): void => {
    capture.packets = tally[T_PACKETS]!;
    capture.selected = tally[T_SELECTED]!;
    capture.bytes = tally[T_BYTES]!;
    if (tally[T_PACKETS]! > 0) {
      capture.first = tally[T_FIRST]!;
      capture.last = tally[T_LAST]!;
    }
  };
  const onRecord = (rec: PacketRecord): boolean => {
    tally[T_PACKETS]!++;
    if (--untilDrain === 0) {
      untilDrain = DRAIN_EVERY;
      takeEvicted();
    }
    const t = rec.tsSec + rec.tsNsec / 1e9;
    if (Number.isNaN(tally[T_FIRST])) tally[T_FIRST] = t;
    tally[T_LAST] = t;
    if (rec.linkType !== lastLink) {
      lastLink = rec.linkType;
      if (!capture.linkTypes.includes(lastLink)) capture.linkTypes.push(lastLink);
    }
    if (!filter.matches(rec)) return true;
    tally[T_SELECTED]!++;
    tally[T_BYTES]! += rec.wirelen;
    // Tracking share 0 of the flows: another thread's packets need no decoding here.
    if (shares > 1) {
      const share = recordShare(rec, bounds);
      if (share > 0) {
        flows!.advance(rec.tsSec, rec.tsNsec);
        return true;
      }
    }
    decodeRecord(p, rec);
    let flowId = -1;
    if (flows !== undefined) {
      flowId = flows.track(p);
      if (p.hasQuoted) flows.linkIcmpError(p);
    }
    for (let i = 0; i < nHandlers; i++) handlers[i]!(p, flowId, ctx);
    return true;
  };
  // The reader reports whatever a callback throws as a fault of the file: keep our own failures (a filter
  // tcpdump would reject, a bug) apart, stop reading, and rethrow them as they are.
  let failure: { error: unknown } | undefined;
  const guarded = (rec: PacketRecord): boolean => {
    try {
      return onRecord(rec);
    } catch (error) {
      failure = { error };
      return false;
    }
  };

  try {
    try {
      const readOptions: ReadOptions = {};
      if (options.stdin) readOptions.stdin = options.stdin;
      const progress = options.progress;
      if (progress !== undefined) readOptions.onProgress = (done, total) => progress.update(done, total);
      let res: ReadResult;
      try {
        res = await readCapture(file, { onInfo: (info) => (capture.format = info.format), onPacket: guarded }, readOptions);
      } finally {
        progress?.done();
        settle();
      }
      if (res.info !== undefined) capture.format = res.info.format;
    } catch (err) {
      if (failure !== undefined) throw failure.error;
      if (!(err instanceof CaptureError)) throw err;
      // A file that could not be opened has nothing to report: let the caller say so.
      if (capture.packets === 0 && capture.format === '') throw err;
      capture.error = err.message;
    }
    if (failure !== undefined) throw failure.error;
    if (others !== undefined) workers.push(...(await sharesDone(others.done)));
  } finally {
    // Whatever happened, a worker waiting on a full ring goes on (and drops the rows it would queue).
    for (const r of rings) r.close();
  }
  for (const share of workers) {
    ctx.tables.push(share.table);
    for (const c of consumers) c.adoptShare?.(share.table, share.tracked);
  }
  const evicted = ctx.tables.reduce((n, t) => n + t.stats.evicted, 0);
  if (evicted > 0) capture.evictedFlows = evicted;
  try {
    for (const c of consumers) await c.finish?.(ctx);
  } finally {
    for (const w of workers) w.release();
  }
  return ctx;

  /** The workers' shares, once their passes end, taking the rows they evict until then. */
  async function sharesDone(done: Promise<Share[]>): Promise<Share[]> {
    if (rings.length === 0) return done;
    let settled = false;
    const over = done.then(
      () => (settled = true),
      () => (settled = true),
    );
    for (;;) {
      takeEvicted();
      if (settled) break;
      await Promise.race([over, ...rings.map((r) => r.waitForRows(100))]);
    }
    takeEvicted();
    return done;
  }
}

/** How many threads track the flows: see AnalysisOptions.threads. */
function flowShares(file: string, consumers: readonly PacketConsumer[], options: AnalysisOptions): number {
  const threads = Math.floor(options.threads ?? 1);
  if (threads <= 1 || file === '-' || options.stdin !== undefined) return 1;
  if (!consumers.every((c) => c.flowsOnly === true && (c.onPacket === undefined || c.shareTracker !== undefined))) return 1;
  // The workers run one consumer's tracker.
  if (consumers.filter((c) => c.shareTracker !== undefined).length > 1) return 1;
  return isLargeCapture(file, options.minSharedBytes) ? threads : 1;
}
