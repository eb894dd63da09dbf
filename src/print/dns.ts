/**
 * tcpdump 4.99's DNS and mDNS text (print-domain.c `domain_print`), byte for byte.
 *
 * Reads follow tcpdump's two kinds of checks: where tcpdump tests and returns NULL (`goto trunc`) or fetches
 * with GET_* (longjmp), both end the line with ` [|domain]`, so both throw TRUNCATED here. Where tcpdump
 * tests and carries on (the extended-rcode pre-scan, a record whose fixed part is missing), so does this code.
 * Offsets play the role of tcpdump's pointers; -1 stands for its NULL.
 */
import { formatIpv6, HEX2, readU16, readU32, u16At, u8At } from './context.js';
import { TRUNCATED, type Line } from './line.js';
import type { PrintOptions } from './options.js';
import {
  C_CACHE_FLUSH, C_IN, C_QU, DNS_ANCOUNT, DNS_ARCOUNT, DNS_FLAGS, DNS_HEADER_LEN, DNS_ID, DNS_NSCOUNT,
  DNS_QDCOUNT, DNS_QUESTION_FIXED_LEN, DNSSEC_ALGORITHM_NAMES, DS_DIGEST_NAMES, E_CHAIN, E_COOKIE, E_DAU,
  E_DHU, E_ECS, E_EXPIRE, E_KEEPALIVE, E_KEYTAG, E_N3U, E_PADDING, EXTENDED_BITSTRING, FLAG_AA, FLAG_AD,
  FLAG_CD, FLAG_QR, FLAG_RA, FLAG_RD, FLAG_TC, LABEL_EXTENDED, LABEL_POINTER, LABEL_RESERVED, LABEL_TYPE_MASK,
  MAX_NAME_CHARS, NSEC3_HASH_NAMES, OPCODE_IQUERY, OPCODE_MASK, OPCODE_NAMES, OPCODE_SHIFT, QUERY_ODD_FLAGS,
  RCODE_MASK, RR_CLASS, RR_FIXED_LEN, RR_RDLENGTH, RR_TTL, RR_TYPE, T_A, T_A6, T_AAAA, T_CNAME, T_DNAME, T_MX,
  T_NS, T_OPT, T_PTR, T_SOA, T_SRV, T_TSIG, T_TXT, T_UNSPECA, T_URI, dnsClassName, dnsTypeName,
  ednsOptionName, rcodeText, skipName,
} from '../wire/dns.js';

/**
 * Appends what tcpdump's domain_print appends for the DNS message in `data`.
 *
 * - UDP (53 and mDNS 5353): `off` is the first byte of the DNS header and `length` the UDP length minus 8.
 * - TCP (`overTcp`): `off` is the first byte of the TCP payload, i.e. the 2-byte length prefix, and `length`
 *   the TCP payload length, exactly what tcpdump hands domain_print; the text then starts with a space
 *   (tcpdump prints it only in this case) or with ` [DNS over TCP: …] (invalid)`.
 * - `capEnd` is tcpdump's snapend: the end of the captured bytes, already cut to the IP datagram's length.
 *
 * Throws TRUNCATED (with line.protocol = 'domain') where tcpdump prints ` [|domain]`.
 */
