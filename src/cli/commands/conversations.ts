/** `pcapsift conversations FILE [EXPRESSION]`: one row per bidirectional flow, with Zeek's state and history. */
import { analyze } from '../../analyze/analysis.js';
import { ConversationsConsumer, type FlowOrder } from '../../analyze/conversations.js';
import { compareRecords, flowRecord, protocolName, type FlowRecord } from '../../analyze/flow-record.js';
import { keepTop } from '../../analyze/host.js';
import { FLOW_ICMP_REJECTED, type FlowTable } from '../../flows/flow-table.js';
import { connState } from '../../flows/states.js';
import { ipTextAt } from '../../decode/address.js';
import { alignedTable, AsciiWriter, csvTable, decimalTime, digitsOf, durationTextNs, jsonText, putDecimalTime, putIpv4, putText, putU32, putUint, splitNs, timeText, type Column } from '../../report/format.js';
import { stdout, writeAllSync } from '../output.js';
import { analysisOptionsOf, COMMON_OPTIONS_HELP, finishStatus, parseAnalysisArgs, runAnalysis } from './analysis-args.js';
import type { Command } from './index.js';

const HELP = `usage: pcapsift conversations FILE [options] [EXPRESSION]

One row per bidirectional flow (TCP, UDP, ICMP, other IP): the originator (who sent the first SYN, or
else the first packet) and the responder, protocol, start, duration, packets and bytes each way, Zeek's
conn_state (S0 S1 SF REJ S2 S3 RSTO RSTR RSTOS0 RSTRH SH SHR OTH) and history letters, and for UDP and
ICMP whether the responder answered, or an ICMP error (port unreachable) rejected it. Rows are in order
of start; --top N keeps the N flows with the most packets.

options:
${COMMON_OPTIONS_HELP}

JSON fields: proto, orig {ip, port}, resp {ip, port}, start, duration, packets {orig, resp},
bytes {orig, resp} (IP bytes), payload {orig, resp}, state, history, answered, rejected, firstFrame.

examples:
  pcapsift conversations web.pcap
  pcapsift conversations web.pcap --json 'tcp'
  pcapsift conversations big.pcap --top 20 --desc`;

const COLUMNS: Column<FlowRecord>[] = [
  { header: 'start', value: (r) => timeText(r.start) },
  { header: 'duration', value: (r) => durationTextNs(r.durationNs), align: 'right' },
  { header: 'proto', value: (r) => r.proto },
  { header: 'orig', value: (r) => `${r.orig.ip}.${r.orig.port}` },
  { header: 'resp', value: (r) => `${r.resp.ip}.${r.resp.port}` },
  { header: 'pkts>', value: (r) => r.packets.orig },
  { header: 'pkts<', value: (r) => r.packets.resp },
  { header: 'bytes>', value: (r) => r.bytes.orig },
  { header: 'bytes<', value: (r) => r.bytes.resp },
  { header: 'state', value: (r) => r.state },
  { header: 'history', value: (r) => (r.history === '' ? '-' : r.history) },
  { header: 'answered', value: (r) => (r.rejected ? 'rejected' : r.answered ? 'yes' : 'no') },
];

const CSV_COLUMNS: Column<FlowRecord>[] = [
  { header: 'proto', value: (r) => r.proto },
  { header: 'orig_ip', value: (r) => r.orig.ip },
  { header: 'orig_port', value: (r) => r.orig.port },
  { header: 'resp_ip', value: (r) => r.resp.ip },
  { header: 'resp_port', value: (r) => r.resp.port },
  { header: 'start', value: (r) => decimalTime(r.startSec, r.startNsec) },
  { header: 'duration', value: (r) => decimalTime(...splitNs(r.durationNs)) },
  { header: 'orig_pkts', value: (r) => r.packets.orig },
  { header: 'resp_pkts', value: (r) => r.packets.resp },
  { header: 'orig_bytes', value: (r) => r.bytes.orig },
  { header: 'resp_bytes', value: (r) => r.bytes.resp },
  { header: 'state', value: (r) => r.state },
  { header: 'history', value: (r) => r.history },
  { header: 'answered', value: (r) => r.answered },
  { header: 'rejected', value: (r) => r.rejected },
  { header: 'first_frame', value: (r) => r.firstFrame },
];

/** What eviction means for the rows (finishStatus says how many). */
const EVICTION_NOTE = 'each is still listed, but a later packet of one starts a new row';

