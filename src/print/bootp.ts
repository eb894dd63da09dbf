/**
 * tcpdump 4.99's BOOTP/DHCP text (print-bootp.c `bootp_print`), for UDP ports 67 and 68.
 *
 * BOOTP (RFC 951) with the RFC 1048/2132 vendor options:
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +---------------+---------------+---------------+---------------+
 *   |     op (1)    |   htype (1)   |   hlen (1)    |   hops (1)    |
 *   +---------------+---------------+---------------+---------------+
 *   |                            xid (4)                            |
 *   +-------------------------------+-------------------------------+
 *   |           secs (2)            |           flags (2)           |
 *   +-------------------------------+-------------------------------+
 *   |   ciaddr (4), yiaddr (4), siaddr (4), giaddr (4)              |
 *   |   chaddr (16), sname (64), file (128)                         |
 *   |   vend / options (magic cookie 99.130.83.99, then TLVs)       |
 *   +---------------------------------------------------------------+
 *
 * Truncation throws TRUNCATED with line.protocol = 'bootp' (tcpdump's ` [|bootp]`).
 */
import { HEX2, readU32, u16At, u32At, u8At } from './context.js';
import { TRUNCATED, type Line } from './line.js';
import type { PrintOptions } from './options.js';
import { PRINTABLE } from './dns.js';

export const BOOTP_OP = 0;
export const BOOTP_HTYPE = 1;
export const BOOTP_HLEN = 2;
export const BOOTP_HOPS = 3;
export const BOOTP_XID = 4;
export const BOOTP_SECS = 8;
export const BOOTP_FLAGS = 10;
export const BOOTP_CIADDR = 12;
export const BOOTP_YIADDR = 16;
export const BOOTP_SIADDR = 20;
export const BOOTP_GIADDR = 24;
export const BOOTP_CHADDR = 28;
export const BOOTP_SNAME = 44;
export const BOOTP_SNAME_LEN = 64;
export const BOOTP_FILE = 108;
export const BOOTP_FILE_LEN = 128;
export const BOOTP_VEND = 236;

export const BOOTP_REQUEST = 1;
export const BOOTP_REPLY = 2;
export const BOOTP_FLAG_BROADCAST = 0x8000;
/** The RFC 1048 magic cookie 99.130.83.99. */
export const RFC1048_MAGIC = 0x63825363;
/** The CMU vendor area starts with "CMU\0". */
export const CMU_MAGIC = 0x434d5500;

export const TAG_PAD = 0;
export const TAG_END = 255;
export const TAG_NETBIOS_NODE = 46;
export const TAG_OPT_OVERLOAD = 52;
export const TAG_DHCP_MESSAGE = 53;
export const TAG_PARM_REQUEST = 55;
export const TAG_CLIENT_ID = 61;
export const TAG_USER_CLASS = 77;
export const TAG_CLIENT_FQDN = 81;
export const TAG_AGENT_CIRCUIT = 82;
export const TAG_CLASSLESS_STATIC_RT = 121;
export const TAG_SZTP_REDIRECT = 143;
export const TAG_CLASSLESS_STA_RT_MS = 249;

/**
 * tcpdump's option table: the first character is the value format (i address, p address pair, l unsigned
 * 32-bit, L signed 32-bit, s 16-bit, b decimal bytes, x hex bytes, a text, B boolean, $ special, space: none).
 */
