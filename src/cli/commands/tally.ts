/** `pcapsift tally FILE --by KEY[,KEY...] [EXPRESSION]`: the general `cut | sort | uniq -c`. */
import { keepTop, sortCounted } from '../../analyze/host.js';
import { tally, TALLY_FIELD_NAMES, TALLY_FIELDS, type TallyField, type TallyRow } from '../../analyze/tally.js';
import { csvTable, jsonText, uniqTable, type Column } from '../../report/format.js';
import { stdout } from '../output.js';
import { UsageError } from '../usage.js';
import { analysisOptionsOf, COMMON_OPTIONS_HELP, finishStatus, parseAnalysisArgs, runAnalysis } from './analysis-args.js';
import type { Command } from './index.js';

const HELP = `usage: pcapsift tally FILE --by KEY[,KEY...] [options] [EXPRESSION]

Counts packets per combination of fields: the general
  tcpdump -nn -r FILE EXPRESSION | cut ... | sort | uniq -c | sort -n
without cutting text. A packet without a field (no ports on ICMP, say) counts under '-'.

keys:
${TALLY_FIELD_NAMES.map((k) => `  ${k.padEnd(10)} ${TALLY_FIELDS[k]}`).join('\n')}

options:
  --by KEYS      the fields, comma-separated (required)
${COMMON_OPTIONS_HELP}

output: "COUNT VALUE..." lines as uniq -c prints them; JSON [{"KEY": VALUE, ..., "packets": N}].

examples:
  pcapsift tally web.pcap --by src.ip,dst.port 'tcp[tcpflags] == tcp-syn'
  pcapsift tally web.pcap --by flags tcp
  pcapsift tally web.pcap --by proto,vlan --desc
  pcapsift tally web.pcap --by dst --top 10 'src host 192.168.218.131 and udp'`;

export const tallyCommand: Command = {
  name: 'tally',
  summary: 'packets per combination of fields (cut | sort | uniq -c)',
  help: HELP,
  async run(argv) {
    const a = parseAnalysisArgs('tally', argv, { host: 'none', by: true });
    for (const k of a.by) if (!(TALLY_FIELD_NAMES as string[]).includes(k)) throw new UsageError(`unknown tally key '${k}' (known: ${TALLY_FIELD_NAMES.join(', ')})`);
    const fields = a.by as TallyField[];
    const r = await runAnalysis(() => tally(a.file, fields, analysisOptionsOf(a)));
    const key = (x: TallyRow): string => x.values.join(' ');
    const rows = sortCounted(keepTop(r.rows, (x) => x.packets, a.top), (x) => x.packets, key, a.desc);
    if (a.format === 'json') {
      stdout.write(
        jsonText(
          rows.map((x) => {
            const o: Record<string, string | number> = {};
            fields.forEach((f, i) => (o[f] = x.values[i]!));
            o['packets'] = x.packets;
            return o;
          }),
        ),
      );
    } else if (a.format === 'csv') {
      const columns: Column<TallyRow>[] = fields.map((f, i) => ({ header: f, value: (x: TallyRow) => x.values[i]! }));
      columns.push({ header: 'packets', value: (x) => x.packets });
      stdout.write(csvTable(rows, columns));
    } else stdout.write(uniqTable(rows, (x) => x.packets, key));
    return finishStatus(r.capture);
  },
};
