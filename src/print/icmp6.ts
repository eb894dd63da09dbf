/**
 * ICMPv6 as tcpdump 4.99.3 prints it (print-icmp6.c icmp6_print): errors, echo, MLD v1/v2, neighbor
 * discovery with its options at -v, router renumbering.
 */
import { checksumShouldBe, foldComplement, ipv6PseudoSum, sumBytes } from '../wire/checksum.js';
import {
  ICMP6_DST_UNREACH, ICMP6_ECHO_REPLY, ICMP6_ECHO_REQUEST, ICMP6_HADISCOV_REPLY, ICMP6_HADISCOV_REQUEST, ICMP6_ID,
  ICMP6_MEMBERSHIP_QUERY, ICMP6_MEMBERSHIP_REDUCTION, ICMP6_MEMBERSHIP_REPORT, ICMP6_MOBILEPREFIX_ADVERT,
  ICMP6_MOBILEPREFIX_SOLICIT, ICMP6_MTU, ICMP6_NI_QUERY, ICMP6_NI_REPLY, ICMP6_PACKET_TOO_BIG, ICMP6_PARAM_PROB,
  ICMP6_PPTR, ICMP6_QUOTED, ICMP6_ROUTER_RENUMBERING, ICMP6_SEQ, ICMP6_TIME_EXCEEDED, ICMP6_TYPE_NAMES,
  ICMP6_UNREACH_CODE_NAMES, ICMP6_V2_MEMBERSHIP_REPORT, IND_ADVERT, IND_SOLICIT, MLD_MINLEN, MLDV2_MINLEN,
  MLDV2_RECORD_NAMES, NA_FLAG_BITS, ND_NEIGHBOR_ADVERT, ND_NEIGHBOR_SOLICIT, ND_OPT_ADVINTERVAL, ND_OPT_DNSSL,
  ND_OPT_HOMEAGENT_INFO, ND_OPT_MTU, ND_OPT_NAMES, ND_OPT_PREFIX_INFORMATION, ND_OPT_RDNSS, ND_OPT_REDIRECTED_HEADER,
  ND_OPT_ROUTE_INFO, ND_OPT_SOURCE_LINKADDR, ND_OPT_TARGET_LINKADDR, ND_REDIRECT, ND_ROUTER_ADVERT,
  ND_ROUTER_SOLICIT, PI_FLAG_BITS, RA_FLAG_BITS, ROUTER_PREFERENCE,
} from '../wire/icmp6.js';
import {
  IPPROTO_AH, IPPROTO_DSTOPTS, IPPROTO_FRAGMENT, IPPROTO_HOPOPTS, IPPROTO_ICMPV6, IPPROTO_ROUTING, IPPROTO_TCP,
  IPPROTO_UDP,
} from '../wire/ipv4.js';
import { bitNames, nameOf } from '../wire/names.js';
import { check, formatIpv6, HEX2, has, u16, u32, u8, type PrintContext } from './context.js';
import { hexText } from './hexdump.js';
import { TRUNCATED_SOFT } from './line.js';
import { ip6ChecksumDestination } from './ip6.js';

function lifetime(v: number): string {
  return v === 0xffffffff ? 'infinity' : `${v}s`;
}

function rtpref(v: number): string {
  return ROUTER_PREFERENCE[((v & 0x18) >> 3) & 3]!;
}

/** tcpdump's print_unknown_data: a hex dump of what was captured of `len` bytes. */
function unknownData(c: PrintContext, at: number, indent: string, len: number): void {
  if (at > c.end) {
    c.line.text += `${indent}Dissector error: print_unknown_data called with pointer past end of packet`;
    return;
  }
  c.line.text += hexText(c.data, at, Math.min(len, c.end - at), c.end, indent);
}

