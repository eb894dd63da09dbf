/** `pcapsift services FILE [--host IP] [EXPRESSION]`: the remote endpoints a host (or every client) sent to. */
import { countedIdsBytes, KEY_BYTES_MAX, KeyBytes } from '../../analyze/host.js';
import { serviceLines, type ServiceRow } from '../../analyze/services.js';
import { AsciiWriter, csvHeader, csvLine, digitsOf, putUint, writeJsonArray, type Column } from '../../report/format.js';
import { stdout, writeAllSync } from '../output.js';
import { analysisOptionsOf, COMMON_OPTIONS_HELP, finishStatus, parseAnalysisArgs, runAnalysis } from './analysis-args.js';
import type { Command } from './index.js';

const HELP = `usage: pcapsift services FILE [--host IP] [options] [EXPRESSION]

The remote endpoints (address, protocol, port) a host sent TCP and UDP packets to, with the packets sent
to each: "which services did it talk to?". With --host it agrees, for IPv4, with
  tcpdump -nn -r FILE 'src host IP and (tcp or udp)' | cut -f 5 -d " " | sort | uniq -c | sort -n
(tcpdump's field ends in ':'; pcapsift prints ADDRESS.PORT without it, for IPv6 too). Without --host it
lists, for every host that acts as a client (opens a TCP or UDP flow), the services it opened flows to
and the packets it sent them.

options:
  --host IP      only this host's packets (every packet it sent, whatever its role)
  --tcpdump-view count only what tcpdump's filters see as TCP/UDP (no IPv6 extension headers)
${COMMON_OPTIONS_HELP}

output: "COUNT [CLIENT] PROTO ADDRESS.PORT" lines; JSON [{"proto","ip","port","packets"}] (with "client"
without --host).

examples:
  pcapsift services web.pcap --host 192.168.218.131
  pcapsift services web.pcap --desc --top 20
  pcapsift services web.pcap --host 2001:db8::5 --json 'not port 53'`;

export const servicesCommand: Command = {
  name: 'services',
  summary: 'remote endpoints a host (or each client) sent to, packets per endpoint',
  help: HELP,
  async run(argv) {
    const a = parseAnalysisArgs('services', argv, { host: 'optional' });
    // Every format is written from the counting table, one row at a time: no object per row kept.
    const r = await runAnalysis(() => serviceLines(a.file, analysisOptionsOf(a)));
    const keys = new KeyBytes(r.size, r.writeKey);
    const ids = countedIdsBytes(r.counts, keys, a.top, a.desc);
    if (a.format === 'table') writeUniq(r.counts, keys, ids);
    else if (a.format === 'json') writeJsonArray(rowsOf(ids, r.row), (text) => stdout.write(text));
    else {
      const columns: Column<ServiceRow>[] = [];
      if (a.host === undefined) columns.push({ header: 'client', value: (x) => x.client ?? null });
      columns.push({ header: 'proto', value: (x) => x.proto }, { header: 'ip', value: (x) => x.ip }, { header: 'port', value: (x) => x.port }, { header: 'packets', value: (x) => x.packets });
      stdout.write(csvHeader(columns));
      for (const id of ids) stdout.write(csvLine(r.row(id), columns));
    }
    return finishStatus(r.capture);
  },
};

/** The rows of entries `ids`, in order, made as they are read. */
function* rowsOf(ids: Int32Array, row: (i: number) => ServiceRow): Generator<ServiceRow> {
  for (const id of ids) yield row(id);
}

/** Writes `uniq -c` lines (the count right-aligned in seven columns, a space, the key) as bytes. */
function writeUniq(counts: Float64Array, keys: KeyBytes, ids: Int32Array): void {
  stdout.flush();
  const w = new AsciiWriter((bytes) => writeAllSync(1, bytes));
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    const count = counts[id]!;
    w.reserve(24 + KEY_BYTES_MAX);
    const b = w.buf;
    let p = w.pos;
    for (let pad = digitsOf(count); pad < 7; pad++) b[p++] = 0x20;
    p = putUint(b, p, count);
    b[p++] = 0x20;
    p = keys.copy(id, b, p);
    b[p++] = 0x0a;
    w.pos = p;
  }
  w.flush();
}