export function printDomain(
  line: Line, data: Buffer, off: number, length: number, capEnd: number, opts: PrintOptions,
  overTcp: boolean, isMdns: boolean,
): void {
  line.protocol = 'domain';
  const end = capEnd;
  let bp = off;
  if (overTcp) {
    if (length < 2) {
      line.text += ` [DNS over TCP: length ${length} < 2] (invalid)`;
      return;
    }
    length -= 2;
    const prefix = u16At(data, bp, end);
    if (prefix !== length) {
      line.text += ` [prefix length(${prefix}) != length(${length})] (invalid)`;
      return;
    }
    bp += 2;
    line.text += ' ';
  }
  if (length < DNS_HEADER_LEN) {
    line.text += `domain [length ${length} < ${DNS_HEADER_LEN}] (invalid)`;
    return;
  }
  if (bp + DNS_HEADER_LEN > end) throw TRUNCATED;

  const flags = readU16(data, bp + DNS_FLAGS);
  const qdcount = readU16(data, bp + DNS_QDCOUNT);
  const ancount = readU16(data, bp + DNS_ANCOUNT);
  const nscount = readU16(data, bp + DNS_NSCOUNT);
  const arcount = readU16(data, bp + DNS_ARCOUNT);
  const verbose = opts.verbose;
  const id = readU16(data, bp + DNS_ID);
  const opcode = (flags >> OPCODE_SHIFT) & OPCODE_MASK;
  let cp: number;

  if (flags & FLAG_QR) {
    const rcode = extendedRcode(data, bp, end, flags, qdcount, ancount, nscount, arcount);
    line.text += `${id}${OPCODE_NAMES[opcode]}${rcodeText(rcode)}${flags & FLAG_AA ? '*' : ''}` +
      `${flags & FLAG_RA ? '' : '-'}${flags & FLAG_TC ? '|' : ''}${flags & FLAG_AD ? '$' : ''}`;
    if (qdcount !== 1) line.text += ` [${qdcount}q]`;
    cp = bp + DNS_HEADER_LEN;
    for (let i = 0; i < qdcount; i++) {
      if (i !== 0) line.text += ',';
      if (verbose > 1) {
        line.text += ' q:';
        cp = printQuestion(line, data, cp, bp, end, isMdns);
        if (cp < 0) throw TRUNCATED;
      } else {
        cp = skipName(data, cp, end);
        if (cp < 0) throw TRUNCATED;
        cp += DNS_QUESTION_FIXED_LEN;
      }
    }
    line.text += ` ${ancount}/${nscount}/${arcount}`;
    cp = printRecords(line, data, cp, bp, end, verbose, isMdns, ancount);
    if (verbose > 1) {
      cp = printSection(line, data, cp, bp, end, verbose, isMdns, nscount, ' ns:');
      cp = printSection(line, data, cp, bp, end, verbose, isMdns, arcount, ' ar:');
    }
  } else {
    line.text += `${id}${OPCODE_NAMES[opcode]}${flags & FLAG_RD ? '+' : ''}${flags & FLAG_CD ? '%' : ''}`;
    if (flags & QUERY_ODD_FLAGS) line.text += ` [b2&3=0x${flags.toString(16)}]`;
    if (opcode === OPCODE_IQUERY) {
      if (qdcount) line.text += ` [${qdcount}q]`;
      if (ancount !== 1) line.text += ` [${ancount}a]`;
    } else {
      if (ancount) line.text += ` [${ancount}a]`;
      if (qdcount !== 1) line.text += ` [${qdcount}q]`;
    }
    if (nscount) line.text += ` [${nscount}n]`;
    if (arcount) line.text += ` [${arcount}au]`;

    cp = bp + DNS_HEADER_LEN;
    let remaining = qdcount;
    if (remaining) {
      cp = printQuestion(line, data, cp, bp, end, isMdns);
      if (cp < 0) throw TRUNCATED;
      remaining--;
      while (cp < end && remaining) {
        cp = printQuestion(line, data, cp, bp, end, isMdns);
        if (cp < 0) throw TRUNCATED;
        remaining--;
      }
    }
    if (remaining) throw TRUNCATED;
    if (verbose > 1) {
      cp = printRecords(line, data, cp, bp, end, verbose, isMdns, ancount);
      cp = printSection(line, data, cp, bp, end, verbose, isMdns, nscount, ' ns:');
      cp = printSection(line, data, cp, bp, end, verbose, isMdns, arcount, ' ar:');
    }
  }
  line.text += ` (${length})`;
}

/** Prints the ns or ar section (-vv): ` ns:` and the records separated by commas. */
function printSection(
  line: Line, data: Buffer, cp: number, bp: number, end: number, verbose: number, isMdns: boolean,
  count: number, label: string,
): number {
  if (cp < end && count) {
    line.text += label;
    return printRecords(line, data, cp, bp, end, verbose, isMdns, count);
  }
  if (count) throw TRUNCATED;
  return cp;
}

