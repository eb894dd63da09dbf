/**
 * UDP as tcpdump 4.99.3 prints it (print-udp.c udp_print): length checks, -v checksums and the port
 * dispatch to DNS/mDNS and NTP.
 */
import { checksumShouldBe, foldComplement, ipv4PseudoSum, ipv6PseudoSum, sumBytes } from '../wire/checksum.js';
import { IPPROTO_UDP } from '../wire/ipv4.js';
import { IPV6_NEXT_HEADER } from '../wire/ipv6.js';
import { UDP_CHECKSUM, UDP_HEADER_LEN, UDP_LENGTH } from '../wire/udp.js';
import { has, type PrintContext } from './context.js';
import { TRUNCATED_SOFT } from './line.js';
import { ip6ChecksumDestination } from './ip6.js';
import { udpApplicationPrinter } from './udp-apps.js';

function addresses(c: PrintContext, ipAt: number, v6: boolean, sport: number, dport: number): void {
  const d = c.data;
  if (v6) {
    if (d[ipAt + IPV6_NEXT_HEADER] === IPPROTO_UDP) {
      c.line.text += sport < 0 ? `${c.ipv6(ipAt + 8)} > ${c.ipv6(ipAt + 24)}: ` : `${c.ipv6(ipAt + 8)}.${sport} > ${c.ipv6(ipAt + 24)}.${dport}: `;
    } else if (sport >= 0) c.line.text += `${sport} > ${dport}: `;
  } else {
    if (d[ipAt + 9] === IPPROTO_UDP) {
      c.line.text += sport < 0 ? `${c.ipv4(ipAt + 12)} > ${c.ipv4(ipAt + 16)}: ` : `${c.ipv4(ipAt + 12)}.${sport} > ${c.ipv4(ipAt + 16)}.${dport}: `;
    } else if (sport >= 0) c.line.text += `${sport} > ${dport}: `;
  }
}

/** Prints a UDP datagram at `at`; `length` is the IP payload length. */
export function printUdp(c: PrintContext, at: number, length: number, ipAt: number, ipVersion: 4 | 6, fragmented: boolean): void {
  const line = c.line;
  line.protocol = 'udp';
  const v6 = ipVersion === 6;
  const d = c.data;
  if (at + 4 > c.end) {
    addresses(c, ipAt, v6, -1, -1);
    throw TRUNCATED_SOFT;
  }
  const sport = (d[at]! << 8) | d[at + 1]!;
  const dport = (d[at + 2]! << 8) | d[at + 3]!;
  if (length < UDP_HEADER_LEN) {
    addresses(c, ipAt, v6, sport, dport);
    line.text += `truncated-udp ${length}`;
    return;
  }
  if (at + 6 > c.end) {
    addresses(c, ipAt, v6, sport, dport);
    throw TRUNCATED_SOFT;
  }
  let ulen = (d[at + UDP_LENGTH]! << 8) | d[at + UDP_LENGTH + 1]!;
  if (ulen === 0 && length > 65535) ulen = length;
  if (ulen < UDP_HEADER_LEN) {
    addresses(c, ipAt, v6, sport, dport);
    line.text += `truncated-udplength ${ulen}`;
    return;
  }
  ulen -= UDP_HEADER_LEN;
  length -= UDP_HEADER_LEN;
  if (ulen < length) length = ulen;
  const cp = at + UDP_HEADER_LEN;
  if (cp > c.end) {
    addresses(c, ipAt, v6, sport, dport);
    throw TRUNCATED_SOFT;
  }
  addresses(c, ipAt, v6, sport, dport);
  const opts = c.opts;
  if (opts.verbose && !fragmented) {
    if (!v6 && opts.verbose > 1) {
      if (at + 8 > c.end) throw TRUNCATED_SOFT;
      const field = (d[at + UDP_CHECKSUM]! << 8) | d[at + UDP_CHECKSUM + 1]!;
      if (field === 0) line.text += '[no cksum] ';
      else if (has(c, cp, length)) {
        const sum = foldComplement(sumBytes(d, at, length + 8, ipv4PseudoSum(d, ipAt, IPPROTO_UDP, length + 8)));
        line.text += sum !== 0 ? `[bad udp cksum 0x${hex4(field)} -> 0x${hex4(checksumShouldBe(field, sum))}!] ` : '[udp sum ok] ';
      }
    } else if (v6) {
      if (has(c, cp, length)) {
        const sum = foldComplement(sumBytes(d, at, length + 8, ipv6PseudoSum(d, ipAt, IPPROTO_UDP, length + 8, ip6ChecksumDestination(c, ipAt))));
        const field = (d[at + UDP_CHECKSUM]! << 8) | d[at + UDP_CHECKSUM + 1]!;
        line.text += sum !== 0 ? `[bad udp cksum 0x${hex4(field)} -> 0x${hex4(checksumShouldBe(field, sum))}!] ` : '[udp sum ok] ';
      }
    }
  }
  if (!opts.quiet) {
    const printer = udpApplicationPrinter(sport, dport);
    if (printer !== null) {
      printer(line, d, cp, length, c.end, opts);
      return;
    }
  }
  if (ulen > length && !fragmented) line.text += `UDP, bad length ${ulen} > ${length}`;
  else line.text += `UDP, length ${ulen}`;
}

function hex4(v: number): string {
  return v.toString(16).padStart(4, '0');
}
