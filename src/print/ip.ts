/**
 * IPv4 as tcpdump 4.99.3 prints it (print-ip.c ip_print, ip_optprint, ip_demux_print).
 */
import {
  IP_FRAG_BITS, IP_MF, IP_OFFMASK, IPOPT_EOL, IPOPT_LSRR, IPOPT_NAMES, IPOPT_NOP, IPOPT_RA, IPOPT_RR, IPOPT_SSRR,
  IPOPT_TS, IPOPT_TS_PRESPEC, IPOPT_TS_TSANDADDR, IPOPT_TS_TSONLY, IPPROTO_DCCP, IPPROTO_ESP, IPPROTO_ICMP, IPPROTO_ICMPV6,
  IPPROTO_IPIP, IPPROTO_IPV6, IPPROTO_NAMES, IPPROTO_NONE, IPPROTO_SCTP, IPPROTO_TCP, IPPROTO_UDP, IPV4_DST,
  IPV4_FRAG, IPV4_ID, IPV4_MIN_HEADER_LEN, IPV4_PROTO, IPV4_SRC, IPV4_TOS, IPV4_TOTAL_LEN, IPV4_TTL,
} from '../wire/ipv4.js';
import { IPPROTO_IGMP } from '../wire/ipv4.js';
import { bitNames, nameOf } from '../wire/names.js';
import { checksumShouldBe, foldComplement, sumBytes } from '../wire/checksum.js';
import { check, u16, u32, u8, type PrintContext } from './context.js';
import { TRUNCATED, TRUNCATED_SOFT } from './line.js';
import { printIcmp } from './icmp.js';
import { printIcmp6 } from './icmp6.js';
import { printIp6 } from './ip6.js';
import { printTcp } from './tcp.js';
import { printUdp } from './udp.js';
import { printIgmp } from './igmp.js';