/** Prints `count` records separated by commas, stopping early at the captured end (then TRUNCATED). */
function printRecords(
  line: Line, data: Buffer, cp: number, bp: number, end: number, verbose: number, isMdns: boolean, count: number,
): number {
  if (count) {
    cp = printRecordChecked(line, data, cp, bp, end, verbose, isMdns);
    count--;
    while (cp < end && count) {
      line.text += ',';
      cp = printRecordChecked(line, data, cp, bp, end, verbose, isMdns);
      count--;
    }
  }
  if (count) throw TRUNCATED;
  return cp;
}

function printRecordChecked(
  line: Line, data: Buffer, cp: number, bp: number, end: number, verbose: number, isMdns: boolean,
): number {
  const next = printRecord(line, data, cp, bp, end, verbose, isMdns);
  if (next < 0) throw TRUNCATED;
  return next;
}

/**
 * Returns the rcode with the OPT record's extended bits (RFC 6891 6.1.3): tcpdump walks the sections to the
 * first OPT in the additional section before printing, and gives up quietly (plain rcode) at any problem.
 */
function extendedRcode(
  data: Buffer, bp: number, end: number, flags: number, qdcount: number, ancount: number, nscount: number,
  arcount: number,
): number {
  let rcode = flags & RCODE_MASK;
  let cp = bp + DNS_HEADER_LEN;
  for (let i = 0; i < qdcount; i++) {
    cp = skipName(data, cp, end);
    if (cp < 0) return rcode;
    cp += DNS_QUESTION_FIXED_LEN;
    if (cp >= end) return rcode;
  }
  const records = ancount + nscount;
  for (let i = 0; i < records; i++) {
    cp = skipName(data, cp, end);
    if (cp < 0) return rcode;
    cp += RR_RDLENGTH;
    if (cp + 2 > end) return rcode;
    cp += 2 + readU16(data, cp);
    if (cp >= end) return rcode;
  }
  for (let i = 0; i < arcount; i++) {
    cp = skipName(data, cp, end);
    if (cp < 0) return rcode;
    if (cp + 2 > end) return rcode;
    const type = readU16(data, cp);
    cp += RR_TTL;
    if (cp + 1 > end) return rcode;
    if (type === T_OPT) return rcode | (data[cp]! << 4);
    cp += RR_RDLENGTH - RR_TTL;
    if (cp + 2 > end) return rcode;
    cp += 2 + readU16(data, cp);
    if (cp >= end) return rcode;
  }
  return rcode;
}

/** Prints ` TYPE[ CLASS][ (QM)|(QU)]? name.` and returns the offset after the question, or -1. */
function printQuestion(line: Line, data: Buffer, cp: number, bp: number, end: number, isMdns: boolean): number {
  const name = cp;
  cp = skipName(data, cp, end);
  if (cp < 0 || cp + 4 > end) return -1;
  line.text += ' ' + dnsTypeName(readU16(data, cp));
  const rawClass = readU16(data, cp + 2);
  const cls = isMdns ? rawClass & ~C_QU : rawClass;
  if (cls !== C_IN) line.text += ' ' + dnsClassName(cls);
  if (isMdns) line.text += rawClass & C_QU ? ' (QU)' : ' (QM)';
  line.text += '? ';
  const after = printName(line, data, name, bp, end);
  return after < 0 ? -1 : after + DNS_QUESTION_FIXED_LEN;
}

/**
 * Prints one resource record as tcpdump's ns_rprint does and returns where tcpdump continues: the end of the
 * RDATA according to RDLENGTH, `end` when the record's fixed part is not captured (tcpdump stops there
 * without a truncation mark), or -1 for truncation.
 */
