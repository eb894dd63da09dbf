/**
 * IPv6 and its extension headers as tcpdump 4.99.3 prints them (print-ip6.c ip6_print, print-ip6opts.c,
 * print-frag6.c, print-rt6.c).
 */
import {
  IPPROTO_DCCP, IPPROTO_DSTOPTS, IPPROTO_FRAGMENT, IPPROTO_HOPOPTS, IPPROTO_MOBILITY, IPPROTO_MOBILITY_OLD,
  IPPROTO_NAMES, IPPROTO_ROUTING, IPPROTO_SCTP, IPPROTO_TCP, IPPROTO_UDP,
} from '../wire/ipv4.js';
import {
  FRAG6_IDENT, FRAG6_LEN, FRAG6_OFF_MASK, FRAG6_OFFLG, IP6OPT_HOME_ADDRESS, IP6OPT_HOMEADDR_MINLEN, IP6OPT_JUMBO,
  IP6OPT_JUMBO_LEN, IP6OPT_MINLEN, IP6OPT_PAD1, IP6OPT_PADN, IP6OPT_ROUTER_ALERT, IP6OPT_RTALERT_LEN, IPV6_DST,
  IPV6_HEADER_LEN, IPV6_HOP_LIMIT, IPV6_NEXT_HEADER, IPV6_PAYLOAD_LEN, IPV6_SRC, RT6_ADDRS, RT6_RESERVED,
  RT6_SEGLEFT, RT6_TYPE,
} from '../wire/ipv6.js';
import { nameOf } from '../wire/names.js';
import { check, u16, u32, u8, type PrintContext } from './context.js';
import { TRUNCATED_SOFT } from './line.js';
import { ipDemux } from './ip.js';

/** Jumbo payload state shared between ip6 and its hop-by-hop options. */
class JumboState {
  found = false;
  payloadLen = 0;
}
const jumbo = new JumboState();

