/**
 * tcpdump 4.99's NTP text (print-ntp.c `ntp_print`, ntp.c `p_ntp_time`), byte for byte.
 *
 * tcpdump fetches (or checks) each field before printing it and its label, so a truncated packet shows every
 * complete piece before the cut and then ` [|ntp]`; this code appends in the same pieces and throws
 * TRUNCATED where tcpdump's check would fail.
 */
import { readU32, u16At, u32At, u8At } from './context.js';
import { TRUNCATED, type Line } from './line.js';
import type { PrintOptions } from './options.js';
import { PRINTABLE } from './dns.js';
import {
  CONTROL_ERROR, CONTROL_MORE, CONTROL_OPCODE_MASK, CONTROL_RESPONSE, LEAP_MASK, MODE_BROADCAST, MODE_CONTROL,
  MODE_MASK, NTP_CONTROL_ASSOC, NTP_CONTROL_COUNT, NTP_CONTROL_DATA, NTP_CONTROL_FLAGS, NTP_CONTROL_MIN_LEN,
  NTP_CONTROL_OFFSET, NTP_CONTROL_SEQUENCE, NTP_CONTROL_STATUS, NTP_DIGEST, NTP_KEY_ID, NTP_MODE_NAMES,
  NTP_ORIGIN_TIMESTAMP, NTP_POLL, NTP_PRECISION, NTP_RECEIVE_TIMESTAMP, NTP_REF_TIMESTAMP, NTP_REFID,
  NTP_ROOT_DELAY, NTP_ROOT_DISPERSION, NTP_STATUS, NTP_STRATUM, NTP_TIME_MIN_LEN, NTP_TRANSMIT_TIMESTAMP,
  NTP_UNIX_EPOCH_OFFSET, STRATUM_INFO_QUERY, STRATUM_INFO_REPLY, STRATUM_PRIMARY, STRATUM_UNSPECIFIED,
  VERSION_MASK, VERSION_SHIFT, leapIndicatorName, stratumName,
} from '../wire/ntp.js';

/**
 * Appends what tcpdump's ntp_print appends for the NTP message at `off` (`length` = UDP length minus 8,
 * `capEnd` = end of the captured bytes). Throws TRUNCATED (line.protocol = 'ntp') where tcpdump prints ` [|ntp]`.
 */
export function printNtp(line: Line, data: Buffer, off: number, length: number, capEnd: number, opts: PrintOptions): void {
  line.protocol = 'ntp';
  const status = u8At(data, off + NTP_STATUS, capEnd);
  const mode = status & MODE_MASK;
  line.text += `NTPv${(status & VERSION_MASK) >> VERSION_SHIFT}, ${NTP_MODE_NAMES[mode]}, length ${length}`;
  if (!opts.verbose) return;
  const leap = status & LEAP_MASK;
  line.text += `\n\tLeap indicator: ${leapIndicatorName(leap)} (${leap})`;
  if (mode <= MODE_BROADCAST) printTimeMessage(line, data, off, length, capEnd);
  else if (mode === MODE_CONTROL) printControlMessage(line, data, off, length, capEnd);
  // Mode 7 (private, ntpdc): tcpdump prints nothing more.
}