const TAGS = new Map<number, string>([
  [0, ' PAD'], [1, 'iSubnet-Mask'], [2, 'LTime-Zone'], [3, 'iDefault-Gateway'], [4, 'iTime-Server'],
  [5, 'iIEN-Name-Server'], [6, 'iDomain-Name-Server'], [7, 'iLOG'], [8, 'iCS'], [9, 'iLPR-Server'], [10, 'iIM'],
  [11, 'iRL'], [12, 'aHostname'], [13, 'sBS'], [255, ' END'], [14, 'aDP'], [15, 'aDomain-Name'], [16, 'iSS'],
  [17, 'aRP'], [18, 'aEP'], [19, 'BIPF'], [20, 'BSRT'], [21, 'pPF'], [22, 'sRSZ'], [23, 'bTTL'],
  [24, 'lMTU-Timeout'], [25, 'sMTU-Table'], [26, 'sMTU'], [27, 'BLSN'], [28, 'iBR'], [29, 'BMD'], [30, 'BMS'],
  [31, 'BRouter-Discovery'], [32, 'iRSA'], [33, 'pStatic-Route'], [34, 'BUT'], [35, 'lAT'], [36, 'BIE'],
  [37, 'bTT'], [38, 'lKI'], [39, 'BKG'], [40, 'aYD'], [41, 'iYS'], [42, 'iNTP'], [43, 'bVendor-Option'],
  [44, 'iNetbios-Name-Server'], [45, 'iWDD'], [46, '$Netbios-Node'], [47, 'aNetbios-Scope'], [48, 'iXFS'],
  [49, 'iXDM'], [64, 'sN+D'], [65, 'iN+S'], [68, 'iMH'], [69, 'iSMTP'], [70, 'iPOP3'], [71, 'iNNTP'],
  [72, 'iWWW'], [73, 'iFG'], [74, 'iIRC'], [75, 'iSTS'], [76, 'iSTDA'], [50, 'iRequested-IP'],
  [51, 'lLease-Time'], [52, '$OO'], [66, 'aTFTP'], [67, 'aBF'], [53, ' DHCP-Message'], [54, 'iServer-ID'],
  [55, 'bParameter-Request'], [56, 'aMSG'], [57, 'sMSZ'], [58, 'lRN'], [59, 'lRB'], [60, 'aVendor-Class'],
  [61, '$Client-ID'], [98, 'aUAP'], [116, 'BNOAUTO'], [78, 'bSLP-DA'], [79, 'bSLP-SCOPE'], [117, 'sNSSEARCH'],
  [77, '$User-Class'], [118, 'iSUBNET'], [121, '$Classless-Static-Route'],
  [249, '$Classless-Static-Route-Microsoft'], [150, 'iTFTP-Server-Address'],
  [80, 'aSLP-NA'], [81, '$FQDN'], [82, '$Agent-Information'], [83, 'bARMT'], [88, 'aTZSTR'], [89, 'bFQDNS'],
  [90, 'bAUTH'], [91, 'LLast-Transaction-Time'], [92, 'iAssociated-IP'], [93, 'sARCH'], [94, 'bNDI'],
  [97, 'bGUID'], [95, 'aLDAP'], [100, 'aPOSIX-TZ'], [101, 'aTZ-Name'], [112, 'iNI'], [113, 'aNITAG'],
  [114, 'aURL'], [161, 'aMUD-URL'],
]);

const DHCP_MESSAGE_NAMES = new Map<number, string>([
  [1, 'Discover'], [2, 'Offer'], [3, 'Request'], [4, 'Decline'], [5, 'ACK'], [6, 'NACK'], [7, 'Release'],
  [8, 'Inform'], [10, 'LeaseQuery'], [11, 'LeaseUnassigned'], [12, 'LeaseUnknown'], [13, 'LeaseActive'],
]);
const NETBIOS_NODE_NAMES = new Map<number, string>([[1, 'b-node'], [2, 'p-node'], [4, 'm-node'], [8, 'h-node']]);
const OVERLOAD_NAMES = new Map<number, string>([[1, 'file'], [2, 'sname'], [3, 'file+sname']]);
const HARDWARE_NAMES = new Map<number, string>([[1, 'ether'], [6, 'ieee802'], [7, 'arcnet'], [15, 'frelay'], [23, 'strip'], [24, 'ieee1394']]);
const AGENT_SUBOPTION_NAMES = new Map<number, string>([[1, 'Circuit-ID'], [2, 'Remote-ID'], [6, 'Subscriber-ID']]);