export const conversationsCommand: Command = {
  name: 'conversations',
  summary: 'one row per flow: endpoints, packets, bytes, Zeek conn_state and history',
  help: HELP,
  async run(argv) {
    const a = parseAnalysisArgs('conversations', argv, { host: 'none' });
    const c = new ConversationsConsumer(false);
    const ctx = await runAnalysis(() => analyze(a.file, [c], analysisOptionsOf(a)));
    const evicted = ctx.tables.reduce((n, t) => n + t.stats.evicted, 0);
    const total = (x: FlowRecord): number => x.packets.orig + x.packets.resp;
    if (evicted === 0) {
      // The common case, written straight from the flow tables: no object per flow kept (JSON makes one
      // per row as it writes it), so memory stays that of the flow table however many flows there are.
      let rows = c.order;
      if (a.top !== undefined) rows = topRows(rows, a.top);
      if (a.desc) rows = byPacketsDesc(rows);
      if (a.format === 'csv') writeCsv(rows);
      else if (a.format === 'json') writeJson(rows);
      else writeTable(rows);
      return finishStatus(ctx.capture, EVICTION_NOTE);
    }
    const o = c.order;
    const records = c.records.evicted.concat(Array.from(o.ids, (id, i) => flowRecord(o.tables[o.table[i]!]!, id)));
    records.sort(compareRecords);
    const r = { conversations: records, evicted, capture: ctx.capture };
    let rows = keepTop(r.conversations, total, a.top);
    if (a.desc) rows = rows.slice().sort((x, y) => total(y) - total(x));
    if (a.format === 'json') {
      stdout.write(jsonText(rows.map(jsonRow)));
    } else if (a.format === 'csv') stdout.write(csvTable(rows, CSV_COLUMNS));
    else stdout.write(alignedTable(rows, COLUMNS));
    return finishStatus(r.capture, EVICTION_NOTE);
  },
};

/** A conversation as JSON shows it. */
function jsonRow(x: FlowRecord): object {
  return {
    proto: x.proto,
    orig: x.orig,
    resp: x.resp,
    start: x.start,
    duration: x.duration,
    packets: x.packets,
    bytes: x.bytes,
    payload: x.payload,
    state: x.state,
    history: x.history,
    answered: x.answered,
    rejected: x.rejected,
    firstFrame: x.firstFrame,
  };
}

/**
 * Writes the flows of an order as `jsonText` writes the array of their rows (two-space indentation), one
 * row at a time: the text is the same, without an array of a million records first.
 */
function writeJson(o: FlowOrder): void {
  const n = o.ids.length;
  if (n === 0) {
    stdout.write('[]\n');
    return;
  }
  stdout.write('[\n');
  const q = JSON.stringify;
  for (let i = 0; i < n; i++) {
    const x = flowRecord(o.tables[o.table[i]!]!, o.ids[i]!);
    // jsonRow's fields in its order, laid out as JSON.stringify(rows, null, 2) lays out an element.
    stdout.write(
      `  {\n    "proto": ${q(x.proto)},\n    "orig": {\n      "ip": ${q(x.orig.ip)},\n      "port": ${q(x.orig.port)}\n    },\n` +
        `    "resp": {\n      "ip": ${q(x.resp.ip)},\n      "port": ${q(x.resp.port)}\n    },\n    "start": ${q(x.start)},\n    "duration": ${q(x.duration)},\n` +
        `    "packets": {\n      "orig": ${x.packets.orig},\n      "resp": ${x.packets.resp}\n    },\n` +
        `    "bytes": {\n      "orig": ${x.bytes.orig},\n      "resp": ${x.bytes.resp}\n    },\n` +
        `    "payload": {\n      "orig": ${x.payload.orig},\n      "resp": ${x.payload.resp}\n    },\n` +
        `    "state": ${q(x.state)},\n    "history": ${q(x.history)},\n    "answered": ${x.answered},\n    "rejected": ${x.rejected},\n` +
        `    "firstFrame": ${x.firstFrame}\n  }${i + 1 < n ? ',' : ''}\n`,
    );
  }
  stdout.write(']\n');
}

/** Packets both ways of the i-th flow of an order. */
function packetsAt(o: FlowOrder, i: number): number {
  return o.tables[o.table[i]!]!.totalPackets(o.ids[i]!);
}

/** The rows at positions `at` of an order, in that order. */
function pick(o: FlowOrder, at: ArrayLike<number>): FlowOrder {
  const table = new Uint8Array(at.length);
  const ids = new Int32Array(at.length);
  for (let k = 0; k < at.length; k++) {
    table[k] = o.table[at[k]!]!;
    ids[k] = o.ids[at[k]!]!;
  }
  return { tables: o.tables, table, ids };
}

