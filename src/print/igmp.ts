/** IGMP as tcpdump 4.99 prints it (print-igmp.c): queries, v1/v2/v3 reports, leaves. */
import { foldComplement, sumBytes } from '../wire/checksum.js';
import { has, u16, u8, type PrintContext } from './context.js';

const V3_RECORD_NAMES = ['', 'is_in', 'is_ex', 'to_in', 'to_ex', 'allow', 'block'];

/** Prints an IGMP message of `length` bytes at `at`. */
export function printIgmp(c: PrintContext, at: number, length: number): void {
  const line = c.line;
  line.protocol = 'igmp';
  if (c.opts.quiet) {
    line.text += 'igmp';
    return;
  }
  const type = u8(c, at);
  switch (type) {
    case 0x11:
      line.text += 'igmp query';
      if (length >= 12) printV3Query(c, at, length);
      else {
        const mrt = u8(c, at + 1);
        if (mrt) {
          line.text += ' v2';
          if (mrt !== 100) line.text += ` [max resp time ${mrt}]`;
        } else line.text += ' v1';
        if (u16(c, at + 4) || u16(c, at + 6)) line.text += ` [gaddr ${c.ipv4(at + 4)}]`;
        if (length !== 8) line.text += ` [len ${length}]`;
      }
      break;
    case 0x12:
      line.text += `igmp v1 report ${c.ipv4(at + 4)}`;
      if (length !== 8) line.text += ` [len ${length}]`;
      break;
    case 0x16:
      line.text += `igmp v2 report ${c.ipv4(at + 4)}`;
      break;
    case 0x22:
      line.text += 'igmp v3 report';
      printV3Report(c, at, length);
      break;
    case 0x17:
      line.text += `igmp leave ${c.ipv4(at + 4)}`;
      break;
    default:
      line.text += `igmp-${type}`;
  }
  if (c.opts.verbose && length >= 4 && has(c, at, length)) {
    if (foldComplement(sumBytes(c.data, at, length)) !== 0) line.text += ` bad igmp cksum ${u16(c, at + 2).toString(16)}!`;
  }
}

function printV3Report(c: PrintContext, at: number, length: number): void {
  if (length < 8 || length % 4) {
    c.line.text += ` [invalid len ${length}]`;
    return;
  }
  const ngroups = u16(c, at + 6);
  c.line.text += `, ${ngroups} group record(s)`;
  if (!c.opts.verbose) return;
  let group = 8;
  for (let i = 0; i < ngroups; i++) {
    if (length < group + 8) {
      c.line.text += ' [invalid number of groups]';
      return;
    }
    const rtype = u8(c, at + group);
    c.line.text += ` [gaddr ${c.ipv4(at + group + 4)} ${V3_RECORD_NAMES[rtype] ?? ` [v3-report-#${rtype}]`}`;
    const nsrcs = u16(c, at + group + 2);
    if (length < group + 8 + nsrcs * 4) {
      c.line.text += ` [invalid number of sources ${nsrcs}]`;
      return;
    }
    if (c.opts.verbose === 1) c.line.text += `, ${nsrcs} source(s)`;
    else {
      c.line.text += ' {';
      for (let j = 0; j < nsrcs; j++) c.line.text += ` ${c.ipv4(at + group + 8 + j * 4)}`;
      c.line.text += ' }';
    }
    group += 8 + nsrcs * 4;
    c.line.text += ']';
  }
}

function printV3Query(c: PrintContext, at: number, length: number): void {
  const mrc = u8(c, at + 1);
  const mrt = mrc < 128 ? mrc : ((mrc & 0x0f) | 0x10) << (((mrc & 0x70) >> 4) + 3);
  if (mrc !== 100) {
    c.line.text += ' [max resp time ';
    c.line.text += mrt < 600 ? `${(mrt * 0.1).toFixed(1)}s` : relativeTime(Math.floor(mrt / 10));
    c.line.text += ']';
  }
  if (u16(c, at + 4) === 0 && u16(c, at + 6) === 0) return;
  c.line.text += ` [gaddr ${c.ipv4(at + 4)}`;
  const nsrcs = u16(c, at + 10);
  if (nsrcs > 0) {
    if (length < 12 + nsrcs * 4) c.line.text += ' [invalid number of sources]';
    else if (c.opts.verbose > 1) {
      c.line.text += ' {';
      for (let i = 0; i < nsrcs; i++) c.line.text += ` ${c.ipv4(at + 12 + i * 4)}`;
      c.line.text += ' }';
    } else c.line.text += `, ${nsrcs} source(s)`;
  }
  c.line.text += ']';
}

/** tcpdump's unsigned_relts_print: `1h2m3s` style. */
export function relativeTime(secs: number): string {
  if (secs === 0) return '0s';
  const units: Array<[number, string]> = [
    [31536000, 'y'],
    [604800, 'w'],
    [86400, 'd'],
    [3600, 'h'],
    [60, 'm'],
    [1, 's'],
  ];
  let s = '';
  for (const [n, u] of units) {
    if (secs >= n) {
      s += `${Math.floor(secs / n)}${u}`;
      secs %= n;
    }
  }
  return s;
}