function printRecord(
  line: Line, data: Buffer, cp: number, bp: number, end: number, verbose: number, isMdns: boolean,
): number {
  if (verbose) {
    line.text += ' ';
    cp = printName(line, data, cp, bp, end);
    if (cp < 0) return -1;
  } else {
    cp = skipName(data, cp, end);
  }
  if (cp < 0 || cp + RR_FIXED_LEN > end) return end;

  const type = readU16(data, cp + RR_TYPE);
  const rawClass = readU16(data, cp + RR_CLASS);
  const cls = isMdns ? rawClass & ~C_CACHE_FLUSH : rawClass;
  if (cls !== C_IN && type !== T_OPT) line.text += ' ' + dnsClassName(cls);
  if (isMdns && rawClass & C_CACHE_FLUSH) line.text += ' (Cache flush)';
  let optFlags = 0;
  if (type === T_OPT) {
    optFlags = readU16(data, cp + RR_TTL + 2);
  } else if (verbose > 2) {
    line.text += ' [' + relativeSeconds(readU32(data, cp + RR_TTL)) + ']';
  }
  const rdlen = readU16(data, cp + RR_RDLENGTH);
  cp += RR_FIXED_LEN;
  const rp = cp + rdlen;
  line.text += ' ' + dnsTypeName(type);
  if (rp > end) return -1;

  switch (type) {
    case T_A:
      if (cp + 4 > end) return -1;
      line.text += ` ${data[cp]}.${data[cp + 1]}.${data[cp + 2]}.${data[cp + 3]}`;
      break;
    case T_NS:
    case T_CNAME:
    case T_PTR:
    case T_DNAME:
      line.text += ' ';
      if (printName(line, data, cp, bp, end) < 0) return -1;
      break;
    case T_SOA:
      if (!verbose) break;
      line.text += ' ';
      cp = printName(line, data, cp, bp, end);
      if (cp < 0) return -1;
      line.text += ' ';
      cp = printName(line, data, cp, bp, end);
      if (cp < 0) return -1;
      if (cp + 20 > end) return -1;
      line.text += ` ${readU32(data, cp)} ${readU32(data, cp + 4)} ${readU32(data, cp + 8)}` +
        ` ${readU32(data, cp + 12)} ${readU32(data, cp + 16)}`;
      break;
    case T_MX:
      line.text += ' ';
      if (cp + 2 > end) return -1;
      if (printName(line, data, cp + 2, bp, end) < 0) return -1;
      line.text += ' ' + readU16(data, cp);
      break;
    case T_TXT:
      while (cp < rp) {
        line.text += ' "';
        cp = printCharString(line, data, cp, end);
        if (cp < 0) return -1;
        line.text += '"';
      }
      break;
    case T_SRV:
      line.text += ' ';
      if (cp + 6 > end) return -1;
      if (printName(line, data, cp + 6, bp, end) < 0) return -1;
      line.text += `:${readU16(data, cp + 4)} ${readU16(data, cp)} ${readU16(data, cp + 2)}`;
      break;
    case T_AAAA:
      if (cp + 16 > end) return -1;
      line.text += ' ' + formatIpv6(data, cp);
      break;
    case T_A6:
      return printA6(line, data, cp, bp, end) < 0 ? -1 : rp;
    case T_URI:
      if (cp + rdlen > end) return -1;
      line.text += ` ${u16At(data, cp, end)} ${u16At(data, cp + 2, end)} `;
      // RDLENGTH below 4 wraps to a huge count in tcpdump's unsigned arithmetic: it prints to the capture end.
      if (printCounted(line, data, cp + 4, (rdlen - 4) >>> 0, end)) return -1;
      break;
    case T_OPT:
      line.text += ` UDPsize=${cls}`;
      if (optFlags & 0x8000) line.text += ' DO';
      if (cp < rp) {
        line.text += ' [';
        while (cp < rp) {
          cp = printEdnsOption(line, data, cp, end);
          if (cp < 0) return -1;
          if (cp < rp) line.text += ',';
        }
        line.text += ']';
      }
      break;
    case T_UNSPECA:
      if (cp + rdlen > end) return -1;
      if (printCounted(line, data, cp, rdlen, end)) return -1;
      break;
    case T_TSIG:
      if (!verbose) break;
      line.text += ' ';
      cp = printName(line, data, cp, bp, end);
      if (cp < 0) return -1;
      cp += 6; // time signed (48 bits)
      if (cp + 2 > end) return -1;
      line.text += ` fudge=${readU16(data, cp)}`;
      cp += 2;
      if (cp + 2 > end) return -1;
      line.text += ` maclen=${readU16(data, cp)}`;
      cp += 2 + readU16(data, cp);
      if (cp + 2 > end) return -1;
      line.text += ` origid=${readU16(data, cp)}`;
      cp += 2;
      if (cp + 2 > end) return -1;
      line.text += ` error=${readU16(data, cp)}`;
      cp += 2;
      if (cp + 2 > end) return -1;
      line.text += ` otherlen=${readU16(data, cp)}`;
      break;
    default:
      break;
  }
  return rp;
}