/** Appends tcpdump's bootp_print text for the BOOTP/DHCP message at `off` (`length` = UDP length - 8). */
export function printBootp(line: Line, data: Buffer, off: number, length: number, capEnd: number, opts: PrintOptions): void {
  line.protocol = 'bootp';
  const end = capEnd;
  const op = u8At(data, off + BOOTP_OP, end);
  line.text += `BOOTP/DHCP, ${op === BOOTP_REQUEST ? 'Request' : op === BOOTP_REPLY ? 'Reply' : `unknown (0x${HEX2[op]})`}`;
  const htype = u8At(data, off + BOOTP_HTYPE, end);
  const hlen = u8At(data, off + BOOTP_HLEN, end);
  if (htype === 1 && hlen === 6 && op === BOOTP_REQUEST) line.text += ' from ' + mac(data, off + BOOTP_CHADDR, end);
  line.text += `, length ${length}`;
  if (!opts.verbose) return;

  need(off + BOOTP_SECS, 2, end);
  if (htype !== 1) line.text += `, htype ${htype}`;
  if (htype !== 1 || hlen !== 6) line.text += `, hlen ${hlen}`;
  const hops = u8At(data, off + BOOTP_HOPS, end);
  if (hops) line.text += `, hops ${hops}`;
  const xid = u32At(data, off + BOOTP_XID, end);
  if (xid) line.text += `, xid 0x${xid.toString(16)}`;
  const secs = u16At(data, off + BOOTP_SECS, end);
  if (secs) line.text += `, secs ${secs}`;
  const flags = u16At(data, off + BOOTP_FLAGS, end);
  line.text += `, Flags [${flags & BOOTP_FLAG_BROADCAST ? 'Broadcast' : 'none'}]`;
  if (opts.verbose > 1) line.text += ` (0x${flags.toString(16).padStart(4, '0')})`;
  printAddressIfSet(line, data, off + BOOTP_CIADDR, end, '\n\t  Client-IP ');
  printAddressIfSet(line, data, off + BOOTP_YIADDR, end, '\n\t  Your-IP ');
  printAddressIfSet(line, data, off + BOOTP_SIADDR, end, '\n\t  Server-IP ');
  printAddressIfSet(line, data, off + BOOTP_GIADDR, end, '\n\t  Gateway-IP ');
  if (htype === 1 && hlen === 6) line.text += '\n\t  Client-Ethernet-Address ' + mac(data, off + BOOTP_CHADDR, end);
  printFixedString(line, data, off + BOOTP_SNAME, BOOTP_SNAME_LEN, end, '\n\t  sname "');
  printFixedString(line, data, off + BOOTP_FILE, BOOTP_FILE_LEN, end, '\n\t  file "');

  const vend = off + BOOTP_VEND;
  need(vend, 4, end);
  const magic = readU32(data, vend);
  if (magic === RFC1048_MAGIC) printRfc1048(line, data, vend, end, opts.verbose);
  else if (magic === CMU_MAGIC) printCmu(line, data, vend, end);
  else if (magic !== 0) line.text += `\n\t  Vendor-#0x${magic.toString(16)}`;
}

function printAddressIfSet(line: Line, data: Buffer, at: number, end: number, label: string): void {
  need(at, 4, end);
  if (readU32(data, at) !== 0) line.text += label + ipv4(data, at);
}

/** sname/file: printed up to the NUL; a field without NUL (or cut short) ends the line as truncated. */
function printFixedString(line: Line, data: Buffer, at: number, size: number, end: number, label: string): void {
  if (u8At(data, at, end) === 0) return;
  line.text += label;
  let s = '';
  for (let k = 0; ; k++) {
    if (k === size || at + k >= end) {
      line.text += s + '"';
      throw TRUNCATED;
    }
    const c = data[at + k]!;
    if (c === 0) break;
    s += PRINTABLE[c];
  }
  line.text += s + '"';
}