/** Keeps the `top` flows with the most packets, in their order (ties: the earlier flows). */
function topRows(o: FlowOrder, top: number): FlowOrder {
  const n = o.ids.length;
  if (n <= top) return o;
  const counts = new Float64Array(n);
  for (let i = 0; i < n; i++) counts[i] = packetsAt(o, i);
  const threshold = Float64Array.from(counts).sort()[n - top]!;
  let above = 0;
  for (let i = 0; i < n; i++) if (counts[i]! > threshold) above++;
  const keep: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = counts[i]!;
    if (c > threshold || (c === threshold && above < top && ++above)) keep.push(i);
  }
  return pick(o, keep);
}

/** The same rows, most packets first (a stable sort: ties keep their order). */
function byPacketsDesc(o: FlowOrder): FlowOrder {
  const at = Array.from({ length: o.ids.length }, (_, i) => i);
  at.sort((x, y) => packetsAt(o, y) - packetsAt(o, x) || x - y);
  return pick(o, at);
}

/** A flow's conn_state, straight from the table. */
function stateOf(t: FlowTable, id: number, history: string): string {
  return connState(t.transport(id), t.endpointState(id, 0), t.endpointState(id, 1), t.payloadBytes(id, 0), t.payloadBytes(id, 1), history);
}

/** An endpoint's address text: IPv4 through a small cache (hosts repeat), IPv6 formatted. */
function addressText(t: FlowTable, id: number, side: number): string {
  return ipTextAt(t.version(id), t.words, t.addrIndex(id, side));
}

/** A flow's texts of variable width (history '-' when empty), made in the same way for both passes of writeTable. */
interface RowTexts {
  orig: string;
  resp: string;
  duration: string;
  state: string;
  history: string;
}

function rowTexts(t: FlowTable, id: number, into: RowTexts): RowTexts {
  into.orig = `${addressText(t, id, 0)}.${t.origPort(id)}`;
  into.resp = `${addressText(t, id, 1)}.${t.respPort(id)}`;
  const h = t.historyString(id);
  into.state = stateOf(t, id, h);
  into.history = h === '' ? '-' : h;
  into.duration = durationTextNs(t.durationNs(id));
  return into;
}

/**
 * The aligned table, straight from the flow table: a first pass measures every column, a second makes the
 * texts again and writes the rows as bytes. Nothing is kept per flow between the passes (keeping the
 * texts of 2.1 M flows took 0.8 GB), so memory stays that of the flow table.
 */
function writeTable(o: FlowOrder): void {
  const n = o.ids.length;
  const widths = COLUMNS.map((col) => col.header.length);
  const [W_START, W_DURATION, W_PROTO, W_ORIG, W_RESP, W_PKTS_O, W_PKTS_R, W_BYTES_O, W_BYTES_R, W_STATE, W_HISTORY] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const x: RowTexts = { orig: '', resp: '', duration: '', state: '', history: '' };
  for (let i = 0; i < n; i++) {
    const t = o.tables[o.table[i]!]!;
    const id = o.ids[i]!;
    rowTexts(t, id, x);
    if (x.orig.length > widths[W_ORIG]!) widths[W_ORIG] = x.orig.length;
    if (x.resp.length > widths[W_RESP]!) widths[W_RESP] = x.resp.length;
    if (x.duration.length > widths[W_DURATION]!) widths[W_DURATION] = x.duration.length;
    if (x.state.length > widths[W_STATE]!) widths[W_STATE] = x.state.length;
    if (x.history.length > widths[W_HISTORY]!) widths[W_HISTORY] = x.history.length;
    const pr = protocolName(t.proto(id)).length;
    if (pr > widths[W_PROTO]!) widths[W_PROTO] = pr;
    widths[W_PKTS_O] = Math.max(widths[W_PKTS_O]!, digitsOf(t.packets(id, 0)));
    widths[W_PKTS_R] = Math.max(widths[W_PKTS_R]!, digitsOf(t.packets(id, 1)));
    widths[W_BYTES_O] = Math.max(widths[W_BYTES_O]!, digitsOf(t.ipBytes(id, 0)));
    widths[W_BYTES_R] = Math.max(widths[W_BYTES_R]!, digitsOf(t.ipBytes(id, 1)));
  }
  if (n > 0) widths[W_START] = Math.max(widths[W_START]!, timeText(o.tables[o.table[0]!]!.start(o.ids[0]!)).length);
  const w = new AsciiWriter((bytes) => writeAllSync(1, bytes));
  const right = COLUMNS.map((col) => col.align === 'right' || col.header.startsWith('pkts') || col.header.startsWith('bytes'));
  const cell = (j: number, text: string, last = false): void => {
    if (j > 0) w.text('  ');
    const pad = widths[j]! - text.length;
    if (right[j]) for (let k = 0; k < pad; k++) w.char(SPACE);
    w.text(text);
    if (!right[j] && !last) for (let k = 0; k < pad; k++) w.char(SPACE);
  };
  const num = (j: number, v: number): void => {
    w.text('  ');
    for (let k = digitsOf(v); k < widths[j]!; k++) w.char(SPACE);
    w.uint(v);
  };
  stdout.flush();
  COLUMNS.forEach((col, j) => cell(j, col.header, j === COLUMNS.length - 1));
  w.char(NEWLINE);
  for (let i = 0; i < n; i++) {
    const t = o.tables[o.table[i]!]!;
    const id = o.ids[i]!;
    rowTexts(t, id, x);
    cell(W_START, timeText(t.start(id)));
    cell(W_DURATION, x.duration);
    cell(W_PROTO, protocolName(t.proto(id)));
    cell(W_ORIG, x.orig);
    cell(W_RESP, x.resp);
    num(W_PKTS_O, t.packets(id, 0));
    num(W_PKTS_R, t.packets(id, 1));
    num(W_BYTES_O, t.ipBytes(id, 0));
    num(W_BYTES_R, t.ipBytes(id, 1));
    cell(W_STATE, x.state);
    cell(W_HISTORY, x.history);
    cell(COLUMNS.length - 1, (t.flags(id) & FLOW_ICMP_REJECTED) !== 0 ? 'rejected' : t.packets(id, 1) > 0 ? 'yes' : 'no', true);
    w.char(NEWLINE);
  }
  w.flush();
}