function printTimeMessage(line: Line, data: Buffer, off: number, length: number, end: number): void {
  if (length < NTP_TIME_MIN_LEN) {
    line.text += ' (invalid)';
    if (off + length > end) throw TRUNCATED;
    return;
  }
  const stratum = u8At(data, off + NTP_STRATUM, end);
  line.text += `, Stratum ${stratum} (${stratumName(stratum)})`;
  const poll = s8(data, off + NTP_POLL, end);
  line.text += `, poll ${poll}`;
  if (poll > -32 && poll < 32) line.text += poll >= 0 ? ` (${2 ** poll}s)` : ` (1/${2 ** -poll}s)`;
  line.text += `, precision ${s8(data, off + NTP_PRECISION, end)}`;
  // tcpdump 4.99 checks each field before printing its label, so a cut leaves no dangling label.
  line.text += '\n\tRoot Delay: ' + shortFixed(data, off + NTP_ROOT_DELAY, end);
  line.text += ', Root dispersion: ' + shortFixed(data, off + NTP_ROOT_DISPERSION, end);
  const refid = off + NTP_REFID;
  if (refid + 4 > end) throw TRUNCATED;
  line.text += ', Reference-ID: ';
  switch (stratum) {
    case STRATUM_UNSPECIFIED:
      line.text += '(unspec)';
      break;
    case STRATUM_PRIMARY:
      // A clock name such as "GPS\0": every byte printed, NULs as ^@.
      for (let k = 0; k < 4; k++) line.text += PRINTABLE[data[refid + k]!];
      break;
    case STRATUM_INFO_QUERY:
    case STRATUM_INFO_REPLY:
      line.text += `${data[refid]}.${data[refid + 1]}.${data[refid + 2]}.${data[refid + 3]}` +
        (stratum === STRATUM_INFO_QUERY ? ' INFO_QUERY' : ' INFO_REPLY');
      return;
    default:
      line.text += '0x' + readU32(data, refid).toString(16).padStart(8, '0');
      break;
  }
  line.text += '\n\t  Reference Timestamp:  ' + ntpTime(data, off + NTP_REF_TIMESTAMP, end);
  line.text += '\n\t  Originator Timestamp: ' + ntpTime(data, off + NTP_ORIGIN_TIMESTAMP, end);
  line.text += '\n\t  Receive Timestamp:    ' + ntpTime(data, off + NTP_RECEIVE_TIMESTAMP, end);
  line.text += '\n\t  Transmit Timestamp:   ' + ntpTime(data, off + NTP_TRANSMIT_TIMESTAMP, end);
  line.text += '\n\t    Originator - Receive Timestamp:  ' +
    ntpDelta(data, off + NTP_ORIGIN_TIMESTAMP, off + NTP_RECEIVE_TIMESTAMP, end);
  line.text += '\n\t    Originator - Transmit Timestamp: ' +
    ntpDelta(data, off + NTP_ORIGIN_TIMESTAMP, off + NTP_TRANSMIT_TIMESTAMP, end);

  // tcpdump knows no extension fields: it recognises a key id alone, or with a 128- or 160-bit digest, by length.
  const digestWords = length === NTP_TIME_MIN_LEN + 4 + 16 ? 4 : length === NTP_TIME_MIN_LEN + 4 + 20 ? 5 : 0;
  if (length === NTP_TIME_MIN_LEN + 4 || digestWords) {
    line.text += `\n\tKey id: ${u32At(data, off + NTP_KEY_ID, end)}`;
    if (digestWords) {
      let digest = '';
      for (let k = 0; k < digestWords; k++) digest += u32At(data, off + NTP_DIGEST + 4 * k, end).toString(16).padStart(8, '0');
      line.text += '\n\tAuthentication: ' + digest;
    }
  } else if (length > NTP_TIME_MIN_LEN) {
    line.text += `\n\t(${length - NTP_TIME_MIN_LEN} more bytes after the header)`;
  }
}