/** The RFC 1048 options, one per line, read until the captured bytes end (tcpdump ignores `length` here). */
function printRfc1048(line: Line, data: Buffer, bp: number, end: number, verbose: number): void {
  line.text += '\n\t  Vendor-rfc1048 Extensions';
  line.text += `\n\t    Magic Cookie 0x${readU32(data, bp).toString(16).padStart(8, '0')}`;
  bp += 4;
  while (bp < end) {
    const tag = data[bp]!;
    bp++;
    if (tag === TAG_PAD && verbose < 3) continue;
    if (tag === TAG_END && verbose < 3) return;
    const entry = TAGS.get(tag) ?? '?Unknown';
    let format = entry[0]!;
    const tagName = entry.slice(1);
    let len = 0;
    if (tag !== TAG_PAD && tag !== TAG_END) {
      len = u8At(data, bp, end);
      bp++;
    }
    line.text += `\n\t    ${tagName} (${tag}), length ${len}${len > 0 ? ': ' : ''}`;
    if (tag === TAG_PAD && verbose > 2) {
      let count = 1;
      while (bp < end && data[bp] === TAG_PAD) {
        bp++;
        count++;
      }
      if (count > 1) line.text += `, occurs ${count}`;
    }
    need(bp, len, end);

    if (tag === TAG_DHCP_MESSAGE && len === 1) {
      const type = data[bp]!;
      line.text += DHCP_MESSAGE_NAMES.get(type) ?? `Unknown (${type})`;
      bp++;
      continue;
    }
    if (tag === TAG_PARM_REQUEST) {
      for (let idx = 0; len > 0; idx++, len--, bp++) {
        const inner = data[bp]!;
        const name = (TAGS.get(inner) ?? '?Unknown').slice(1);
        line.text += (idx % 4 === 0 ? '\n\t      ' : ', ') + `${name} (${inner})`;
      }
      continue;
    }
    if (format === '?') format = len & 1 ? 'b' : len & 2 ? 's' : 'l';
    let first = true;
    switch (format) {
      case 'a':
        line.text += '"' + printable(data, bp, len) + '"';
        bp += len;
        len = 0;
        break;
      case 'i':
      case 'l':
      case 'L':
        while (len >= 4) {
          if (!first) line.text += ',';
          line.text += format === 'i' ? ipv4(data, bp) : format === 'L' ? String(readU32(data, bp) | 0) : String(readU32(data, bp));
          bp += 4;
          len -= 4;
          first = false;
        }
        break;
      case 'p':
        while (len >= 8) {
          if (!first) line.text += ',';
          line.text += `(${ipv4(data, bp)}:${ipv4(data, bp + 4)})`;
          bp += 8;
          len -= 8;
          first = false;
        }
        break;
      case 's':
        while (len >= 2) {
          if (!first) line.text += ',';
          line.text += String((data[bp]! << 8) | data[bp + 1]!);
          bp += 2;
          len -= 2;
          first = false;
        }
        break;
      case 'B':
        while (len > 0) {
          if (!first) line.text += ',';
          const v = data[bp]!;
          line.text += v === 0 ? 'N' : v === 1 ? 'Y' : `${v}?`;
          bp++;
          len--;
          first = false;
        }
        break;
      case '$':
        printSpecialOption(line, data, bp, len, end, tag);
        bp = special.bp;
        len = special.len;
        break;
      default: // 'b', 'x' and the name-only entries
        while (len > 0) {
          if (!first) line.text += format === 'x' ? ':' : '.';
          line.text += format === 'x' ? HEX2[data[bp]!] : String(data[bp]);
          bp++;
          len--;
          first = false;
        }
        break;
    }
    if (len) {
      line.text += `\n\t  trailing data length ${len}`;
      bp += len;
    }
  }
}

/** Where printSpecialOption stopped: the next option byte and what is left of the option (reused, no allocation). */
const special = { bp: 0, len: 0 };