/** Prints an ICMPv6 message of `length` bytes at `at`; `ip6At` is the enclosing IPv6 header. */
export function printIcmp6(c: PrintContext, at: number, length: number, ip6At: number, fragmented: boolean): void {
  const line = c.line;
  line.protocol = 'icmp6';
  const v = c.opts.verbose;
  const oip = at + ICMP6_QUOTED;
  if (length === 0) {
    line.text += 'ICMP6, length 0 (invalid)';
    return;
  }
  if (v && !fragmented && has(c, at, length)) {
    const field = u16(c, at + 2);
    const sum = foldComplement(sumBytes(c.data, at, length, ipv6PseudoSum(c.data, ip6At, IPPROTO_ICMPV6, length, ip6ChecksumDestination(c, ip6At))));
    line.text += sum !== 0 ? `[bad icmp6 cksum 0x${field.toString(16).padStart(4, '0')} -> 0x${checksumShouldBe(field, sum).toString(16).padStart(4, '0')}!] ` : '[icmp6 sum ok] ';
  }
  const type = u8(c, at);
  line.text += `ICMP6, ${nameOf(ICMP6_TYPE_NAMES, type, 'unknown icmp6 type (%u)')}`;
  if (
    v &&
    (type === ND_ROUTER_SOLICIT || type === ND_ROUTER_ADVERT || type === ND_NEIGHBOR_ADVERT || type === ND_NEIGHBOR_SOLICIT ||
      type === ND_REDIRECT || type === ICMP6_HADISCOV_REPLY || type === ICMP6_MOBILEPREFIX_ADVERT)
  ) {
    line.text += `, length ${length}`;
  }
  const code = u8(c, at + 1);
  switch (type) {
    case ICMP6_DST_UNREACH:
      line.text += `, ${nameOf(ICMP6_UNREACH_CODE_NAMES, code, 'unknown unreach code (%u)')}`;
      switch (code) {
        case 0:
        case 1:
        case 3:
          line.text += ` ${c.ipv6(oip + 24)}`;
          break;
        case 2:
          line.text += ` ${c.ipv6(oip + 24)}, source address ${c.ipv6(oip + 8)}`;
          break;
        case 4: {
          const up = upperLayer(c, oip);
          if (up < 0) throw TRUNCATED_SOFT;
          const dport = u16(c, up + 2);
          if (upperProto === IPPROTO_TCP) line.text += `, ${c.ipv6(oip + 24)} tcp port ${dport}`;
          else if (upperProto === IPPROTO_UDP) line.text += `, ${c.ipv6(oip + 24)} udp port ${dport}`;
          else line.text += `, ${c.ipv6(oip + 24)} protocol ${upperProto} port ${dport} unreachable`;
          break;
        }
        default:
          if (v <= 1) {
            unknownData(c, at, '\n\t', length);
            return;
          }
      }
      break;
    case ICMP6_PACKET_TOO_BIG:
      line.text += `, mtu ${u32(c, at + ICMP6_MTU)}`;
      break;
    case ICMP6_TIME_EXCEEDED:
      if (code === 0) line.text += ` for ${c.ipv6(oip + 24)}`;
      else if (code === 1) line.text += ' (reassembly)';
      else line.text += `, unknown code (${code})`;
      break;
    case ICMP6_PARAM_PROB:
      check(c, oip + 24, 16);
      switch (code) {
        case 0:
          line.text += `, erroneous - octet ${u32(c, at + ICMP6_PPTR)}`;
          break;
        case 1:
          line.text += `, next header - octet ${u32(c, at + ICMP6_PPTR)}`;
          break;
        case 2:
          line.text += `, option - octet ${u32(c, at + ICMP6_PPTR)}`;
          break;
        case 3:
          line.text += `, incomplete header chain - octet ${u32(c, at + ICMP6_PPTR)}`;
          break;
        default:
          line.text += `, code-#${code}`;
      }
      break;
    case ICMP6_ECHO_REQUEST:
    case ICMP6_ECHO_REPLY:
      line.text += `, id ${u16(c, at + ICMP6_ID)}, seq ${u16(c, at + ICMP6_SEQ)}`;
      break;
    case ICMP6_MEMBERSHIP_QUERY:
      if (length === MLD_MINLEN) printMld(c, at);
      else if (length >= MLDV2_MINLEN) {
        line.text += ' v2';
        printMldv2Query(c, at, length);
      } else line.text += ` unknown-version (len ${length}) `;
      break;
    case ICMP6_MEMBERSHIP_REPORT:
    case ICMP6_MEMBERSHIP_REDUCTION:
      printMld(c, at);
      break;
    case ND_ROUTER_SOLICIT:
      if (v && !printNdOptions(c, at + 8, length - 8)) throw TRUNCATED_SOFT;
      break;
    case ND_ROUTER_ADVERT:
      if (v) {
        const flags = u8(c, at + 5);
        line.text +=
          `\n\thop limit ${u8(c, at + 4)}, Flags [${bitNames(RA_FLAG_BITS, flags, 'none', ', ')}], pref ${rtpref(flags)}` +
          `, router lifetime ${u16(c, at + 6)}s, reachable time ${u32(c, at + 8)}ms, retrans timer ${u32(c, at + 12)}ms`;
        if (!printNdOptions(c, at + 16, length - 16)) throw TRUNCATED_SOFT;
      }
      break;
    case ND_NEIGHBOR_SOLICIT:
      line.text += `, who has ${c.ipv6(at + 8)}`;
      if (v && !printNdOptions(c, at + 24, length - 24)) throw TRUNCATED_SOFT;
      break;
    case ND_NEIGHBOR_ADVERT:
      line.text += `, tgt is ${c.ipv6(at + 8)}`;
      if (v) {
        line.text += `, Flags [${bitNames(NA_FLAG_BITS, u32(c, at + 4), 'none', ', ')}]`;
        if (!printNdOptions(c, at + 24, length - 24)) throw TRUNCATED_SOFT;
      }
      break;
    case ND_REDIRECT:
      line.text += `, ${c.ipv6(at + 24)} to ${c.ipv6(at + 8)}`;
      if (v && !printNdOptions(c, at + 40, length - 40)) throw TRUNCATED_SOFT;
      break;
    case ICMP6_ROUTER_RENUMBERING:
      printRouterRenumbering(c, at);
      break;
    case ICMP6_NI_QUERY:
    case ICMP6_NI_REPLY:
      printNodeInfo(c, at, length);
      break;
    case IND_SOLICIT:
    case IND_ADVERT:
      break;
    case ICMP6_V2_MEMBERSHIP_REPORT:
      printMldv2Report(c, at, length);
      break;
    case ICMP6_MOBILEPREFIX_SOLICIT:
    case ICMP6_HADISCOV_REQUEST:
      line.text += `, id 0x${u16(c, at + 4).toString(16).padStart(4, '0')}`;
      break;
    default:
      line.text += `, length ${length}`;
      if (v <= 1) unknownData(c, at, '\n\t', length);
      return;
  }
  if (!v) line.text += `, length ${length}`;
}