/** Prints an IPv4 datagram at `at`; `length` is what the link layer says remains. */
export function printIp(c: PrintContext, at: number, length: number): void {
  const line = c.line;
  line.protocol = 'ip';
  const vhl = u8(c, at);
  const version = vhl >> 4;
  if (version !== 4) {
    line.text += version === 6 ? 'IP6, wrong link-layer encapsulation' : `IP${version}`;
    line.text += ' (invalid)';
    return;
  }
  if (!c.opts.linkHeader) line.text += 'IP ';
  check(c, at, IPV4_MIN_HEADER_LEN);
  if (length < IPV4_MIN_HEADER_LEN) {
    line.text += `truncated-ip ${length}`;
    return;
  }
  const hlen = (vhl & 0x0f) * 4;
  if (hlen < IPV4_MIN_HEADER_LEN) {
    line.text += `bad-hlen ${hlen}`;
    return;
  }
  let len = u16(c, at + IPV4_TOTAL_LEN);
  if (len > length) {
    // tcpdump 4.99.3 reports it but keeps the header's length for what follows (reads still stop at the
    // captured end).
    line.text += `truncated-ip - ${len - length} bytes missing! `;
  }
  if (len < hlen) {
    line.text += `bad-len ${len}`;
    return;
  }
  // tcpdump's nd_push_snaplen: nothing past the datagram (link padding) is read.
  const savedEnd = c.end;
  if (at + len < c.end) c.end = at + len;
  len -= hlen;
  const off = u16(c, at + IPV4_FRAG);
  const proto = u8(c, at + IPV4_PROTO);
  const d = c.data;

  let optionsTruncated = false;
  if (c.opts.verbose) {
    const tos = d[at + IPV4_TOS]!;
    let s = `(tos 0x${tos.toString(16)}`;
    switch (tos & 3) {
      case 1:
        s += ',ECT(1)';
        break;
      case 2:
        s += ',ECT(0)';
        break;
      case 3:
        s += ',CE';
        break;
    }
    const ttl = d[at + IPV4_TTL]!;
    if (ttl >= 1) s += `, ttl ${ttl}`;
    s +=
      `, id ${(d[at + IPV4_ID]! << 8) | d[at + IPV4_ID + 1]!}, offset ${(off & IP_OFFMASK) * 8}, flags [${bitNames(IP_FRAG_BITS, off, 'none', ', ')}]` +
      `, proto ${nameOf(IPPROTO_NAMES, proto, 'unknown')} (${proto}), length ${(d[at + 2]! << 8) | d[at + 3]!}`;
    line.text += s;
    if (hlen > IPV4_MIN_HEADER_LEN) {
      line.text += ', options (';
      if (!printIpOptions(c, at + IPV4_MIN_HEADER_LEN, hlen - IPV4_MIN_HEADER_LEN)) {
        line.text += ' [truncated-option]';
        optionsTruncated = true;
      }
      line.text += ')';
    }
    if (at + hlen <= c.end) {
      const sum = foldComplement(sumBytes(d, at, hlen));
      if (sum !== 0) {
        const field = (d[at + 10]! << 8) | d[at + 11]!;
        line.text += `, bad cksum ${field.toString(16)} (->${checksumShouldBe(field, sum).toString(16)})!`;
      }
    }
    line.text += ')\n    ';
    if (optionsTruncated) {
      line.text += `${c.ipv4(at + IPV4_SRC)} > ${c.ipv4(at + IPV4_DST)}: `;
      throw TRUNCATED_SOFT;
    }
  }

  if ((off & IP_OFFMASK) === 0) {
    if (proto !== IPPROTO_TCP && proto !== IPPROTO_UDP && proto !== IPPROTO_SCTP && proto !== IPPROTO_DCCP) {
      line.text += `${c.ipv4(at + IPV4_SRC)} > ${c.ipv4(at + IPV4_DST)}: `;
    }
    if (at + hlen > c.end) {
      line.text += ` [remaining caplen(${Math.max(0, c.end - at)}) < header length(${hlen})]`;
      throw TRUNCATED;
    }
    ipDemux(c, at + hlen, len, 4, (off & IP_MF) !== 0, proto, at);
  } else {
    line.text += `${c.ipv4(at + IPV4_SRC)} > ${c.ipv4(at + IPV4_DST)}: ip-proto-${proto}`;
  }
  c.end = savedEnd;
}

/**
 * Hands the payload of an IPv4 or IPv6 datagram to its protocol's printer (tcpdump's ip_demux_print).
 * `ipAt` is the start of the IP header the transport printers quote addresses from.
 */
export function ipDemux(c: PrintContext, at: number, length: number, ipVersion: 4 | 6, fragmented: boolean, proto: number, ipAt: number): void {
  switch (proto) {
    case IPPROTO_TCP:
      printTcp(c, at, length, ipAt, ipVersion, fragmented);
      return;
    case IPPROTO_UDP:
      printUdp(c, at, length, ipAt, ipVersion, fragmented);
      return;
    case IPPROTO_ICMP:
      if (ipVersion === 4) printIcmp(c, at, length, ipAt, fragmented);
      else c.line.text += '[ICMP requires IPv4] (invalid)';
      return;
    case IPPROTO_ICMPV6:
      if (ipVersion === 6) printIcmp6(c, at, length, ipAt, fragmented);
      else c.line.text += '[ICMPv6 requires IPv6] (invalid)';
      return;
    case IPPROTO_IGMP:
      printIgmp(c, at, length);
      return;
    case IPPROTO_IPIP:
      printIp(c, at, length);
      if (!c.opts.verbose) c.line.text += ' (ipip-proto-4)';
      return;
    case IPPROTO_IPV6:
      printIp6(c, at, length);
      return;
    case IPPROTO_NONE:
      c.line.text += 'no next header';
      return;
    case IPPROTO_ESP:
      // tcpdump's esp_print without secrets: the SPI and sequence number.
      c.line.protocol = 'esp';
      c.line.text += `ESP(spi=0x${u32(c, at).toString(16).padStart(8, '0')}`;
      c.line.text += `,seq=0x${u32(c, at + 4).toString(16)}), length ${length}`;
      return;
    default:
      c.line.text += ` ip-proto-${proto} ${length}`;
  }
}