/** Prints an IPv6 datagram at `at`; `length` is what the link layer says remains. */
export function printIp6(c: PrintContext, at: number, length: number): void {
  const line = c.line;
  line.protocol = 'ip6';
  check(c, at, IPV6_HEADER_LEN);
  if (!c.opts.linkHeader) line.text += 'IP6 ';
  if (length < IPV6_HEADER_LEN) {
    line.text += `truncated-ip6 ${length}`;
    return;
  }
  const version = c.data[at]! >> 4;
  if (version !== 6) {
    line.text += `version error: ${version} != 6`;
    return;
  }
  let payloadLen = u16(c, at + IPV6_PAYLOAD_LEN);
  let len: number;
  if (payloadLen !== 0) {
    len = payloadLen + IPV6_HEADER_LEN;
    if (length < len) line.text += `truncated-ip6 - ${len - length} bytes missing!`;
  } else len = length + IPV6_HEADER_LEN;
  const savedEnd = c.end;
  const limit = at + Math.min(length, len);
  if (limit < c.end) c.end = limit;

  let nh = u8(c, at + IPV6_NEXT_HEADER);
  if (c.opts.verbose) {
    const flow = u32(c, at);
    let s = '(';
    if (flow & 0x0ff00000) s += `class 0x${((flow & 0x0ff00000) >>> 20).toString(16).padStart(2, '0')}, `;
    if (flow & 0x000fffff) s += `flowlabel 0x${(flow & 0x000fffff).toString(16).padStart(5, '0')}, `;
    s += `hlim ${u8(c, at + IPV6_HOP_LIMIT)}, next-header ${nameOf(IPPROTO_NAMES, nh, 'unknown')} (${nh}) payload length: ${payloadLen}) `;
    line.text += s;
  }

  let cp = at;
  let advance = IPV6_HEADER_LEN;
  let totalAdvance = 0;
  let fragmented = false;
  let foundHbh = false;
  let previous = 255;
  jumbo.found = false;
  jumbo.payloadLen = payloadLen;
  while (cp < c.end && advance > 0) {
    if (len < advance) {
      throw TRUNCATED_SOFT;
    }
    cp += advance;
    len -= advance;
    totalAdvance += advance;
    if (cp === at + IPV6_HEADER_LEN && nh !== IPPROTO_TCP && nh !== IPPROTO_UDP && nh !== IPPROTO_DCCP && nh !== IPPROTO_SCTP) {
      line.text += `${c.ipv6(at + IPV6_SRC)} > ${c.ipv6(at + IPV6_DST)}: `;
    }
    switch (nh) {
      case IPPROTO_HOPOPTS:
        if (foundHbh) {
          line.text += '[The Hop-by-Hop Options header was already found] (invalid)';
          c.end = savedEnd;
          return;
        }
        if (previous !== 255) {
          line.text += "[The Hop-by-Hop Options header don't follow the IPv6 header] (invalid)";
          c.end = savedEnd;
          return;
        }
        advance = printHopByHop(c, cp);
        payloadLen = jumbo.payloadLen;
        if (payloadLen === 0 && !jumbo.found) {
          line.text += '[No valid Jumbo Payload Hop-by-Hop option found] (invalid)';
          c.end = savedEnd;
          return;
        }
        foundHbh = true;
        nh = u8(c, cp);
        break;
      case IPPROTO_DSTOPTS:
        advance = printDestOptions(c, cp);
        nh = u8(c, cp);
        break;
      case IPPROTO_FRAGMENT:
        advance = printFrag6(c, cp, at);
        if (advance < 0 || c.end <= cp + advance) {
          c.end = savedEnd;
          return;
        }
        nh = u8(c, cp);
        fragmented = true;
        break;
      case IPPROTO_MOBILITY_OLD:
      case IPPROTO_MOBILITY:
        printMobility(c, cp);
        c.end = savedEnd;
        return;
      case IPPROTO_ROUTING:
        u8(c, cp);
        advance = printRt6(c, cp);
        if (advance < 0) {
          c.end = savedEnd;
          return;
        }
        nh = u8(c, cp);
        break;
      default:
        if (jumbo.found) {
          len = jumbo.payloadLen + IPV6_HEADER_LEN;
          if (len < totalAdvance) throw TRUNCATED_SOFT;
          if (length < len) line.text += `truncated-ip6 - ${len - length} bytes missing!`;
          c.end = Math.min(savedEnd, at + len);
          len -= totalAdvance;
        }
        ipDemux(c, cp, len, 6, fragmented, nh, at);
        c.end = savedEnd;
        return;
    }
    line.protocol = 'ip6';
    previous = nh;
  }
  c.end = savedEnd;
}

function printHopByHop(c: PrintContext, at: number): number {
  c.line.protocol = 'hbhopt';
  const hbhLen = (u8(c, at + 1) + 1) << 3;
  check(c, at, hbhLen);
  c.line.text += 'HBH ';
  if (!processOptions(c, at + 2, hbhLen - 2, true)) throw TRUNCATED_SOFT;
  return hbhLen;
}

function printDestOptions(c: PrintContext, at: number): number {
  c.line.protocol = 'dstopt';
  const dstLen = (u8(c, at + 1) + 1) << 3;
  check(c, at, dstLen);
  c.line.text += 'DSTOPT ';
  if (c.opts.verbose && !processOptions(c, at + 2, dstLen - 2, false)) throw TRUNCATED_SOFT;
  return dstLen;
}

