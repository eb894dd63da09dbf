/**
 * tcpdump 4.99's DHCPv6 text (print-dhcp6.c `dhcp6_print`), for UDP ports 546 and 547.
 *
 * RFC 8415: a message is msg-type (1), transaction-id (3), then options; relay messages are msg-type (1),
 * hop-count (1), link-address (16), peer-address (16), then options. An option is code (2), length (2), data.
 *
 * tcpdump's option printer marks a cut-short option list with an inline ` [|dhcp6]` and carries on with the
 * enclosing option (the nested printers return, they do not jump), so that mark is text here, not TRUNCATED;
 * fetches past the captured bytes still end the line through TRUNCATED.
 */
import { TRUNCATED, type Line } from './line.js';
import type { PrintOptions } from './options.js';
import { formatIpv6, HEX2, readU16, readU32, u16At, u8At } from './context.js';
import { PRINTABLE, printName } from './dns.js';

export const DHCP6_MSGTYPE = 0;
export const DHCP6_XID = 0;
export const DHCP6_HEADER_LEN = 4;
export const DHCP6_RELAY_LINKADDR = 2;
export const DHCP6_RELAY_PEERADDR = 18;
export const DHCP6_RELAY_HEADER_LEN = 34;
export const DHCP6_XID_MASK = 0x00ffffff;
export const DHCP6_OPTION_HEADER_LEN = 4;

export const DH6_RENEW = 5;
export const DH6_INFORM_REQ = 11;
export const DH6_RELAY_FORW = 12;
export const DH6_RELAY_REPLY = 13;

const MESSAGE_NAMES = new Map<number, string>([
  [1, 'solicit'], [2, 'advertise'], [3, 'request'], [4, 'confirm'], [5, 'renew'], [6, 'rebind'], [7, 'reply'],
  [8, 'release'], [9, 'decline'], [10, 'reconfigure'], [11, 'inf-req'], [12, 'relay-fwd'], [13, 'relay-reply'],
  [14, 'leasequery'], [15, 'leasequery-reply'],
]);

const OPTION_NAMES = new Map<number, string>([
  [1, 'client-ID'], [2, 'server-ID'], [3, 'IA_NA'], [4, 'IA_TA'], [5, 'IA_ADDR'], [6, 'option-request'],
  [7, 'preference'], [8, 'elapsed-time'], [9, 'relay-message'], [11, 'authentication'], [12, 'server-unicast'],
  [13, 'status-code'], [14, 'rapid-commit'], [15, 'user-class'], [16, 'vendor-class'],
  [17, 'vendor-specific-info'], [18, 'interface-ID'], [19, 'reconfigure-message'], [20, 'reconfigure-accept'],
  [21, 'SIP-servers-domain'], [22, 'SIP-servers-address'], [23, 'DNS-server'], [24, 'DNS-search-list'],
  [25, 'IA_PD'], [26, 'IA_PD-prefix'], [31, 'SNTP-servers'], [32, 'lifetime'], [27, 'NIS-server'],
  [28, 'NIS+-server'], [29, 'NIS-domain-name'], [30, 'NIS+-domain-name'], [33, 'BCMCS-domain-name'],
  [34, 'BCMCS-server'], [36, 'Geoconf-Civic'], [37, 'Remote-ID'], [38, 'Subscriber-ID'], [39, 'Client-FQDN'],
  [40, 'PANA-agent'], [41, 'POSIX-timezone'], [42, 'POSIX-tz-database'], [43, 'Echo-request-option'],
  [44, 'Lease-query'], [45, 'LQ-client-data'], [46, 'Clt-time'], [47, 'LQ-relay-data'], [48, 'LQ-client-link'],
  [56, 'NTP-server'], [64, 'AFTR-Name'], [112, 'MUD-URL'],
]);

const STATUS_NAMES = [
  'Success', 'UnspecFail', 'NoAddrsAvail', 'NoBinding', 'NotOnLink', 'UseMulticast', 'NoPrefixAvail',
  'UnknownQueryType', 'MalformedQuery', 'NotConfigured', 'NotAllowed',
];

const optionName = (code: number): string => OPTION_NAMES.get(code) ?? `opt_${code}`;

/** Appends tcpdump's dhcp6_print text for the DHCPv6 message at `off` (`length` = UDP length - 8). */
export function printDhcp6(line: Line, data: Buffer, off: number, length: number, capEnd: number, opts: PrintOptions): void {
  line.protocol = 'dhcp6';
  printMessage(line, data, off, length, capEnd, opts.verbose);
}