let upperProto = 0;
/** tcpdump's get_upperlayer: walks the quoted packet's extension headers; returns the transport offset or -1. */
function upperLayer(c: PrintContext, ip6: number): number {
  if (ip6 + 7 > c.end) return -1;
  let nh = c.data[ip6 + 6]!;
  let hlen = 40;
  let bp = ip6;
  while (bp < c.end) {
    bp += hlen;
    switch (nh) {
      case IPPROTO_UDP:
      case IPPROTO_TCP:
        if (bp + 4 <= c.end) {
          upperProto = nh;
          return bp;
        }
        return -1;
      case IPPROTO_HOPOPTS:
      case IPPROTO_DSTOPTS:
      case IPPROTO_ROUTING:
        if (bp + 2 > c.end) return -1;
        nh = c.data[bp]!;
        hlen = (c.data[bp + 1]! + 1) << 3;
        break;
      case IPPROTO_FRAGMENT:
        if (bp + 4 > c.end) return -1;
        if ((((c.data[bp + 2]! << 8) | c.data[bp + 3]!) & 0xfff8) !== 0) return -1;
        nh = c.data[bp]!;
        hlen = 8;
        break;
      case IPPROTO_AH:
        if (bp + 2 > c.end) return -1;
        nh = c.data[bp]!;
        hlen = (c.data[bp + 1]! + 2) << 2;
        break;
      default:
        upperProto = nh;
        return -1;
    }
  }
  return -1;
}

function printMld(c: PrintContext, at: number): void {
  if (at + 24 > c.end) return;
  c.line.text += `max resp delay: ${u16(c, at + 4)} addr: ${c.ipv6(at + 8)}`;
}