/** tcpdump's ip6_opt_process: prints options at -v, notes a valid jumbo payload; false on truncation. */
function processOptions(c: PrintContext, bp: number, len: number, hopByHop: boolean): boolean {
  const v = c.opts.verbose;
  const line = c.line;
  let optlen = 0;
  let foundJumbo = false;
  if (len === 0) return true;
  for (let i = 0; i < len; i += optlen) {
    const type = u8(c, bp + i);
    if (type === IP6OPT_PAD1) optlen = 1;
    else {
      if (i + 1 < len) optlen = u8(c, bp + i + 1) + 2;
      else return false;
    }
    if (i + optlen > len) return false;
    switch (type) {
      case IP6OPT_PAD1:
        if (v) line.text += '(pad1)';
        break;
      case IP6OPT_PADN:
        if (len - i < IP6OPT_MINLEN) {
          line.text += '(padn: trunc)';
          return false;
        }
        if (v) line.text += '(padn)';
        break;
      case IP6OPT_ROUTER_ALERT:
        if (len - i < IP6OPT_RTALERT_LEN) {
          line.text += '(rtalert: trunc)';
          return false;
        }
        if (u8(c, bp + i + 1) !== IP6OPT_RTALERT_LEN - 2) {
          line.text += `(rtalert: invalid len ${u8(c, bp + i + 1)})`;
          return false;
        }
        if (v) line.text += `(rtalert: 0x${u16(c, bp + i + 2).toString(16).padStart(4, '0')}) `;
        break;
      case IP6OPT_JUMBO: {
        if (len - i < IP6OPT_JUMBO_LEN) {
          line.text += '(jumbo: trunc)';
          return false;
        }
        if (u8(c, bp + i + 1) !== IP6OPT_JUMBO_LEN - 2) {
          line.text += `(jumbo: invalid len ${u8(c, bp + i + 1)})`;
          return false;
        }
        const jumbolen = u32(c, bp + i + 2);
        if (foundJumbo) {
          if (v) line.text += `(jumbo: ${jumbolen} - already seen) `;
        } else {
          foundJumbo = true;
          if (!hopByHop) {
            if (v) line.text += `(jumbo: ${jumbolen} - not a hop-by-hop option) `;
          } else if (jumbo.payloadLen !== 0) {
            if (v) line.text += `(jumbo: ${jumbolen} - payload len != 0) `;
          } else if (jumbolen < 65536) {
            if (v) line.text += `(jumbo: ${jumbolen} - < 65536) `;
          } else {
            jumbo.found = true;
            jumbo.payloadLen = jumbolen;
            if (v) line.text += `(jumbo: ${jumbolen}) `;
          }
        }
        break;
      }
      case IP6OPT_HOME_ADDRESS:
        if (len - i < IP6OPT_HOMEADDR_MINLEN) {
          line.text += '(homeaddr: trunc)';
          return false;
        }
        if (u8(c, bp + i + 1) < IP6OPT_HOMEADDR_MINLEN - 2) {
          line.text += `(homeaddr: invalid len ${u8(c, bp + i + 1)})`;
          return false;
        }
        if (v) {
          line.text += `(homeaddr: ${c.ipv6(bp + i + 2)}`;
          if (u8(c, bp + i + 1) > IP6OPT_HOMEADDR_MINLEN - 2) {
            if (!printSubOptions(c, bp + i + IP6OPT_HOMEADDR_MINLEN, optlen - IP6OPT_HOMEADDR_MINLEN)) return false;
          }
          line.text += ')';
        }
        break;
      default:
        if (len - i < IP6OPT_MINLEN) {
          line.text += `(type ${type}: trunc)`;
          return false;
        }
        if (v) line.text += `(opt_type 0x${type.toString(16).padStart(2, '0')}: len=${u8(c, bp + i + 1)})`;
    }
  }
  if (v) line.text += ' ';
  return true;
}

/** tcpdump's ip6_sopt_print (mobility sub-options inside a home address option). */
function printSubOptions(c: PrintContext, bp: number, len: number): boolean {
  let optlen = 0;
  for (let i = 0; i < len; i += optlen) {
    const type = u8(c, bp + i);
    if (type === IP6OPT_PAD1) optlen = 1;
    else {
      if (i + 1 < len) optlen = u8(c, bp + i + 1) + 2;
      else return false;
    }
    if (i + optlen > len) return false;
    if (type === IP6OPT_PAD1) c.line.text += ', pad1';
    else if (type === IP6OPT_PADN) {
      if (len - i < IP6OPT_MINLEN) {
        c.line.text += ', padn: trunc';
        return false;
      }
      c.line.text += ', padn';
    } else {
      if (len - i < IP6OPT_MINLEN) {
        c.line.text += `, sopt_type ${type}: trunc)`;
        return false;
      }
      c.line.text += `, sopt_type 0x${type.toString(16).padStart(2, '0')}: len=${u8(c, bp + i + 1)}`;
    }
  }
  return true;
}