function printMessage(line: Line, data: Buffer, cp: number, length: number, end: number, verbose: number): void {
  line.text += 'dhcp6';
  const ep = Math.min(end, cp + length);
  if (cp + DHCP6_HEADER_LEN > end) {
    // Inline, as tcpdump's `goto trunc`: a nested relay message goes on with the enclosing option.
    line.text += ' [|dhcp6]';
    return;
  }
  const type = data[cp + DHCP6_MSGTYPE]!;
  const name = MESSAGE_NAMES.get(type) ?? `msgtype-${type}`;
  if (!verbose) {
    line.text += ' ' + name;
    return;
  }
  line.text += ` ${name} (`;
  if (type !== DH6_RELAY_FORW && type !== DH6_RELAY_REPLY) {
    line.text += 'xid=' + (readU32(data, cp + DHCP6_XID) & DHCP6_XID_MASK).toString(16);
    printOptions(line, data, cp + DHCP6_HEADER_LEN, ep, end);
  } else {
    line.text += 'linkaddr=' + ipv6(data, cp + DHCP6_RELAY_LINKADDR, end);
    line.text += ' peeraddr=' + ipv6(data, cp + DHCP6_RELAY_PEERADDR, end);
    printOptions(line, data, cp + DHCP6_RELAY_HEADER_LEN, ep, end);
  }
  line.text += ')';
}

/** The options in [cp, ep), each as ` (name …)`. */
function printOptions(line: Line, data: Buffer, cp: number, ep: number, end: number): void {
  while (cp < ep) {
    if (ep < cp + DHCP6_OPTION_HEADER_LEN || cp + DHCP6_OPTION_HEADER_LEN > end) {
      line.text += ' [|dhcp6]';
      return;
    }
    const optlen = readU16(data, cp + 2);
    if (ep < cp + DHCP6_OPTION_HEADER_LEN + optlen) {
      line.text += ' [|dhcp6]';
      return;
    }
    const code = readU16(data, cp);
    line.text += ' (' + optionName(code);
    const tp = cp + DHCP6_OPTION_HEADER_LEN;
    const optEnd = tp + optlen;
    if (optEnd > end) {
      line.text += ' [|dhcp6]';
      return;
    }
    if (!printOption(line, data, code, tp, optlen, end)) {
      line.text += ' [|dhcp6]';
      return;
    }
    cp = optEnd;
  }
}

