/** `pcapsift conversations FILE [EXPRESSION]`: one row per bidirectional flow, with Zeek's state and history. */
import { analyze } from '../../analyze/analysis.js';
import { ConversationsConsumer } from '../../analyze/conversations.js';
import { flowRecord, protocolName, type FlowRecord } from '../../analyze/flow-record.js';
import { keepTop } from '../../analyze/host.js';
import { FLOW_ICMP_REJECTED, type FlowTable } from '../../flows/flow-table.js';
import { connState } from '../../flows/states.js';
import { ipTextAt } from '../../decode/address.js';
import { alignedTable, AsciiWriter, csvTable, durationText, jsonText, timeText, type Column } from '../../report/format.js';
import { errorLine, stdout, writeAllSync } from '../output.js';
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
  { header: 'duration', value: (r) => durationText(r.duration), align: 'right' },
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
  { header: 'start', value: (r) => r.start },
  { header: 'duration', value: (r) => r.duration },
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

export const conversationsCommand: Command = {
  name: 'conversations',
  summary: 'one row per flow: endpoints, packets, bytes, Zeek conn_state and history',
  help: HELP,
  async run(argv) {
    const a = parseAnalysisArgs('conversations', argv, { host: 'none' });
    const c = new ConversationsConsumer(false);
    const ctx = await runAnalysis(() => analyze(a.file, [c], analysisOptionsOf(a)));
    const flows = ctx.flows!;
    const evicted = flows.stats.evicted;
    const total = (x: FlowRecord): number => x.packets.orig + x.packets.resp;
    if (a.format !== 'json' && evicted === 0) {
      // The common case, written straight from the flow table: no object per flow.
      let ids = c.ids;
      if (a.top !== undefined) ids = topIds(flows, ids, a.top);
      if (a.desc) ids = Int32Array.from(ids).sort((x, y) => flowPackets(flows, y) - flowPackets(flows, x));
      if (a.format === 'csv') writeCsv(flows, ids);
      else writeTable(flows, ids);
      return finishStatus(ctx.capture);
    }
    const records = c.records.evicted.concat(Array.from(c.ids, (id) => flowRecord(flows, id)));
    records.sort((x, y) => x.start - y.start || x.firstFrame - y.firstFrame);
    const r = { conversations: records, evicted, capture: ctx.capture };
    let rows = keepTop(r.conversations, total, a.top);
    if (a.desc) rows = rows.slice().sort((x, y) => total(y) - total(x));
    if (a.format === 'json') {
      stdout.write(
        jsonText(
          rows.map((x) => ({
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
          })),
        ),
      );
    } else if (a.format === 'csv') stdout.write(csvTable(rows, CSV_COLUMNS));
    else stdout.write(alignedTable(rows, COLUMNS));
    if (r.evicted > 0) errorLine(`pcapsift: ${r.evicted} flows were evicted to stay within the flow limit (--max-flows); each is still listed, but a later packet of one starts a new row`);
    return finishStatus(r.capture);
  },
};

function flowPackets(t: FlowTable, id: number): number {
  return t.packets[id * 2]! + t.packets[id * 2 + 1]!;
}

/** Keeps the ids of the `top` flows with the most packets, in their order. */
function topIds(t: FlowTable, ids: Int32Array, top: number): Int32Array {
  if (ids.length <= top) return ids;
  const counts = Float64Array.from(ids, (id) => flowPackets(t, id)).sort();
  const threshold = counts[counts.length - top]!;
  let above = 0;
  for (const id of ids) if (flowPackets(t, id) > threshold) above++;
  const out: number[] = [];
  for (const id of ids) {
    const n = flowPackets(t, id);
    if (n > threshold || (n === threshold && above < top && ++above)) out.push(id);
  }
  return Int32Array.from(out);
}

/** The text cells of one flow, in COLUMNS order, straight from the table. */
function cells(t: FlowTable, id: number, into: string[], at: number): void {
  const r = flowRecord(t, id);
  for (let i = 0; i < COLUMNS.length; i++) into[at + i] = String(COLUMNS[i]!.value(r) ?? '-');
}

function writeTable(t: FlowTable, ids: Int32Array): void {
  const w = COLUMNS.length;
  const text: string[] = new Array<string>(ids.length * w);
  const widths = COLUMNS.map((col) => col.header.length);
  for (let i = 0; i < ids.length; i++) {
    cells(t, ids[i]!, text, i * w);
    for (let j = 0; j < w; j++) if (text[i * w + j]!.length > widths[j]!) widths[j] = text[i * w + j]!.length;
  }
  const right = COLUMNS.map((col) => col.align === 'right' || col.header.startsWith('pkts') || col.header.startsWith('bytes'));
  const line = (get: (j: number) => string): string => {
    let s = '';
    for (let j = 0; j < w; j++) {
      const v = get(j);
      if (j > 0) s += '  ';
      s += right[j] ? v.padStart(widths[j]!) : j === w - 1 ? v : v.padEnd(widths[j]!);
    }
    return s.trimEnd() + '\n';
  };
  stdout.write(line((j) => COLUMNS[j]!.header));
  for (let i = 0; i < ids.length; i++) stdout.write(line((j) => text[i * w + j]!));
}

function writeCsv(t: FlowTable, ids: Int32Array): void {
  stdout.write(CSV_COLUMNS.map((col) => col.header).join(',') + '\n');
  stdout.flush();
  // Rows go straight from the table's arrays into bytes (no record object, no row string per flow). No
  // field can hold a comma or a quote (addresses, numbers, state and history letters): nothing is quoted.
  const w = new AsciiWriter((bytes) => writeAllSync(1, bytes));
  const addr = t.addr;
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    const v = t.version[id]!;
    const e = id * 2;
    const history = t.historyString(id);
    const state = connState(t.transport(id), t.endpointState(id, 0), t.endpointState(id, 1), t.payloadBytes[e]!, t.payloadBytes[e + 1]!, history);
    const start = t.start[id]!;
    w.text(protocolName(t.proto[id]!));
    w.char(COMMA);
    if (v === 4) w.ipv4(addr[id * 8 + 3]! >>> 0);
    else w.text(ipTextAt(v, addr, id * 8));
    w.char(COMMA);
    w.uint(t.origPort(id));
    w.char(COMMA);
    if (v === 4) w.ipv4(addr[id * 8 + 7]! >>> 0);
    else w.text(ipTextAt(v, addr, id * 8 + 4));
    w.char(COMMA);
    w.uint(t.respPort(id));
    w.char(COMMA);
    w.number(start);
    w.char(COMMA);
    const duration = Math.max(0, t.last[id]! - start);
    if (duration === 0) w.char(DIGIT_0);
    else w.text(String(duration));
    w.char(COMMA);
    w.uint(t.packets[e]!);
    w.char(COMMA);
    w.uint(t.packets[e + 1]!);
    w.char(COMMA);
    w.uint(t.ipBytes[e]!);
    w.char(COMMA);
    w.uint(t.ipBytes[e + 1]!);
    w.char(COMMA);
    w.text(state);
    w.char(COMMA);
    w.text(history);
    w.char(COMMA);
    w.text(t.packets[e + 1]! > 0 ? 'true' : 'false');
    w.char(COMMA);
    w.text((t.flags[id]! & FLOW_ICMP_REJECTED) !== 0 ? 'true' : 'false');
    w.char(COMMA);
    w.uint(t.firstFrame[id]!);
    w.char(NEWLINE);
  }
  w.flush();
}

const COMMA = 0x2c;
const NEWLINE = 0x0a;
const DIGIT_0 = 0x30;
