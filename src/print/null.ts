/** BSD loopback (NULL and LOOP) and raw IP link types as tcpdump 4.99.3 prints them (print-null.c, print-raw.c). */
import { nameOf } from '../wire/names.js';
import {
  BSD_AF_INET, BSD_AF_INET6_BSD, BSD_AF_INET6_DARWIN, BSD_AF_INET6_FREEBSD, BSD_AF_NAMES, NULL_HEADER_LEN,
} from '../wire/null.js';
import { u8, type PrintContext } from './context.js';
import { printIp } from './ip.js';
import { printIp6 } from './ip6.js';
import { TRUNCATED_SOFT } from './line.js';

function nullHeaderText(c: PrintContext, family: number, length: number): string {
  const s = !c.opts.quiet ? `AF ${nameOf(BSD_AF_NAMES, family, 'Unknown')} (${family})` : nameOf(BSD_AF_NAMES, family, 'Unknown AF %u');
  return `${s}, length ${length}: `;
}

/** Prints a NULL (host byte order family) or LOOP (network order) packet. */
export function printNull(c: PrintContext, at: number, length: number, networkOrder: boolean): void {
  c.line.protocol = networkOrder ? 'loop' : 'null';
  const caplen = c.end - at;
  if (caplen < NULL_HEADER_LEN) {
    c.linkHeaderLen = caplen;
    throw TRUNCATED_SOFT;
  }
  const d = c.data;
  let family: number;
  if (networkOrder) family = ((d[at]! << 24) | (d[at + 1]! << 16) | (d[at + 2]! << 8) | d[at + 3]!) >>> 0;
  else {
    // Host byte order of the capturing machine: read little-endian, and swap if that looks wrong.
    family = ((d[at + 3]! << 24) | (d[at + 2]! << 16) | (d[at + 1]! << 8) | d[at]!) >>> 0;
    if (family & 0xffff0000) family = ((d[at]! << 24) | (d[at + 1]! << 16) | (d[at + 2]! << 8) | d[at + 3]!) >>> 0;
  }
  if (c.opts.linkHeader) c.line.text += nullHeaderText(c, family, length);
  c.linkHeaderLen = NULL_HEADER_LEN;
  const p = at + NULL_HEADER_LEN;
  switch (family) {
    case BSD_AF_INET:
      printIp(c, p, length - NULL_HEADER_LEN);
      return;
    case BSD_AF_INET6_BSD:
    case BSD_AF_INET6_FREEBSD:
    case BSD_AF_INET6_DARWIN:
      printIp6(c, p, length - NULL_HEADER_LEN);
      return;
    default:
      if (!c.opts.linkHeader) c.line.text += nullHeaderText(c, family, length);
      c.defaultPrint(p, caplen - NULL_HEADER_LEN);
  }
}

/** Prints a raw IP packet (RAW, IPV4, IPV6 link types): `ip: ` under -e, then IPv4 or IPv6 by version. */
export function printRaw(c: PrintContext, at: number, length: number): void {
  c.linkHeaderLen = 0;
  if (c.opts.linkHeader) c.line.text += 'ip: ';
  c.line.protocol = 'ipn';
  if (length < 1) {
    c.line.text += `truncated-ip ${length}`;
    return;
  }
  const v = u8(c, at) & 0xf0;
  if (v === 0x40) printIp(c, at, length);
  else if (v === 0x60) printIp6(c, at, length);
  else c.line.text += `unknown ip ${v >> 4}`;
}