/** Prints one option's data and its `)`; returns false where tcpdump jumps to its inline truncation mark. */
function printOption(line: Line, data: Buffer, code: number, tp: number, optlen: number, end: number): boolean {
  const optEnd = tp + optlen;
  switch (code) {
    case 1: // client-ID
    case 2: { // server-ID: a DUID
      if (optlen < 2) {
        line.text += ' ?)';
        break;
      }
      const duid = readU16(data, tp);
      switch (duid) {
        case 1: // link-layer address plus time
          if (optlen >= 8) line.text += ` hwaddr/time type ${readU16(data, tp + 2)} time ${readU32(data, tp + 4)} ${hexBytes(data, tp + 8, optlen - 8)})`;
          else line.text += ' ?)';
          break;
        case 2: // enterprise number: tcpdump 4.99 shows the first 8 bytes as a vendor id
          if (optlen >= 10) line.text += ` vid ${hexBytes(data, tp + 2, 8)})`;
          else line.text += ' ?)';
          break;
        case 3: // link-layer address
          if (optlen >= 4) line.text += ` hwaddr type ${readU16(data, tp + 2)} ${hexBytes(data, tp + 4, optlen - 4)})`;
          else line.text += ' ?)';
          break;
        default:
          line.text += ` type ${duid})`;
          break;
      }
      break;
    }
    case 5: // IA_ADDR
      if (optlen < 24) {
        line.text += ' ?)';
        break;
      }
      line.text += ' ' + formatIpv6(data, tp);
      line.text += ` pltime:${readU32(data, tp + 16)} vltime:${readU32(data, tp + 20)}`;
      if (optlen > 24) printOptions(line, data, tp + 24, optEnd, end);
      line.text += ')';
      break;
    case 6: // option-request
    case 43: // Echo-request-option
      if (optlen % 2) {
        line.text += ' ?)';
        break;
      }
      for (let i = 0; i < optlen; i += 2) line.text += ' ' + optionName(readU16(data, tp + i));
      line.text += ')';
      break;
    case 7: // preference
      line.text += optlen !== 1 ? ' ?)' : ` ${data[tp]})`;
      break;
    case 8: // elapsed-time
      line.text += optlen !== 2 ? ' ?)' : ` ${readU16(data, tp)})`;
      break;
    case 9: { // relay-message: a whole DHCPv6 message, printed with the capture cut to the option
      line.text += ' (';
      printMessage(line, data, tp, optlen, Math.min(optEnd, end), 1);
      line.text += ')';
      break;
    }
    case 11: // authentication
      printAuthentication(line, data, tp, optlen);
      break;
    case 14: // rapid-commit
    case 20: // reconfigure-accept
      line.text += ')';
      break;
    case 18: // interface-ID
    case 38: // Subscriber-ID: unknown encoding, the first 10 bytes in hex
      line.text += ' ' + hexBytes(data, tp, Math.min(optlen, 10)) + '...)';
      break;
    case 19: // reconfigure-message
      if (optlen !== 1) {
        line.text += ' ?)';
        break;
      }
      {
        const t = data[tp]!;
        line.text += t === DH6_RENEW ? ' for renew)' : t === DH6_INFORM_REQ ? ' for inf-req)' : ` for ???(${HEX2[t]}))`;
      }
      break;
    case 22: case 23: case 31: case 27: case 28: case 34: case 40: case 48: // lists of IPv6 addresses
      if (optlen % 16) {
        line.text += ' ?)';
        break;
      }
      for (let i = 0; i < optlen; i += 16) line.text += ' ' + formatIpv6(data, tp + i);
      line.text += ')';
      break;
    case 21: // SIP-servers-domain
    case 24: { // DNS-search-list: names, pointers relative to the option's end as tcpdump passes it
      let p = tp;
      while (p < optEnd) {
        line.text += ' ';
        p = printName(line, data, p, optEnd, end);
        if (p < 0) return false;
      }
      line.text += ')';
      break;
    }
    case 13: // status-code
      if (optlen < 2) {
        line.text += ' ?)';
        break;
      }
      {
        const status = readU16(data, tp);
        line.text += ' ' + (status > 255 ? 'INVALID code' : STATUS_NAMES[status] ?? `code${status}`) + ')';
      }
      break;
    case 3: // IA_NA
    case 25: // IA_PD
      if (optlen < 12) {
        line.text += ' ?)';
        break;
      }
      line.text += ` IAID:${readU32(data, tp)} T1:${readU32(data, tp + 4)} T2:${readU32(data, tp + 8)}`;
      if (optlen > 12) printOptions(line, data, tp + 12, optEnd, end);
      line.text += ')';
      break;
    case 4: // IA_TA
      if (optlen < 4) {
        line.text += ' ?)';
        break;
      }
      line.text += ` IAID:${readU32(data, tp)}`;
      if (optlen > 4) printOptions(line, data, tp + 4, optEnd, end);
      line.text += ')';
      break;
    case 26: // IA_PD-prefix
      if (optlen < 25) {
        line.text += ' ?)';
        break;
      }
      line.text += ` ${formatIpv6(data, tp + 9)}/${data[tp + 8]}`;
      line.text += ` pltime:${readU32(data, tp)} vltime:${readU32(data, tp + 4)}`;
      if (optlen > 25) printOptions(line, data, tp + 25, optEnd, end);
      line.text += ')';
      break;
    case 32: // lifetime
    case 46: // Clt-time
      line.text += optlen !== 4 ? ' ?)' : ` ${readU32(data, tp)})`;
      break;
    case 37: // Remote-ID: enterprise number, then the first 10 bytes in hex
      if (optlen < 4) {
        line.text += ' ?)';
        break;
      }
      line.text += ` ${readU32(data, tp)} ${hexBytes(data, tp + 4, Math.min(optlen, 14) - 4)}...)`;
      break;
    case 44: { // Lease-query
      if (optlen < 17) {
        line.text += ' ?)';
        break;
      }
      const q = data[tp]!;
      line.text += q === 1 ? ' by-address' : q === 2 ? ' by-clientID' : ` type_${q}`;
      line.text += ' ' + formatIpv6(data, tp + 1);
      if (optlen > 17) printOptions(line, data, tp + 17, optEnd, end);
      line.text += ')';
      break;
    }
    case 45: // LQ-client-data
      if (optlen > 0) printOptions(line, data, tp, optEnd, end);
      line.text += ')';
      break;
    case 47: // LQ-relay-data
      if (optlen < 16) {
        line.text += ' ?)';
        break;
      }
      line.text += ` ${formatIpv6(data, tp)} ${hexBytes(data, tp + 16, Math.min(optlen, 26) - 16)}...)`;
      break;
    case 56: { // NTP-server: suboptions
      if (optlen < 4) {
        line.text += ' ?)';
        break;
      }
      let p = tp;
      while (p < optEnd - 4) {
        const sub = u16At(data, p, end);
        const subLen = u16At(data, p + 2, end);
        p += 4;
        if (p + subLen > optEnd) return false;
        line.text += ` subopt:${sub}`;
        if (sub === 1 || sub === 2) {
          line.text += subLen !== 16 ? ' ?' : ' ' + ipv6(data, p, end);
        } else if (sub === 3) {
          line.text += ' ';
          if (printName(line, data, p, p + subLen, end) < 0) return false;
        } else {
          line.text += ' ?';
        }
        p += subLen;
      }
      line.text += ')';
      break;
    }
    case 64: { // AFTR-Name: labels printed up to a NUL, without compression
      if (optlen < 3) {
        line.text += ' ?)';
        break;
      }
      let p = tp;
      let remain = optlen;
      line.text += ' ';
      while (remain && u8At(data, p, end)) {
        const labelLen = data[p]!;
        p++;
        if (labelLen < remain - 1) {
          printUntilNul(line, data, p, labelLen, end);
          p += labelLen;
          remain -= labelLen + 1;
          if (u8At(data, p, end)) line.text += '.';
        } else {
          line.text += ' ?';
          break;
        }
      }
      line.text += ')';
      break;
    }
    case 41: // POSIX-timezone
    case 42: // POSIX-tz-database
    case 112: // MUD-URL
      if (optlen < 5) {
        line.text += ' ?)';
        break;
      }
      line.text += ' ';
      printUntilNul(line, data, tp, optlen, end);
      line.text += ')';
      break;
    default:
      line.text += ')';
      break;
  }
  return true;
}