/** A6 (RFC 2874): prefix length, the address suffix, the prefix name. Returns -1 on truncation. */
function printA6(line: Line, data: Buffer, cp: number, bp: number, end: number): number {
  const pbit = u8At(data, cp, end);
  const pbyte = (pbit & ~7) >> 3;
  if (pbit > 128) {
    line.text += ` ${pbit}(bad plen)`;
    return 0;
  }
  if (pbit < 128) {
    // The suffix fills the address from byte pbyte on; the bytes before it print as zeros.
    if (cp + 1 + 16 - pbyte > end) throw TRUNCATED;
    A6_SCRATCH.fill(0);
    for (let k = pbyte; k < 16; k++) A6_SCRATCH[k] = data[cp + 1 + k - pbyte]!;
    line.text += ` ${pbit} ${formatIpv6(A6_SCRATCH, 0)}`;
  }
  if (pbit > 0) {
    line.text += ' ';
    if (printName(line, data, cp + 1 + 16 - pbyte, bp, end) < 0) return -1;
  }
  return 0;
}
const A6_SCRATCH = new Uint8Array(16);

/** Prints one EDNS option `NAME[ data]` and returns the offset after it, or -1 on truncation. */
function printEdnsOption(line: Line, data: Buffer, cp: number, end: number): number {
  if (cp + 2 > end) return -1;
  const code = readU16(data, cp);
  cp += 2;
  line.text += ednsOptionName(code);
  if (cp + 2 > end) return -1;
  const len = readU16(data, cp);
  cp += 2;
  if (cp + len > end) return -1;
  if (len > 0) {
    line.text += ' ';
    switch (code) {
      case E_ECS:
        printClientSubnet(line, data, cp, len);
        break;
      case E_COOKIE:
        if (len < 8 || (len > 8 && len < 16) || len > 40) {
          line.text += ' (invalid)';
        } else {
          for (let i = 0; i < len; i++) {
            if (i === 8) line.text += ' '; // client cookie, then server cookie
            line.text += HEX2[data[cp + i]!];
          }
        }
        break;
      case E_KEEPALIVE:
        // The timeout is in units of 100 ms.
        line.text += len !== 2 ? ' (invalid)' : `${(readU16(data, cp) / 10).toFixed(1)} sec`;
        break;
      case E_EXPIRE:
        line.text += len !== 4 ? ' (invalid)' : `${readU32(data, cp)} sec`;
        break;
      case E_PADDING:
        line.text += `(${len})`;
        break;
      case E_KEYTAG:
        if (len % 2 !== 0) {
          line.text += ' (invalid)';
        } else {
          for (let i = 0; i < len; i += 2) line.text += (i > 0 ? ' ' : '') + readU16(data, cp + i);
        }
        break;
      case E_DAU:
      case E_DHU:
      case E_N3U: {
        const names = code === E_DAU ? DNSSEC_ALGORITHM_NAMES : code === E_DHU ? DS_DIGEST_NAMES : NSEC3_HASH_NAMES;
        for (let i = 0; i < len; i++) {
          const alg = data[cp + i]!;
          line.text += (i > 0 ? ' ' : '') + (names.get(alg) ?? `Alg_${alg}`);
        }
        break;
      }
      case E_CHAIN:
        // tcpdump passes the option's end as the message base, so pointers resolve past it; its result is unused.
        printName(line, data, cp, cp + len, end);
        break;
      default:
        for (let i = 0; i < len; i++) line.text += HEX2[data[cp + i]!];
        break;
    }
  }
  return cp + len;
}

