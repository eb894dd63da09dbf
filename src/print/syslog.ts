/**
 * tcpdump 4.99's syslog text (print-syslog.c `syslog_print`, RFC 3164/5424): the `<PRI>` prefix decoded to
 * facility and severity; with -v the message itself, with -vv also a hex dump of the datagram.
 */
import { u8At } from './context.js';
import { TRUNCATED, type Line } from './line.js';
import type { PrintOptions } from './options.js';
import { PRINTABLE } from './dns.js';
import { hexText } from './hexdump.js';

/** At most this many PRI digits are read (tcpdump's SYSLOG_MAX_DIGITS). */
export const SYSLOG_MAX_DIGITS = 3;
export const SYSLOG_SEVERITY_MASK = 0x0007;
export const SYSLOG_FACILITY_MASK = 0x03f8;

const SEVERITY_NAMES: readonly string[] = ['emergency', 'alert', 'critical', 'error', 'warning', 'notice', 'info', 'debug'];
const FACILITY_NAMES: readonly string[] = [
  'kernel', 'user', 'mail', 'daemon', 'auth', 'syslog', 'lpr', 'news', 'uucp', 'cron', 'authpriv', 'ftp', 'ntp',
  'security', 'console', 'cron', 'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7',
];

/** Appends tcpdump's syslog_print text; throws TRUNCATED (protocol 'syslog') where tcpdump prints ` [|syslog]`. */
export function printSyslog(line: Line, data: Buffer, off: number, length: number, capEnd: number, opts: PrintOptions): void {
  line.protocol = 'syslog';
  let msg = 0;
  if (u8At(data, off, capEnd) !== 0x3c /* < */) {
    line.text += ' (invalid)';
    return;
  }
  msg++;
  let pri = 0;
  for (;;) {
    if (msg > SYSLOG_MAX_DIGITS) break;
    const c = u8At(data, off + msg, capEnd);
    if (c < 0x30 || c > 0x39) break;
    pri = pri * 10 + (c - 0x30);
    msg++;
  }
  if (u8At(data, off + msg, capEnd) !== 0x3e /* > */) {
    line.text += ' (invalid)';
    return;
  }
  msg++;
  const facility = (pri & SYSLOG_FACILITY_MASK) >> 3;
  const severity = pri & SYSLOG_SEVERITY_MASK;
  const facilityName = FACILITY_NAMES[facility] ?? `unknown (${facility})`;
  const severityName = SEVERITY_NAMES[severity]!;
  if (!opts.verbose) {
    line.text += `SYSLOG ${facilityName}.${severityName}, length: ${length}`;
    return;
  }
  line.text += `SYSLOG, length: ${length}\n\tFacility ${facilityName} (${facility}), Severity ${severityName} (${severity})\n\tMsg: `;
  // Every byte of the message, control characters shown as ^X (nd_printn); a cut ends it with [|syslog].
  let s = '';
  for (let p = off + msg; p < off + length; p++) {
    if (p >= capEnd) {
      line.text += s;
      throw TRUNCATED;
    }
    s += PRINTABLE[data[p]!];
  }
  line.text += s;
  if (opts.verbose > 1) line.text += hexText(data, off, length, capEnd, '\n\t');
}