/** The options tcpdump decodes with code of their own; leaves in `special` where the option's data stops. */
function printSpecialOption(line: Line, data: Buffer, bp: number, len: number, end: number, tag: number): void {
  switch (tag) {
    case TAG_NETBIOS_NODE:
    case TAG_OPT_OVERLOAD: {
      if (len < 1) {
        line.text += '[ERROR: length < 1 bytes]';
        break;
      }
      const v = data[bp]!;
      bp++;
      len--;
      line.text += (tag === TAG_NETBIOS_NODE ? NETBIOS_NODE_NAMES : OVERLOAD_NAMES).get(v) ?? `#${v}`;
      break;
    }
    case TAG_CLIENT_FQDN: {
      if (len < 3) {
        line.text += '[ERROR: length < 3 bytes]';
        return done(bp + len, 0);
      }
      const flags = data[bp]!;
      if (flags & 0xf0) line.text += `[ERROR: MBZ nibble 0x${((flags & 0xf0) >> 4).toString(16)} != 0] `;
      if (flags & 0x0f) {
        line.text += '[' + (flags & 1 ? 'S' : '') + (flags & 2 ? 'O' : '') + (flags & 4 ? 'E' : '') + (flags & 8 ? 'N' : '') + '] ';
      }
      bp++;
      if (data[bp] || data[bp + 1]) line.text += `${data[bp]}/${data[bp + 1]} `;
      bp += 2;
      line.text += '"' + printable(data, bp, len - 3) + '"';
      return done(bp + len - 3, 0);
    }
    case TAG_CLIENT_ID: {
      if (len < 1) {
        line.text += '[ERROR: length < 1 bytes]';
        break;
      }
      const type = data[bp]!;
      bp++;
      len--;
      if (type === 0) {
        line.text += '"' + printable(data, bp, len) + '"';
        return done(bp + len, 0);
      }
      line.text += (HARDWARE_NAMES.get(type) ?? `hardware-type ${type},`) + ' ';
      let first = true;
      while (len > 0) {
        if (!first) line.text += ':';
        line.text += HEX2[data[bp]!];
        bp++;
        len--;
        first = false;
      }
      break;
    }
    case TAG_AGENT_CIRCUIT:
      while (len >= 2) {
        const sub = data[bp]!;
        const subLen = data[bp + 1]!;
        bp += 2;
        len -= 2;
        const subName = AGENT_SUBOPTION_NAMES.get(sub) ?? 'Unknown';
        if (subLen > len) {
          line.text += `\n\t      ${subName} SubOption ${sub}, length ${subLen}: length goes past end of option`;
          return done(bp + len, 0);
        }
        line.text += `\n\t      ${subName} SubOption ${sub}, length ${subLen}: `;
        if (sub === 1 || sub === 2 || sub === 6) line.text += printable(data, bp, subLen);
        else printUnknownData(line, data, bp, '\n\t\t', subLen, end);
        len -= subLen;
        bp += subLen;
      }
      break;
    case TAG_CLASSLESS_STATIC_RT:
    case TAG_CLASSLESS_STA_RT_MS: {
      if (len < 5) {
        line.text += '[ERROR: length < 5 bytes]';
        return done(bp + len, 0);
      }
      let first = true;
      while (len > 0) {
        if (!first) line.text += ',';
        const width = data[bp]!;
        bp++;
        len--;
        if (width > 32) {
          line.text += `[ERROR: Mask width (${width}) > 32]`;
          return done(bp + len, 0);
        }
        const octets = (width + 7) >> 3;
        if (len < octets + 4) {
          line.text += `[ERROR: Remaining length (${len}) < ${octets + 4} bytes]`;
          return done(bp + len, 0);
        }
        line.text += '(';
        if (width === 0) {
          line.text += 'default';
        } else {
          for (let k = 0; k < octets; k++) line.text += (k > 0 ? '.' : '') + data[bp + k];
          for (let k = octets; k < 4; k++) line.text += '.0';
          line.text += `/${width}`;
          bp += octets;
        }
        line.text += `:${ipv4(data, bp)})`;
        bp += 4;
        len -= octets + 4;
        first = false;
      }
      break;
    }
    case TAG_USER_CLASS: {
      if (len < 2) {
        line.text += '[ERROR: length < 2 bytes]';
        return done(bp + len, 0);
      }
      for (let instance = 1; len > 0; instance++) {
        const subLen = data[bp]!;
        bp++;
        len--;
        line.text += `\n\t      instance#${instance}: `;
        if (subLen === 0) {
          line.text += '[ERROR: suboption length must be non-zero]';
          return done(bp + len, 0);
        }
        if (len < subLen) {
          line.text += '[ERROR: invalid option]';
          return done(bp + len, 0);
        }
        line.text += `"${printable(data, bp, subLen)}", length ${subLen}`;
        len -= subLen;
        bp += subLen;
      }
      break;
    }
    case TAG_SZTP_REDIRECT:
      while (len >= 2) {
        const uriLen = (data[bp]! << 8) | data[bp + 1]!;
        bp += 2;
        len -= 2;
        line.text += `\n\t\t    length ${uriLen}: `;
        if (len < uriLen) {
          line.text += 'length goes past end of option';
          return done(bp + len, 0);
        }
        line.text += '"' + printable(data, bp, uriLen) + '"';
        len -= uriLen;
        bp += uriLen;
      }
      if (len !== 0) line.text += '[ERROR: length < 2 bytes]';
      break;
    default:
      line.text += `[unknown special tag ${tag}, size ${len}]`;
      return done(bp + len, 0);
  }
  done(bp, len);
}