/** ECS (RFC 7871): `address/source/scope`, the address padded with zeros; malformed ones print ` (invalid)`. */
function printClientSubnet(line: Line, data: Buffer, cp: number, len: number): void {
  if (len < 4) {
    line.text += ' (invalid)';
    return;
  }
  const family = readU16(data, cp);
  const sourceLen = data[cp + 2]!;
  const scopeLen = data[cp + 3]!;
  let addrBits: number;
  if (family === 1) addrBits = 32;
  else if (family === 2) addrBits = 128;
  else {
    line.text += ' (invalid)';
    return;
  }
  const addrBytes = len - 4;
  if (addrBytes > addrBits / 8 || sourceLen > addrBits || scopeLen > addrBits || ((sourceLen + 7) >> 3) !== addrBytes) {
    line.text += ' (invalid)';
    return;
  }
  A6_SCRATCH.fill(0);
  for (let k = 0; k < addrBytes; k++) A6_SCRATCH[k] = data[cp + 4 + k]!;
  const addr = family === 1
    ? `${A6_SCRATCH[0]}.${A6_SCRATCH[1]}.${A6_SCRATCH[2]}.${A6_SCRATCH[3]}`
    : formatIpv6(A6_SCRATCH, 0);
  line.text += `${addr}/${sourceLen}/${scopeLen}`;
}

/**
 * Prints the domain name at `cp` (following compression pointers relative to the message start `bp`) as
 * tcpdump's fqdn_print does, with its inline notes, and returns the offset after the name in the record,
 * or -1 (after printing what it could) when tcpdump gives up. A pointer must point strictly before the
 * previous one (BIND's rule, which tcpdump enforces with `<BAD PTR>`), so every name ends after at most
 * one hop per byte of the message.
 */
export function printName(line: Line, data: Uint8Array, cp: number, bp: number, end: number): number {
  let l = labelLength(line, data, cp, end);
  if (l < 0) return -1;
  // tcpdump keeps this offset unsigned: a base past `cp` (EDNS CHAIN) makes it huge, not negative.
  let maxOffset = (cp - bp) >>> 0;
  let i = data[cp]!;
  cp++;
  let rp = -1;
  let compressed = false;
  if ((i & LABEL_TYPE_MASK) !== LABEL_POINTER) rp = cp + l;
  if (i === 0) {
    line.text += '.';
    return rp;
  }
  let nameChars = 0;
  while (i !== 0 && cp < end) {
    switch (i & LABEL_TYPE_MASK) {
      case LABEL_POINTER: {
        if (!compressed) {
          rp = cp + 1;
          compressed = true;
        }
        const offset = ((i << 8) | data[cp]!) & 0x3fff;
        if (offset >= maxOffset) {
          line.text += '<BAD PTR>';
          return -1;
        }
        maxOffset = offset;
        cp = bp + offset;
        if (cp >= end) return -1;
        i = data[cp]!;
        l = labelLength(line, data, cp, end);
        if (l < 0) return -1;
        cp++;
        continue;
      }
      case LABEL_EXTENDED:
        // labelLength() accepted only the bit-string type.
        printBitLabel(line, data, cp, end);
        break;
      case LABEL_RESERVED:
        line.text += '<BAD LABEL TYPE>';
        return -1;
      default:
        if (nameChars + l <= MAX_NAME_CHARS) {
          if (printCounted(line, data, cp, l, end)) return -1;
        } else if (nameChars < MAX_NAME_CHARS) {
          if (printCounted(line, data, cp, MAX_NAME_CHARS - nameChars, end)) return -1;
        }
        nameChars += l;
        break;
    }
    cp += l;
    if (nameChars <= MAX_NAME_CHARS) line.text += '.';
    nameChars++;
    if (cp >= end) return -1;
    i = data[cp]!;
    l = labelLength(line, data, cp, end);
    if (l < 0) return -1;
    cp++;
    if (!compressed) rp += l + 1;
  }
  if (nameChars > MAX_NAME_CHARS) line.text += '<DOMAIN NAME TOO LONG>';
  return rp;
}