function printControlMessage(line: Line, data: Buffer, off: number, length: number, end: number): void {
  if (length < NTP_CONTROL_MIN_LEN) {
    line.text += ' (invalid)';
    if (off + length > end) throw TRUNCATED;
    return;
  }
  const control = u8At(data, off + NTP_CONTROL_FLAGS, end);
  line.text += `, ${control & CONTROL_RESPONSE ? 'Response' : 'Request'}, ${control & CONTROL_ERROR ? 'Error' : 'OK'}, ` +
    `${control & CONTROL_MORE ? 'More' : 'Last'}, OpCode=${control & CONTROL_OPCODE_MASK}\n`;
  line.text += `\tSequence=${u16At(data, off + NTP_CONTROL_SEQUENCE, end)}`;
  const status = u16At(data, off + NTP_CONTROL_STATUS, end);
  line.text += `, Status=${status === 0 ? '0' : '0x' + status.toString(16)}`; // printf's %#hx
  line.text += `, Assoc.=${u16At(data, off + NTP_CONTROL_ASSOC, end)}`;
  line.text += `, Offset=${u16At(data, off + NTP_CONTROL_OFFSET, end)}`;
  const count = u16At(data, off + NTP_CONTROL_COUNT, end);
  line.text += `, Count=${count}`;
  if (NTP_CONTROL_MIN_LEN + count > length) {
    line.text += ' (invalid)';
    if (off + length > end) throw TRUNCATED;
    return;
  }
  if (count !== 0) {
    if (off + NTP_CONTROL_DATA + count > end) throw TRUNCATED;
    line.text += '\n\tTO-BE-DONE: data not interpreted';
  }
}

/** Formats a 16.16 fixed-point value as tcpdump's p_sfix: `%d.%06d`, the fraction cut to millionths. */
function shortFixed(data: Buffer, at: number, end: number): string {
  if (at + 4 > end) throw TRUNCATED;
  const int = (data[at]! << 8) | data[at + 1]!;
  const frac = (data[at + 2]! << 8) | data[at + 3]!;
  return `${int}.${String(Math.trunc((frac / 65536) * 1000000)).padStart(6, '0')}`;
}

/** Formats a 32.32 timestamp as tcpdump's p_ntp_time: `secs.nanos` plus ` (UTC date)` when secs is not 0. */
export function ntpTime(data: Buffer, at: number, end: number): string {
  if (at + 8 > end) throw TRUNCATED;
  return formatNtpTime(readU32(data, at), readU32(data, at + 4));
}

/** Formats seconds and a 32-bit fraction since 1900 as tcpdump's p_ntp_time. */
export function formatNtpTime(secs: number, fraction: number): string {
  let s = `${secs}.${nanos(fraction)}`;
  if (secs) {
    const iso = new Date((secs - NTP_UNIX_EPOCH_OFFSET) * 1000).toISOString();
    s += ` (${iso.slice(0, 19)}Z)`;
  }
  return s;
}

/** Formats `later - earlier` as tcpdump's p_ntp_delta (`+s.nanos` / `-s.nanos`, or the later time if earlier is 0). */
function ntpDelta(data: Buffer, earlierAt: number, laterAt: number, end: number): string {
  if (laterAt + 8 > end || earlierAt + 8 > end) throw TRUNCATED;
  const u = readU32(data, laterAt);
  const ou = readU32(data, earlierAt);
  const uf = readU32(data, laterAt + 4);
  const ouf = readU32(data, earlierAt + 4);
  if (ou === 0 && ouf === 0) return formatNtpTime(u, uf);
  let negative: boolean;
  let i: number;
  let f: number;
  // 32-bit unsigned arithmetic, borrowing from the integer part as tcpdump does.
  if (u > ou) {
    negative = false;
    i = (u - ou) >>> 0;
    f = (uf - ouf) >>> 0;
    if (ouf > uf) i = (i - 1) >>> 0;
  } else if (u < ou) {
    negative = true;
    i = (ou - u) >>> 0;
    f = (ouf - uf) >>> 0;
    if (uf > ouf) i = (i - 1) >>> 0;
  } else {
    i = 0;
    if (uf > ouf) {
      negative = false;
      f = uf - ouf;
    } else {
      negative = true;
      f = ouf - uf;
    }
  }
  return `${negative ? '-' : '+'}${i}.${nanos(f)}`;
}

/** The fraction as `%09u` billionths, computed in doubles and truncated as tcpdump does. */
function nanos(fraction: number): string {
  return String(Math.trunc((fraction / 4294967296) * 1000000000)).padStart(9, '0');
}

function s8(data: Buffer, at: number, end: number): number {
  if (at >= end) throw TRUNCATED;
  return (data[at]! << 24) >> 24;
}
