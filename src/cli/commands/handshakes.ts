/** `pcapsift handshakes FILE [EXPRESSION]`: TCP connection attempts and their outcomes, per server. */
import { analyze } from '../../analyze/analysis.js';
import { HandshakesConsumer, type HandshakeConnection, type HandshakeServer } from '../../analyze/handshakes.js';
import { keepTop } from '../../analyze/host.js';
import { alignedTable, csvHeader, csvLine, writeJsonArray, type Column } from '../../report/format.js';
import { stdout } from '../output.js';
import { analysisOptionsOf, COMMON_OPTIONS_HELP, finishStatus, parseAnalysisArgs, runAnalysis } from './analysis-args.js';
import type { Command } from './index.js';

const HELP = `usage: pcapsift handshakes FILE [options] [EXPRESSION]

Every TCP connection attempt (a SYN from the client) and how it went: established (SYN, SYN/ACK and the
client's ACK seen), synack-only (SYN/ACK but no final ACK), rejected (RST before any SYN/ACK), unanswered.
Also the SYN/ACK segments, the number
  tcpdump -nn -r FILE 'tcp[tcpflags] == (tcp-syn|tcp-ack)' | wc -l
prints (pcapsift also counts VLAN-tagged and IPv6 SYN/ACKs, which that filter does not see).
The table shows the totals, then the attempts per server endpoint; --json and --csv list every connection.

options:
${COMMON_OPTIONS_HELP}

JSON: {"synAcks","established","attempts","synAckOnly","rejected","unanswered",
       "connections":[{"client","clientPort","server","serverPort","outcome","firstFrame","start"}],
       "servers":[{"server","port","attempts","established","synAckOnly","rejected","unanswered"}]}

examples:
  pcapsift handshakes web.pcap
  pcapsift handshakes web.pcap --json 'host 192.168.218.131'
  pcapsift handshakes scan.pcap --top 10`;

const SERVER_COLUMNS: Column<HandshakeServer>[] = [
  { header: 'attempts', value: (s) => s.attempts },
  { header: 'established', value: (s) => s.established },
  { header: 'synack-only', value: (s) => s.synAckOnly },
  { header: 'rejected', value: (s) => s.rejected },
  { header: 'unanswered', value: (s) => s.unanswered },
  { header: 'server', value: (s) => `${s.server}.${s.port}` },
];

const CONNECTION_COLUMNS: Column<HandshakeConnection>[] = [
  { header: 'client', value: (c) => c.client },
  { header: 'clientPort', value: (c) => c.clientPort },
  { header: 'server', value: (c) => c.server },
  { header: 'serverPort', value: (c) => c.serverPort },
  { header: 'outcome', value: (c) => c.outcome },
  { header: 'firstFrame', value: (c) => c.firstFrame },
  { header: 'start', value: (c) => c.start },
];

export const handshakesCommand: Command = {
  name: 'handshakes',
  summary: 'TCP connection attempts and outcomes, SYN/ACK count, per server',
  help: HELP,
  async run(argv) {
    const a = parseAnalysisArgs('handshakes', argv, { host: 'none' });
    // Totals and servers from the flow rows; the connections (JSON, CSV) written one at a time from them.
    const c = new HandshakesConsumer({ connections: false });
    const ctx = await runAnalysis(() => analyze(a.file, [c], analysisOptionsOf(a)));
    const capture = ctx.capture;
    const data = c.result;
    const write = (text: string): void => stdout.write(text);
    if (a.format === 'json') {
      // As jsonText(data) lays the object out, with the connections streamed.
      write('{\n');
      for (const key of ['synAcks', 'established', 'attempts', 'synAckOnly', 'rejected', 'unanswered'] as const) write(`  "${key}": ${data[key]},\n`);
      write('  "connections": ');
      writeJsonArray(c.connectionsInOrder(), write, 2);
      write(',\n  "servers": ');
      writeJsonArray(data.servers, write, 2);
      write('\n}\n');
    } else if (a.format === 'csv') {
      write(csvHeader(CONNECTION_COLUMNS));
      for (const conn of c.connectionsInOrder()) write(csvLine(conn, CONNECTION_COLUMNS));
    } else {
      stdout.write(
        `${data.synAcks} SYN/ACK segments, ${data.attempts} connection attempts: ${data.established} established, ` +
          `${data.synAckOnly} SYN/ACK without final ACK, ${data.rejected} rejected, ${data.unanswered} unanswered\n`,
      );
      let servers = keepTop(data.servers, (s) => s.attempts, a.top);
      if (!a.desc) servers = servers.slice().reverse();
      if (servers.length > 0) stdout.write('\n' + alignedTable(servers, SERVER_COLUMNS));
    }
    return finishStatus(capture);
  },
};