function printAuthentication(line: Line, data: Buffer, tp: number, optlen: number): void {
  if (optlen < 11) {
    line.text += ' ?)';
    return;
  }
  const proto = data[tp]!;
  line.text += proto === 2 ? ' proto: delayed' : proto === 3 ? ' proto: reconfigure' : ` proto: ${proto}`;
  const alg = data[tp + 1]!;
  line.text += alg === 1 ? ', alg: HMAC-MD5' : `, alg: ${alg}`;
  const rdm = data[tp + 2]!;
  line.text += rdm === 0 ? ', RDM: mono' : `, RDM: ${rdm}`;
  line.text += ', RD:';
  let p = tp + 3;
  for (let i = 0; i < 4; i++, p += 2) line.text += ' ' + readU16(data, p).toString(16).padStart(4, '0');
  const infoLen = optlen - 11;
  if (proto === 2) {
    if (infoLen !== 0) {
      if (infoLen < 20) {
        line.text += ' ??';
      } else {
        const realmLen = infoLen - 20;
        if (realmLen > 0) line.text += ', realm: ';
        line.text += hexBytes(data, p, realmLen);
        p += realmLen;
        line.text += `, key ID: ${hex8(readU32(data, p))}`;
        p += 4;
        line.text += ', HMAC-MD5:';
        for (let i = 0; i < 4; i++, p += 4) line.text += ' ' + hex8(readU32(data, p));
      }
    }
  } else if (proto === 3) {
    if (infoLen !== 17) {
      line.text += ' ??';
    } else {
      const t = data[p]!;
      line.text += t === 1 ? ' reconfig-key' : t === 2 ? ' type: HMAC-MD5' : ' type: ??';
      p++;
      line.text += ' value:';
      for (let i = 0; i < 4; i++, p += 4) line.text += ' ' + hex8(readU32(data, p));
    }
  } else {
    line.text += ' ??';
  }
  line.text += ')';
}

/** tcpdump's nd_printjnp: up to n characters, stopping at a NUL; fetches past the capture end the line. */
function printUntilNul(line: Line, data: Buffer, at: number, n: number, end: number): void {
  for (let i = 0; i < n; i++) {
    const c = u8At(data, at + i, end);
    if (c === 0) return;
    line.text += PRINTABLE[c];
  }
}

function hexBytes(data: Buffer, at: number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += HEX2[data[at + i]!];
  return s;
}
function ipv6(data: Buffer, at: number, end: number): string {
  if (at + 16 > end) throw TRUNCATED;
  return formatIpv6(data, at);
}
function hex8(v: number): string {
  return v.toString(16).padStart(8, '0');
}
