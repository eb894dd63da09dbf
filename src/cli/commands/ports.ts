/** `pcapsift ports FILE --host IP [EXPRESSION]`: the source ports a host sent from, with packets per port. */
import { ports } from '../../analyze/ports.js';
import { keepTop, sortCounted } from '../../analyze/host.js';
import { csvTable, jsonText, uniqTable } from '../../report/format.js';
import { stdout } from '../output.js';
import { analysisOptionsOf, COMMON_OPTIONS_HELP, finishStatus, parseAnalysisArgs, runAnalysis } from './analysis-args.js';
import type { Command } from './index.js';

const HELP = `usage: pcapsift ports FILE --host IP [options] [EXPRESSION]

The source ports HOST sent TCP and UDP packets from, with the number of packets sent from each: the
answer to "which ephemeral ports did this client use, and how many packets on each?". For IPv4 it agrees
with
  tcpdump -nn -r FILE 'src host IP' | cut -f 3 -d " " | cut -f 5 -d "." | sort | uniq -c | sort -n
and it works the same for IPv6, VLAN-tagged and cooked captures. Non-first fragments carry no ports and
are not counted; ICMP errors quoting a packet are ICMP, not ports (as tcpdump prints them). IPv6 packets
behind extension headers are counted (--tcpdump-view leaves them out, as libpcap's filters do).

options:
  --host IP      the host whose source ports to list (required)
  --tcpdump-view count only what tcpdump's filters see as TCP/UDP
${COMMON_OPTIONS_HELP}

output: "COUNT PROTO PORT" lines as uniq -c prints them; JSON [{"proto","port","packets"}].

examples:
  pcapsift ports web.pcap --host 192.168.218.131
  pcapsift ports web.pcap --host 192.168.218.131 --top 5 --desc
  pcapsift ports web.pcap --host 192.168.218.131 --json 'udp'`;

export const portsCommand: Command = {
  name: 'ports',
  summary: 'source ports a host sent from, packets per port',
  help: HELP,
  async run(argv) {
    const a = parseAnalysisArgs('ports', argv, { host: 'required' });
    const r = await runAnalysis(() => ports(a.file, { ...analysisOptionsOf(a), host: a.host! }));
    const rows = sortCounted(keepTop(r.ports, (x) => x.packets, a.top), (x) => x.packets, (x) => `${x.proto} ${x.port}`, a.desc);
    if (a.format === 'json') stdout.write(jsonText(rows));
    else if (a.format === 'csv') stdout.write(csvTable(rows, [{ header: 'proto', value: (x) => x.proto }, { header: 'port', value: (x) => x.port }, { header: 'packets', value: (x) => x.packets }]));
    else stdout.write(uniqTable(rows, (x) => x.packets, (x) => `${x.proto} ${x.port}`));
    return finishStatus(r.capture);
  },
};