function printMldv2Report(c: PrintContext, at: number, len: number): void {
  if (len < 8) {
    c.line.text += ` [invalid len ${len}]`;
    return;
  }
  const ngroups = u16(c, at + 6);
  c.line.text += `, ${ngroups} group record(s)`;
  if (!c.opts.verbose) return;
  let group = 8;
  for (let i = 0; i < ngroups; i++) {
    if (len < group + 20) {
      c.line.text += ' [invalid number of groups]';
      return;
    }
    c.line.text += ` [gaddr ${c.ipv6(at + group + 4)}`;
    const rt = u8(c, at + group);
    c.line.text += ` ${MLDV2_RECORD_NAMES.get(rt) ?? ` [v2-report-#${rt}]`}`;
    const nsrcs = u16(c, at + group + 2);
    if (len < group + 20 + nsrcs * 16) {
      c.line.text += ` [invalid number of sources ${nsrcs}]`;
      return;
    }
    if (c.opts.verbose === 1) c.line.text += `, ${nsrcs} source(s)`;
    else {
      c.line.text += ' {';
      for (let j = 0; j < nsrcs; j++) c.line.text += ` ${c.ipv6(at + group + 20 + j * 16)}`;
      c.line.text += ' }';
    }
    group += 20 + nsrcs * 16;
    c.line.text += ']';
  }
}

function printMldv2Query(c: PrintContext, at: number, len: number): void {
  if (len < 28) {
    c.line.text += ` [invalid len ${len}]`;
    return;
  }
  const mrc = u16(c, at + 4);
  const mrt = mrc < 32768 ? mrc : ((mrc & 0x0fff) | 0x1000) << (((mrc & 0x7000) >> 12) + 3);
  const v = c.opts.verbose;
  if (v) c.line.text += ` [max resp delay=${mrt}]`;
  c.line.text += ` [gaddr ${c.ipv6(at + 8)}`;
  if (v) {
    const b24 = u8(c, at + 24);
    if (b24 & 0x08) c.line.text += ' sflag';
    if (b24 & 0x07) c.line.text += ` robustness=${b24 & 0x07}`;
    const b25 = u8(c, at + 25);
    const qqi = b25 < 128 ? b25 : ((b25 & 0x0f) | 0x10) << (((b25 & 0x70) >> 4) + 3);
    c.line.text += ` qqi=${qqi}`;
  }
  const nsrcs = u16(c, at + 26);
  if (nsrcs > 0) {
    if (len < 28 + nsrcs * 16) c.line.text += ' [invalid number of sources]';
    else if (v > 1) {
      c.line.text += ' {';
      for (let i = 0; i < nsrcs; i++) c.line.text += ` ${c.ipv6(at + 28 + i * 16)}`;
      c.line.text += ' }';
    } else c.line.text += `, ${nsrcs} source(s)`;
  }
  c.line.text += ']';
}

/** tcpdump's icmp6_opt_print; false where it returns -1 (truncated). */
function printNdOptions(c: PrintContext, cp: number, resid: number): boolean {
  const line = c.line;
  const ep = c.end;
  while (cp < ep) {
    if (cp + 2 > ep) return false;
    if (resid <= 0) return true;
    const type = c.data[cp]!;
    const olen = c.data[cp + 1]!;
    if (olen === 0) return false;
    if (cp + (olen << 3) > ep) return false;
    line.text += `\n\t  ${nameOf(ND_OPT_NAMES, type, 'unknown')} option (${type}), length ${olen << 3} (${olen}): `;
    switch (type) {
      case ND_OPT_SOURCE_LINKADDR:
      case ND_OPT_TARGET_LINKADDR: {
        const l = (olen << 3) - 2;
        let s = '';
        for (let i = 0; i < l; i++) s += (i ? ':' : '') + HEX2[u8(c, cp + 2 + i)];
        line.text += s;
        break;
      }
      case ND_OPT_PREFIX_INFORMATION:
        line.text +=
          `${c.ipv6(cp + 16)}/${u8(c, cp + 2)}${olen !== 4 ? 'badlen' : ''}, Flags [${bitNames(PI_FLAG_BITS, u8(c, cp + 3), 'none', ', ')}]` +
          `, valid time ${lifetime(u32(c, cp + 4))}, pref. time ${lifetime(u32(c, cp + 8))}`;
        break;
      case ND_OPT_REDIRECTED_HEADER:
        unknownData(c, cp, '\n\t    ', olen << 3);
        break;
      case ND_OPT_MTU:
        line.text += ` ${u32(c, cp + 4)}${olen !== 1 ? 'bad option length' : ''}`;
        break;
      case ND_OPT_RDNSS: {
        const l = (olen - 1) >> 1;
        line.text += ` lifetime ${u32(c, cp + 4)}s,`;
        for (let i = 0; i < l; i++) line.text += ` addr: ${c.ipv6(cp + 8 + i * 16)}`;
        break;
      }
      case ND_OPT_DNSSL: {
        line.text += ` lifetime ${u32(c, cp + 4)}s, domain(s):`;
        let domp = cp + 8;
        const lim = cp + (olen << 3);
        while (domp < lim && u8(c, domp) !== 0) {
          line.text += ' ';
          domp = printFqdn(c, domp);
        }
        break;
      }
      case ND_OPT_ADVINTERVAL:
        line.text += ` ${u32(c, cp + 4)}ms`;
        break;
      case ND_OPT_HOMEAGENT_INFO:
        line.text += ` preference ${u16(c, cp + 4)}, lifetime ${u16(c, cp + 6)}`;
        break;
      case ND_OPT_ROUTE_INFO: {
        check(c, cp + 4, 4);
        const addr = Buffer.alloc(16);
        if (olen === 2) c.data.copy(addr, 0, cp + 8, cp + 16);
        else if (olen === 3) c.data.copy(addr, 0, cp + 8, cp + 24);
        else if (olen !== 1) return false;
        line.text += ` ${formatIpv6(addr, 0)}/${u8(c, cp + 2)}, pref=${rtpref(u8(c, cp + 3))}, lifetime=${lifetime(u32(c, cp + 4))}`;
        break;
      }
      default:
        if (c.opts.verbose <= 1) {
          unknownData(c, cp + 2, '\n\t  ', (olen << 3) - 2);
          return true;
        }
    }
    if (c.opts.verbose > 1) unknownData(c, cp + 2, '\n\t    ', (olen << 3) - 2);
    cp += olen << 3;
    resid -= olen << 3;
  }
  return true;
}

/** Prints an uncompressed DNS name (tcpdump's fqdn_print without pointers); returns the offset after it. */
function printFqdn(c: PrintContext, at: number): number {
  let s = '';
  for (;;) {
    const l = u8(c, at++);
    if (l === 0) break;
    check(c, at, l);
    s += c.data.toString('latin1', at, at + l) + '.';
    at += l;
  }
  c.line.text += s;
  return at;
}

const RR_CODES: Record<number, string> = { 0: 'command', 1: 'result', 255: 'sequence number reset' };
const RR_MATCH_OPS: Record<number, string> = { 1: 'add', 2: 'change', 3: 'setglobal' };

/** tcpdump's icmp6_rrenum_print: the header, the match prefix and each use prefix. */
function printRouterRenumbering(c: PrintContext, at: number): void {
  const line = c.line;
  const v = c.opts.verbose;
  const code = u8(c, at + 1);
  line.text += `, ${RR_CODES[code] ?? `code-#${code}`}, seq=${u32(c, at + 4)}`;
  if (v) {
    const f = u8(c, at + 9);
    line.text += '[';
    if (f) line.text += `${f & 0x80 ? 'T' : ''}${f & 0x40 ? 'R' : ''}${f & 0x20 ? 'A' : ''}${f & 0x10 ? 'S' : ''}${f & 0x08 ? 'P' : ''},`;
    line.text += `seg=${u8(c, at + 8)},maxdelay=${u16(c, at + 10)}`;
    const rsvd = u32(c, at + 12);
    if (rsvd) line.text += `rsvd=0x${rsvd.toString(16)}`;
    line.text += ']';
  }
  if (code !== 0) return;
  const sep = v > 1 ? '\n\t' : ' ';
  const match = at + 16;
  check(c, match + 8, 16);
  const op = u8(c, match);
  line.text += `${sep}match(${RR_MATCH_OPS[op] ?? `#${op}`}`;
  if (v) line.text += `,ord=${u8(c, match + 2)},min=${u8(c, match + 4)},max=${u8(c, match + 5)}`;
  line.text += `,${c.ipv6(match + 8)}/${u8(c, match + 3)})`;
  let n = u8(c, match + 1) - 3;
  if (n % 4) throw TRUNCATED_SOFT;
  n /= 4;
  let use = match + 24;
  while (n-- > 0) {
    check(c, use + 16, 16);
    line.text += `${sep}use(`;
    const uf = u8(c, use + 12);
    if (uf) line.text += `${uf & 0x80 ? 'V' : ''}${uf & 0x40 ? 'P' : ''},`;
    if (v) {
      const vl = u32(c, use + 4);
      const pl = u32(c, use + 8);
      line.text += `mask=0x${u8(c, use + 2).toString(16)},raflags=0x${u8(c, use + 3).toString(16)},`;
      line.text += vl === 0xffffffff ? 'vltime=infty,' : `vltime=${vl},`;
      line.text += pl === 0xffffffff ? 'pltime=infty,' : `pltime=${pl},`;
    }
    line.text += `${c.ipv6(use + 16)}/${u8(c, use)}/${u8(c, use + 1)})`;
    use += 32;
  }
}

/** A short icmp6_nodeinfo_print: the query/reply kind. */
function printNodeInfo(c: PrintContext, at: number, length: number): void {
  void length;
  const type = u8(c, at);
  const qtype = u16(c, at + 4);
  const names: Record<number, string> = { 0: 'noop', 1: 'supported qtypes', 2: 'DNS name', 3: 'node addresses', 4: 'IPv4 node addresses' };
  c.line.text += type === ICMP6_NI_QUERY ? ` who-are-you request, ${names[qtype] ?? `unknown qtype ${qtype}`}` : ` who-are-you reply, ${names[qtype] ?? `unknown qtype ${qtype}`}`;
}
