/** `pcapsift conversations FILE [EXPRESSION]`: one row per bidirectional flow, with Zeek's state and history. */
import { conversations } from '../../analyze/conversations.js';
import type { FlowRecord } from '../../analyze/flow-record.js';
import { keepTop } from '../../analyze/host.js';
import { alignedTable, csvTable, durationText, jsonText, timeText, type Column } from '../../report/format.js';
import { errorLine, stdout } from '../output.js';
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
    const r = await runAnalysis(() => conversations(a.file, analysisOptionsOf(a)));
    let rows = keepTop(r.conversations, (x) => x.packets.orig + x.packets.resp, a.top);
    if (a.desc) rows = rows.slice().sort((x, y) => y.packets.orig + y.packets.resp - (x.packets.orig + x.packets.resp));
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