/** Prints IPv4 options as tcpdump's ip_optprint; returns false where tcpdump reports a truncated option. */
function printIpOptions(c: PrintContext, at: number, length: number): boolean {
  let sep = '';
  let optLen = 0;
  for (; length > 0; at += optLen, length -= optLen) {
    c.line.text += sep;
    sep = ',';
    const code = u8(c, at);
    c.line.text += nameOf(IPOPT_NAMES, code, 'unknown %u');
    if (code === IPOPT_NOP || code === IPOPT_EOL) optLen = 1;
    else {
      optLen = u8(c, at + 1);
      if (optLen < 2) {
        c.line.text += ` [bad length ${optLen}]`;
        return true;
      }
    }
    if (optLen > length) {
      c.line.text += ` [bad length ${optLen}]`;
      return true;
    }
    if (at + optLen > c.end) return false;
    switch (code) {
      case IPOPT_EOL:
        return true;
      case IPOPT_TS:
        printIpTimestamps(c, at, optLen);
        break;
      case IPOPT_RR:
      case IPOPT_SSRR:
      case IPOPT_LSRR:
        printIpRoute(c, at, optLen);
        break;
      case IPOPT_RA:
        if (optLen < 4) {
          c.line.text += ` [bad length ${optLen}]`;
          break;
        }
        if (u16(c, at + 2) !== 0) c.line.text += ` value ${u16(c, at + 2)}`;
        break;
    }
  }
  return true;
}

function printIpRoute(c: PrintContext, at: number, length: number): void {
  if (length < 3) {
    c.line.text += ` [bad length ${length}]`;
    return;
  }
  if ((length + 1) & 3) c.line.text += ` [bad length ${length}]`;
  const rawPtr = u8(c, at + 2);
  const ptr = rawPtr - 1;
  if (ptr < 3 || (ptr + 1) & 3 || ptr > length + 1) c.line.text += ` [bad ptr ${rawPtr}]`;
  for (let len = 3; len < length; len += 4) {
    c.line.text += ` ${c.ipv4(at + len)}`;
    if (ptr > len) c.line.text += ',';
  }
}

function printIpTimestamps(c: PrintContext, at: number, length: number): void {
  if (length < 4) {
    c.line.text += `[bad length ${length}]`;
    return;
  }
  c.line.text += ' TS{';
  const flags = u8(c, at + 3);
  const hoplen = (flags & 0xf) !== IPOPT_TS_TSONLY ? 8 : 4;
  if ((length - 4) & (hoplen - 1)) c.line.text += `[bad length ${length}]`;
  const rawPtr = u8(c, at + 2);
  const ptr = rawPtr - 1;
  let len = 0;
  if (ptr < 4 || (ptr - 4) & (hoplen - 1) || ptr > length + 1) c.line.text += `[bad ptr ${rawPtr}]`;
  let ok = true;
  switch (flags & 0xf) {
    case IPOPT_TS_TSONLY:
      c.line.text += 'TSONLY';
      break;
    case IPOPT_TS_TSANDADDR:
      c.line.text += 'TS+ADDR';
      break;
    case IPOPT_TS_PRESPEC:
      c.line.text += 'PRESPEC';
      break;
    default:
      c.line.text += `[bad ts type ${flags & 0xf}]`;
      ok = false;
  }
  if (ok) {
    let type = ' ';
    for (len = 4; len < length; len += hoplen) {
      if (ptr === len) type = ' ^ ';
      c.line.text += `${type}${u32(c, at + len + hoplen - 4)}@${hoplen !== 8 ? '' : c.ipv4(at + len)}`;
      type = ' ';
    }
  }
  c.line.text += ptr === len ? ' ^ ' : '';
  if (flags >> 4) c.line.text += ` [${flags >> 4} hops not recorded]} `;
  else c.line.text += '}';
}