/** The length byte's meaning as tcpdump's labellen: bytes to skip, or -1 (with a note for bad types). */
function labelLength(line: Line, data: Uint8Array, cp: number, end: number): number {
  if (cp >= end) return -1;
  const i = data[cp]!;
  switch (i & LABEL_TYPE_MASK) {
    case LABEL_EXTENDED: {
      const elt = i & ~LABEL_TYPE_MASK;
      if (elt !== EXTENDED_BITSTRING) {
        line.text += `<ELT ${elt}>`;
        return -1;
      }
      if (cp + 1 >= end) return -1;
      const bits = data[cp + 1]! || 256;
      return ((bits + 7) >> 3) + 1;
    }
    case LABEL_RESERVED:
      line.text += '<BAD LABEL TYPE>';
      return -1;
    default:
      return i;
  }
}

/** Prints an RFC 2673 bit-string label `\[x<hex>/<bits>]`; `cp` is at its bit-count byte. */
function printBitLabel(line: Line, data: Uint8Array, cp: number, end: number): void {
  const bitlen = u8At(data, cp, end) || 256;
  // tcpdump's limit counts hex digits as bytes; the bit count ends the loop first, so it only matters on truncation.
  const lim = cp + 1 + ((bitlen + 3) >> 2);
  line.text += '\\[x';
  let bitp = cp + 1;
  let b = bitlen;
  for (; bitp < lim && b > 7; b -= 8, bitp++) line.text += HEX2[u8At(data, bitp, end)];
  if (b > 4) {
    const tc = u8At(data, bitp, end);
    line.text += HEX2[tc & ((0xff << (8 - b)) & 0xff)];
  } else if (b > 0) {
    const tc = u8At(data, bitp, end);
    line.text += (((tc >> 4) & 0x0f) & (0x0f << (4 - b))).toString(16);
  }
  line.text += `/${bitlen}]`;
}

/** Prints a <character-string> (length byte, bytes); returns the offset after it or -1 if cut short. */
function printCharString(line: Line, data: Buffer, cp: number, end: number): number {
  if (cp >= end) return -1;
  const n = data[cp]!;
  cp++;
  if (printCounted(line, data, cp, n, end)) return -1;
  return cp + n;
}

/**
 * Prints up to `n` bytes as tcpdump's nd_printn (non-printables as `^X`/`M-x`), stopping at `end`; returns
 * true when the capture ended first.
 */
function printCounted(line: Line, data: Uint8Array, cp: number, n: number, end: number): boolean {
  let s = '';
  while (n > 0 && cp < end) {
    n--;
    s += PRINTABLE[data[cp]!];
    cp++;
  }
  line.text += s;
  return n !== 0;
}

/** Formats a TTL as tcpdump's unsigned_relts_print: `1d2h3m4s`, `0s`. */
export function relativeSeconds(secs: number): string {
  if (secs === 0) return '0s';
  let s = '';
  for (let k = 0; k < RELTS_UNITS.length && secs > 0; k++) {
    const unit = RELTS_SECONDS[k]!;
    if (secs >= unit) {
      const q = Math.floor(secs / unit);
      s += `${q}${RELTS_UNITS[k]}`;
      secs -= q * unit;
    }
  }
  return s;
}
const RELTS_UNITS = ['y', 'w', 'd', 'h', 'm', 's'];
const RELTS_SECONDS = [31536000, 604800, 86400, 3600, 60, 1];


/**
 * tcpdump's fn_print_char for every byte: printable ASCII as is, control characters as `^X` (DEL as `^?`),
 * bytes with the top bit set as `M-` followed by the same rule for the low seven bits.
 */
export const PRINTABLE: readonly string[] = Array.from({ length: 256 }, (_, b) => {
  let s = '';
  let c = b;
  if (c >= 0x80) {
    c &= 0x7f;
    s += 'M-';
  }
  if (c < 0x20 || c === 0x7f) {
    c ^= 0x40;
    s += '^';
  }
  return s + String.fromCharCode(c);
});