function done(bp: number, len: number): void {
  special.bp = bp;
  special.len = len;
}

/** CMU vendor area fields in tcpdump's print order: offset, label. */
const CMU_FIELDS: readonly (number | string)[] = [12, 'DG', 8, 'SM', 16, 'NS1', 20, 'NS2', 24, 'IEN1', 28, 'IEN2', 32, 'TS1', 36, 'TS2'];

/** The CMU vendor area: the addresses that are set. */
function printCmu(line: Line, data: Buffer, vend: number, end: number): void {
  line.text += ' vend-cmu';
  need(vend + 4, 4, end);
  const flags = data[vend + 4]!;
  if (flags & ~1) line.text += ` F:0x${flags.toString(16)}`;
  for (let k = 0; k < CMU_FIELDS.length; k += 2) {
    const at = CMU_FIELDS[k] as number;
    // The subnet mask is marked `SM*` when the flags do not say it is valid.
    const label = at === 8 && !(flags & 1) ? 'SM*' : CMU_FIELDS[k + 1] as string;
    need(vend + at, 4, end);
    if (readU32(data, vend + at) !== 0) line.text += ` ${label}:${ipv4(data, vend + at)}`;
  }
}

/**
 * tcpdump's print_unknown_data: a hex dump (`ident0x0000:  0102 0304 …`, 16 bytes a line) of what is captured.
 */
export function printUnknownData(line: Line, data: Buffer, at: number, ident: string, len: number, end: number): void {
  if (at > end) {
    line.text += `${ident}Dissector error: print_unknown_data called with pointer past end of packet`;
    return;
  }
  if (end - at < len) len = end - at;
  let offset = 0;
  let i = 0;
  let n = len >> 1;
  while (n !== 0) {
    if (i++ % 8 === 0) {
      line.text += `${ident}0x${offset.toString(16).padStart(4, '0')}: `;
      offset += 16;
    }
    line.text += ` ${HEX2[data[at]!]}${HEX2[data[at + 1]!]}`;
    at += 2;
    n--;
  }
  if (len & 1) {
    if (i % 8 === 0) line.text += `${ident}0x${offset.toString(16).padStart(4, '0')}: `;
    line.text += ` ${HEX2[data[at]!]}`;
  }
}

function printable(data: Buffer, at: number, n: number): string {
  let s = '';
  for (let k = 0; k < n; k++) s += PRINTABLE[data[at + k]!];
  return s;
}
function mac(data: Buffer, at: number, end: number): string {
  need(at, 6, end);
  return `${HEX2[data[at]!]}:${HEX2[data[at + 1]!]}:${HEX2[data[at + 2]!]}:${HEX2[data[at + 3]!]}:${HEX2[data[at + 4]!]}:${HEX2[data[at + 5]!]}`;
}
function ipv4(data: Buffer, at: number): string {
  return `${data[at]}.${data[at + 1]}.${data[at + 2]}.${data[at + 3]}`;
}
function need(at: number, n: number, end: number): void {
  if (at + n > end) throw TRUNCATED;
}
