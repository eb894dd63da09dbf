/** Ethernet and 802.1Q/QinQ tags as tcpdump 4.99.3 prints them (print-ether.c ether_common_print, ethertype_print). */
import {
  ETH_HEADER_LEN, ETH_MAX_LENGTH_FIELD, ETH_SRC, ETH_TYPE, ETHERTYPE_ARP, ETHERTYPE_IPV4, ETHERTYPE_IPV6,
  ETHERTYPE_MS_NLB_HEARTBEAT, ETHERTYPE_NAMES, ETHERTYPE_REVARP, isVlanTpid,
} from '../wire/ethernet.js';
import { VLAN_TAG_LEN, vlanTciString } from '../wire/vlan.js';
import { u16, type PrintContext } from './context.js';
import { printArp } from './arp.js';
import { printIp } from './ip.js';
import { printIp6 } from './ip6.js';
import { TRUNCATED, TRUNCATED_SOFT } from './line.js';
import { printLlc } from './llc.js';

/** tcpdump's ether_type_print: `ethertype IPv4 (0x0800)`, or the bare name under -q. */
export function etherTypeText(c: PrintContext, type: number): string {
  const name = ETHERTYPE_NAMES.get(type);
  if (!c.opts.quiet) return `ethertype ${name ?? 'Unknown'} (0x${type.toString(16).padStart(4, '0')})`;
  return name ?? `Unknown Ethertype (0x${type.toString(16).padStart(4, '0')})`;
}

/**
 * Prints what follows an EtherType (tcpdump's ethertype_print); returns false for a type it does not
 * decode, so the caller prints the raw bytes.
 */
export function printEthertype(c: PrintContext, type: number, at: number, length: number, caplen: number): boolean {
  switch (type) {
    case ETHERTYPE_IPV4:
      printIp(c, at, length);
      return true;
    case ETHERTYPE_IPV6:
      printIp6(c, at, length);
      return true;
    case ETHERTYPE_ARP:
    case ETHERTYPE_REVARP:
      printArp(c, at, length, caplen);
      return true;
    case ETHERTYPE_MS_NLB_HEARTBEAT:
      printMsNlb(c, at);
      return true;
    default:
      return false;
  }
}

function addressesText(c: PrintContext, at: number): string {
  return `${c.mac(at + ETH_SRC)} > ${c.mac(at)}, `;
}

/** tcpdump's msnlb_print: Microsoft Network Load Balancing heartbeats. */
function printMsNlb(c: PrintContext, at: number): void {
  c.line.protocol = 'msnlb';
  c.line.text += 'MS NLB heartbeat';
  const d = c.data;
  if (at + 12 > c.end) throw TRUNCATED;
  const prio = (d[at + 8]! | (d[at + 9]! << 8) | (d[at + 10]! << 16) | (d[at + 11]! << 24)) >>> 0;
  c.line.text += `, host priority: ${prio}`;
  c.line.text += `, cluster IP: ${c.ipv4(at + 12)}`;
  c.line.text += `, host IP: ${c.ipv4(at + 16)}`;
}

/** Prints an Ethernet frame at `at` of wire length `length`. */
export function printEthernet(c: PrintContext, at: number, length: number): void {
  const line = c.line;
  line.protocol = 'ether';
  let caplen = c.end - at;
  const origLength = length;
  if (length < caplen) {
    line.text += `[length ${length} < caplen ${caplen}] (invalid)`;
    c.linkHeaderLen = length;
    return;
  }
  if (caplen < ETH_HEADER_LEN) {
    c.linkHeaderLen = caplen;
    throw TRUNCATED_SOFT;
  }
  const e = c.opts.linkHeader;
  if (e) line.text += addressesText(c, at);
  let p = at + ETH_TYPE;
  let hdrlen = ETH_TYPE;
  length -= ETH_TYPE;
  caplen -= ETH_TYPE;
  let type = u16(c, p);
  p += 2;
  length -= 2;
  caplen -= 2;
  hdrlen += 2;
  let printedLength = false;
  while (isVlanTpid(type)) {
    if (caplen < VLAN_TAG_LEN) {
      line.protocol = 'vlan';
      c.linkHeaderLen = hdrlen + caplen;
      throw TRUNCATED_SOFT;
    }
    if (length < VLAN_TAG_LEN) {
      line.protocol = 'vlan';
      line.text += ` [length ${length} < 4] (invalid)`;
      c.linkHeaderLen = hdrlen + length;
      return;
    }
    if (e) {
      line.text += etherTypeText(c, type);
      if (!printedLength) {
        printedLength = true;
        line.text += `, length ${origLength}: `;
      } else line.text += ', ';
      line.text += `${vlanTciString(u16(c, p))}, `;
    }
    type = u16(c, p + 2);
    p += 4;
    length -= 4;
    caplen -= 4;
    hdrlen += 4;
  }
  c.linkHeaderLen = hdrlen;
  if (type <= ETH_MAX_LENGTH_FIELD) {
    // An 802.3 length: the payload is LLC, cut to that length.
    length = type;
    if (caplen > length) {
      caplen = length;
      if (p + length < c.end) c.end = p + length;
    }
    if (e) {
      line.text += '802.3';
      if (!printedLength) line.text += `, length ${length}: `;
    }
    const llcLen = printLlc(c, p, length, caplen);
    if (llcLen < 0) c.defaultPrint(p, caplen);
    c.linkHeaderLen = hdrlen + Math.abs(llcLen);
    return;
  }
  if (e) {
    line.text += etherTypeText(c, type);
    line.text += !printedLength ? `, length ${origLength}: ` : ', ';
  }
  if (!printEthertype(c, type, p, length, caplen)) {
    if (!e) line.text += `${addressesText(c, at)}${etherTypeText(c, type)}, length ${origLength}: `;
    c.defaultPrint(p, caplen);
  }
}
