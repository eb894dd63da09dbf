/**
 * Text protocols as tcpdump 4.99.3 prints them (util-print.c txtproto_print, print_txt_line, fetch_token;
 * print-ssh.c): the protocol name in capitals, then the first line, or every line at -v.
 */
import { u8, type PrintContext } from './context.js';
import { TRUNCATED_SOFT } from './line.js';

/** tcpdump's httpcmds. */
export const HTTP_COMMANDS: ReadonlySet<string> = new Set([
  'GET', 'PUT', 'COPY', 'HEAD', 'LOCK', 'MOVE', 'POLL', 'POST', 'BCOPY', 'BMOVE', 'MKCOL', 'TRACE', 'LABEL', 'MERGE',
  'DELETE', 'SEARCH', 'UNLOCK', 'REPORT', 'UPDATE', 'NOTIFY', 'BDELETE', 'CONNECT', 'OPTIONS', 'CHECKIN', 'PROPFIND',
  'CHECKOUT', 'CCM_POST', 'SUBSCRIBE', 'PROPPATCH', 'BPROPFIND', 'BPROPPATCH', 'UNCHECKOUT', 'MKACTIVITY',
  'MKWORKSPACE', 'UNSUBSCRIBE', 'RPC_CONNECT', 'VERSION-CONTROL', 'BASELINE-CONTROL',
]);

/** tcpdump's rtspcmds. */
export const RTSP_COMMANDS: ReadonlySet<string> = new Set([
  'DESCRIBE', 'ANNOUNCE', 'GET_PARAMETER', 'OPTIONS', 'PAUSE', 'PLAY', 'RECORD', 'REDIRECT', 'SETUP',
  'SET_PARAMETER', 'TEARDOWN',
]);

const MAX_TOKEN = 128;
let token = '';

function isPrint(b: number): boolean {
  return b >= 0x20 && b < 0x7f;
}

/** tcpdump's fetch_token: the token is left in `token`; returns the index after it and its blanks, or 0. */
function fetchToken(c: PrintContext, p: number, idx: number, len: number): number {
  const d = c.data;
  let tok = '';
  for (; idx < len; idx++) {
    if (p + idx >= c.end) return 0;
    const ch = d[p + idx]!;
    if (ch > 0x7f) return 0;
    if (ch === 0x20 || ch === 0x09 || ch === 0x0d || ch === 0x0a) break;
    if (tok.length + 2 > MAX_TOKEN + 1) return 0;
    tok += String.fromCharCode(ch);
  }
  if (tok.length === 0) return 0;
  token = tok;
  for (; idx < len; idx++) {
    if (p + idx >= c.end) break;
    const ch = d[p + idx]!;
    if (ch === 0x0d || ch === 0x0a) break;
    if (!isPrint(ch)) break;
    if (ch !== 0x20 && ch !== 0x09) break;
  }
  return idx;
}

/** tcpdump's print_txt_line: prints one CRLF/LF-terminated printable line; returns the next index or 0. */
function printTxtLine(c: PrintContext, prefix: string, p: number, idx: number, len: number): number {
  const start = idx;
  while (idx < len) {
    const ch = u8(c, p + idx);
    if (ch === 0x0a) {
      c.line.text += prefix + c.data.toString('latin1', p + start, p + idx);
      return idx + 1;
    } else if (ch === 0x0d) {
      if (idx + 1 >= len) return 0;
      if (u8(c, p + idx + 1) === 0x0a) {
        c.line.text += prefix + c.data.toString('latin1', p + start, p + idx);
        return idx + 2;
      }
      return 0;
    } else if (!isPrint(ch) && ch !== 0x09) return 0;
    idx++;
  }
  // Printable to the end of the data without a line end: tcpdump treats it as truncated.
  c.line.text += prefix + c.data.toString('latin1', p + start, p + idx);
  throw TRUNCATED_SOFT;
}

/** Prints a text protocol's payload as tcpdump's txtproto_print. */
export function printTextProtocol(c: PrintContext, p: number, len: number, protocol: string, commands: ReadonlySet<string> | null, respCodeSecond: boolean): void {
  c.line.protocol = protocol;
  let printThis = false;
  if (commands !== null) {
    let idx = fetchToken(c, p, 0, len);
    if (idx !== 0) {
      if (commands.has(token.toUpperCase())) printThis = true;
      if (respCodeSecond) idx = fetchToken(c, p, idx, len);
      if (idx !== 0) {
        if (/^[0-9]{3}$/.test(token)) printThis = true;
      }
    }
  } else printThis = true;
  c.line.text += protocol.toUpperCase();
  if (!printThis) return;
  if (c.opts.verbose) {
    c.line.text += `, length: ${len}`;
    let eol: number;
    for (let idx = 0; idx < len && (eol = printTxtLine(c, '\n\t', p, idx, len)) !== 0; idx = eol);
  } else printTxtLine(c, ': ', p, 0, len);
}

/** tcpdump's ssh_print: the version line `SSH-...` when the payload starts with one. */
export function printSshVersion(c: PrintContext, p: number, len: number): void {
  c.line.protocol = 'ssh';
  if (u8(c, p) !== 0x53 || u8(c, p + 1) !== 0x53 || u8(c, p + 2) !== 0x48 || u8(c, p + 3) !== 0x2d) return;
  let idx = 4;
  while (idx < len) {
    const ch = u8(c, p + idx);
    if (ch === 0x0a) break;
    if (ch === 0x0d) {
      if (idx + 1 >= len) return;
      if (u8(c, p + idx + 1) === 0x0a) break;
      return;
    }
    if (!isPrint(ch)) return;
    idx++;
  }
  if (idx >= len) return;
  c.line.text += `: SSH: ${c.data.toString('latin1', p, p + idx)}`;
}
