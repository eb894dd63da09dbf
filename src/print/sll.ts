/** Linux cooked captures v1 and v2 as tcpdump 4.99.3 prints them (print-sll.c). */
import { ETH_MAX_LENGTH_FIELD, ETHERTYPE_8021Q, ETHERTYPE_NAMES } from '../wire/ethernet.js';
import { nameOf } from '../wire/names.js';
import {
  SLL_ADDR, SLL_HALEN, SLL_HEADER_LEN, SLL_P_802_2, SLL_P_802_3, SLL_PKTTYPE, SLL_PKTTYPE_NAMES, SLL_PROTOCOL,
} from '../wire/sll.js';
import { SLL2_ADDR, SLL2_HALEN, SLL2_HEADER_LEN, SLL2_IFINDEX, SLL2_PKTTYPE, SLL2_PROTOCOL, sll2InterfaceName } from '../wire/sll2.js';
import { vlanTciString } from '../wire/vlan.js';
import { u16, u32, u8, type PrintContext } from './context.js';
import { printEthertype } from './ethernet.js';
import { TRUNCATED_SOFT } from './line.js';
import { printLlc } from './llc.js';

function protocolText(c: PrintContext, type: number): string {
  if (c.opts.quiet) return '';
  if (type <= ETH_MAX_LENGTH_FIELD) {
    if (type === SLL_P_802_3) return '802.3';
    if (type === SLL_P_802_2) return '802.2';
    return `ethertype Unknown (0x${type.toString(16).padStart(4, '0')})`;
  }
  return `ethertype ${ETHERTYPE_NAMES.get(type) ?? 'Unknown'} (0x${type.toString(16).padStart(4, '0')})`;
}

function sllHeaderText(c: PrintContext, at: number, length: number): string {
  c.line.protocol = 'sll';
  let s = `${nameOf(SLL_PKTTYPE_NAMES, u16(c, at + SLL_PKTTYPE), '?').padStart(3)} `;
  if (u16(c, at + SLL_HALEN) === 6) s += `${c.mac(at + SLL_ADDR)} `;
  // Under -q tcpdump prints neither the protocol nor the length.
  if (c.opts.quiet) return s;
  return `${s}${protocolText(c, u16(c, at + SLL_PROTOCOL))}, length ${length}: `;
}

function sll2HeaderText(c: PrintContext, at: number, length: number): string {
  let s = `ifindex ${u32(c, at + SLL2_IFINDEX)} `;
  if (u8(c, at + SLL2_HALEN) === 6) s += `${c.mac(at + SLL2_ADDR)} `;
  if (c.opts.quiet) return s;
  return `${s}${protocolText(c, u16(c, at + SLL2_PROTOCOL))}, length ${length}: `;
}

/** The part both versions share once their header is printed: VLAN tags, then the protocol. */
function printCookedPayload(c: PrintContext, hdrAt: number, p: number, length: number, type: number, hdrlen: number, header: () => string): void {
  const line = c.line;
  let caplen = c.end - p;
  for (;;) {
    if (type <= ETH_MAX_LENGTH_FIELD) {
      c.linkHeaderLen = hdrlen;
      if (type === SLL_P_802_2) {
        if (printLlc(c, p, length, caplen) < 0) c.defaultPrint(p, caplen);
        return;
      }
      if (type === SLL_P_802_2 || type === SLL_P_802_3) {
        c.defaultPrint(p, caplen);
        return;
      }
      if (!c.opts.linkHeader) line.text += header();
      c.defaultPrint(p, caplen);
      return;
    }
    if (type === ETHERTYPE_8021Q) {
      if (caplen < 4) {
        line.protocol = 'vlan';
        c.linkHeaderLen = hdrlen + caplen;
        throw TRUNCATED_SOFT;
      }
      if (c.opts.linkHeader) line.text += `${vlanTciString(u16(c, p))}, `;
      type = u16(c, p + 2);
      if (type <= ETH_MAX_LENGTH_FIELD) type = SLL_P_802_2;
      if (!c.opts.quiet) line.text += `ethertype ${ETHERTYPE_NAMES.get(type) ?? 'Unknown'}, `;
      p += 4;
      length -= 4;
      caplen -= 4;
      hdrlen += 4;
      continue;
    }
    c.linkHeaderLen = hdrlen;
    if (!printEthertype(c, type, p, length, caplen)) {
      if (!c.opts.linkHeader) line.text += header();
      c.defaultPrint(p, caplen);
    }
    void hdrAt;
    return;
  }
}

/** Prints a LINUX_SLL packet at `at` of wire length `length`. */
export function printSll(c: PrintContext, at: number, length: number): void {
  c.line.protocol = 'sll';
  if (c.end - at < SLL_HEADER_LEN) {
    c.linkHeaderLen = c.end - at;
    throw TRUNCATED_SOFT;
  }
  if (c.opts.linkHeader) c.line.text += sllHeaderText(c, at, length);
  const type = u16(c, at + SLL_PROTOCOL);
  printCookedPayload(c, at, at + SLL_HEADER_LEN, length - SLL_HEADER_LEN, type, SLL_HEADER_LEN, () => sllHeaderText(c, at, length));
}

/** Prints a LINUX_SLL2 packet at `at` of wire length `length`. */
export function printSll2(c: PrintContext, at: number, length: number): void {
  c.line.protocol = 'sll2';
  if (c.end - at < SLL2_HEADER_LEN) {
    c.linkHeaderLen = c.end - at;
    throw TRUNCATED_SOFT;
  }
  const ifindex = u32(c, at + SLL2_IFINDEX);
  c.line.text += `${sll2InterfaceName(ifindex).padEnd(5)} ${nameOf(SLL_PKTTYPE_NAMES, u8(c, at + SLL2_PKTTYPE), '?').padEnd(3)} `;
  if (c.opts.linkHeader) c.line.text += sll2HeaderText(c, at, length);
  const type = u16(c, at + SLL2_PROTOCOL);
  printCookedPayload(c, at, at + SLL2_HEADER_LEN, length - SLL2_HEADER_LEN, type, SLL2_HEADER_LEN, () => sll2HeaderText(c, at, length));
}