function writeCsv(o: FlowOrder): void {
  stdout.write(CSV_COLUMNS.map((col) => col.header).join(',') + '\n');
  stdout.flush();
  // Rows go straight from the table's rows into bytes: no record object, no row string per flow, one room
  // check per row. No field can hold a comma or a quote (addresses, numbers, state and history letters):
  // nothing is quoted.
  const w = new AsciiWriter((bytes) => writeAllSync(1, bytes));
  for (let i = 0; i < o.ids.length; i++) {
    const t = o.tables[o.table[i]!]!;
    const id = o.ids[i]!;
    const v = t.version(id);
    const history = t.historyString(id);
    w.reserve(CSV_ROW_MAX);
    const b = w.buf;
    let p = w.pos;
    p = putText(b, p, protocolName(t.proto(id)));
    b[p++] = COMMA;
    p = v === 4 ? putIpv4(b, p, t.ipv4(id, 0)) : putText(b, p, ipTextAt(v, t.words, t.addrIndex(id, 0)));
    b[p++] = COMMA;
    p = putU32(b, p, t.origPort(id));
    b[p++] = COMMA;
    p = v === 4 ? putIpv4(b, p, t.ipv4(id, 1)) : putText(b, p, ipTextAt(v, t.words, t.addrIndex(id, 1)));
    b[p++] = COMMA;
    p = putU32(b, p, t.respPort(id));
    b[p++] = COMMA;
    p = putDecimalTime(b, p, t.startSec(id), t.startNsec(id));
    b[p++] = COMMA;
    const ns = t.durationNs(id);
    const dsec = Math.floor(ns / 1e9);
    p = putDecimalTime(b, p, dsec, ns - dsec * 1e9);
    b[p++] = COMMA;
    p = putUint(b, p, t.packets(id, 0));
    b[p++] = COMMA;
    p = putUint(b, p, t.packets(id, 1));
    b[p++] = COMMA;
    p = putUint(b, p, t.ipBytes(id, 0));
    b[p++] = COMMA;
    p = putUint(b, p, t.ipBytes(id, 1));
    b[p++] = COMMA;
    p = putText(b, p, stateOf(t, id, history));
    b[p++] = COMMA;
    p = putText(b, p, history);
    b[p++] = COMMA;
    p = putText(b, p, t.packets(id, 1) > 0 ? 'true' : 'false');
    b[p++] = COMMA;
    p = putText(b, p, (t.flags(id) & FLOW_ICMP_REJECTED) !== 0 ? 'true' : 'false');
    b[p++] = COMMA;
    p = putUint(b, p, t.firstFrame(id));
    b[p++] = NEWLINE;
    w.pos = p;
  }
  w.flush();
}

/**
 * The longest CSV row: protocol name (3 digits at most), two IPv6 addresses (45 characters each), ports,
 * times and counters (20 digits each at most), state, 24 history letters, two booleans, commas.
 */
const CSV_ROW_MAX = 512;

const COMMA = 0x2c;
const NEWLINE = 0x0a;
const SPACE = 0x20;
