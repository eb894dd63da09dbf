/** `pcapsift dports FILE [--host IP] [EXPRESSION]`: packets per destination port. */
import { dports } from '../../analyze/dports.js';
import { keepTop, sortCounted } from '../../analyze/host.js';
import { csvTable, jsonText, uniqTable } from '../../report/format.js';
import { stdout } from '../output.js';
import { analysisOptionsOf, COMMON_OPTIONS_HELP, finishStatus, parseAnalysisArgs, runAnalysis } from './analysis-args.js';
import type { Command } from './index.js';

const HELP = `usage: pcapsift dports FILE [--host IP] [options] [EXPRESSION]

TCP and UDP packets per destination port ("which ports in total?"), optionally only those HOST sent.
For IPv4 it agrees with
  tcpdump -nn -r FILE 'src host IP and (tcp or udp)' | cut -f 5 -d " " | cut -f 5 -d "." | sort | uniq -c
(without the trailing ':'), and it works the same for IPv6, VLAN-tagged and cooked captures.

options:
  --host IP      only packets this host sent
  --tcpdump-view count only what tcpdump's filters see as TCP/UDP (no IPv6 extension headers)
${COMMON_OPTIONS_HELP}

output: "COUNT PROTO PORT" lines; JSON [{"proto","port","packets"}].

examples:
  pcapsift dports web.pcap
  pcapsift dports web.pcap --host 192.168.218.131 --desc --top 10
  pcapsift dports web.pcap --csv 'not port 53'`;

export const dportsCommand: Command = {
  name: 'dports',
  summary: 'packets per destination port',
  help: HELP,
  async run(argv) {
    const a = parseAnalysisArgs('dports', argv, { host: 'optional' });
    const r = await runAnalysis(() => dports(a.file, analysisOptionsOf(a)));
    const rows = sortCounted(keepTop(r.ports, (x) => x.packets, a.top), (x) => x.packets, (x) => `${x.proto} ${x.port}`, a.desc);
    if (a.format === 'json') stdout.write(jsonText(rows));
    else if (a.format === 'csv') stdout.write(csvTable(rows, [{ header: 'proto', value: (x) => x.proto }, { header: 'port', value: (x) => x.port }, { header: 'packets', value: (x) => x.packets }]));
    else stdout.write(uniqTable(rows, (x) => x.packets, (x) => `${x.proto} ${x.port}`));
    return finishStatus(r.capture);
  },
};