function printFrag6(c: PrintContext, at: number, ip6At: number): number {
  c.line.protocol = 'frag6';
  check(c, at, FRAG6_LEN);
  const offlg = u16(c, at + FRAG6_OFFLG);
  const size = (IPV6_HEADER_LEN + u16(c, ip6At + IPV6_PAYLOAD_LEN) - (at - ip6At) - FRAG6_LEN) >>> 0;
  if (c.opts.verbose) {
    c.line.text += `frag (0x${u32(c, at + FRAG6_IDENT).toString(16).padStart(8, '0')}:${offlg & FRAG6_OFF_MASK}|${size})`;
  } else c.line.text += `frag (${offlg & FRAG6_OFF_MASK}|${size})`;
  if ((offlg & FRAG6_OFF_MASK) !== 0) return -1;
  c.line.text += ' ';
  return FRAG6_LEN;
}

function printRt6(c: PrintContext, at: number): number {
  c.line.protocol = 'rt6';
  let len = u8(c, at + 1);
  const type = u8(c, at + RT6_TYPE);
  c.line.text += `RT6 (len=${len}, type=${type}${type === 0 ? ' [Deprecated]' : ''}, segleft=${u8(c, at + RT6_SEGLEFT)}`;
  switch (type) {
    case 0:
    case 2: {
      const rsv = u32(c, at + RT6_RESERVED);
      if (rsv || c.opts.verbose) c.line.text += `, rsv=0x${rsv.toString(16)}`;
      if (len % 2 === 1) {
        c.line.text += ` (invalid length ${len}) (invalid)`;
        return -1;
      }
      len >>= 1;
      let p = at + RT6_ADDRS;
      for (let i = 0; i < len; i++) {
        c.line.text += `, [${i}]${c.ipv6(p)}`;
        p += 16;
      }
      c.line.text += ') ';
      return (u8(c, at + 1) + 1) << 3;
    }
    case 4: {
      const last = u8(c, at + 4);
      c.line.text += `, last-entry=${last}, flags=0x${u8(c, at + 5).toString(16)}, tag=${u16(c, at + 6).toString(16)}`;
      let p = at + 8;
      for (let i = 0; i < last + 1; i++) {
        c.line.text += `, [${i}]${c.ipv6(p)}`;
        p += 16;
      }
      c.line.text += ') ';
      return (u8(c, at + 1) + 1) << 3;
    }
    default:
      c.line.text += ' (unknown type) (invalid)';
      return -1;
  }
}

const MH_TYPE_NAMES = [
  'Binding Refresh Request', 'Home Test Init', 'Care-of Test Init', 'Home Test', 'Care-of Test', 'Binding Update',
  'Binding Acknowledgement', 'Binding Error',
];

/** A minimal mobility_print: the message type name, as tcpdump's non-verbose line starts. */
function printMobility(c: PrintContext, at: number): void {
  c.line.protocol = 'mobility';
  const len = (u8(c, at + 1) + 1) << 3;
  check(c, at, len);
  const type = u8(c, at + 2);
  c.line.text += `mobility: ${MH_TYPE_NAMES[type] ?? `type-#${type}`}`;
}

/**
 * Returns the offset of the destination address the transport checksum covers (tcpdump's ip6_finddst):
 * the last address of a type 0/2 routing header when there is one, else the header's destination.
 */
export function ip6ChecksumDestination(c: PrintContext, ip6At: number): number {
  let nh = u8(c, ip6At + IPV6_NEXT_HEADER);
  let cp = ip6At + IPV6_HEADER_LEN;
  let dst = ip6At + IPV6_DST;
  while (cp < c.end) {
    switch (nh) {
      case IPPROTO_HOPOPTS:
      case IPPROTO_DSTOPTS: {
        const advance = (u8(c, cp + 1) + 1) << 3;
        nh = u8(c, cp);
        cp += advance;
        break;
      }
      case IPPROTO_FRAGMENT:
        nh = u8(c, cp);
        cp += FRAG6_LEN;
        break;
      case IPPROTO_ROUTING: {
        const type = u8(c, cp + RT6_TYPE);
        if (type === 0 || type === 2) {
          const n = u8(c, cp + 1) >> 1;
          if (n > 0) {
            dst = cp + RT6_ADDRS + (n - 1) * 16;
            check(c, dst, 16);
          }
        }
        return dst;
      }
      default:
        return dst;
    }
  }
  return dst;
}
