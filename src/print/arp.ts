/** ARP as tcpdump 4.99.3 prints it (print-arp.c arp_print). */
import {
  ARP_HLN, ARP_HRD, ARP_OP, ARP_PLN, ARP_PRO, ARPHRD_NAMES, ARPOP_INVREPLY, ARPOP_INVREQUEST, ARPOP_NAMES,
  ARPOP_REPLY, ARPOP_REQUEST, ARPOP_REVREPLY, ARPOP_REVREQUEST, arpSpa, arpTha, arpTpa, ARP_SHA,
} from '../wire/arp.js';
import { ETHERTYPE_IPV4, ETHERTYPE_NAMES } from '../wire/ethernet.js';
import { nameOf } from '../wire/names.js';
import { check, HEX2, u16, u8, type PrintContext } from './context.js';
import { TRUNCATED_SOFT } from './line.js';

const ETHERTYPE_TRAIL = 0x1000;

function linkAddr(c: PrintContext, at: number, len: number): string {
  check(c, at, len);
  let s = '';
  for (let i = 0; i < len; i++) s += (i ? ':' : '') + HEX2[c.data[at + i]!];
  return s;
}

function protoAddr(c: PrintContext, at: number, pro: number, pln: number): string {
  if (pro !== ETHERTYPE_IPV4 && pro !== ETHERTYPE_TRAIL) return '<wrong proto type>';
  if (pln !== 4) return '<wrong len>';
  return c.ipv4(at);
}

/** Prints an ARP packet at `at`; `length` is the link payload length, `caplen` what was captured of it. */
export function printArp(c: PrintContext, at: number, length: number, caplen: number): void {
  const line = c.line;
  line.protocol = 'arp';
  check(c, at, 8);
  const hrd = u16(c, at + ARP_HRD);
  const pro = u16(c, at + ARP_PRO);
  const hln = u8(c, at + ARP_HLN);
  const pln = u8(c, at + ARP_PLN);
  const op = u16(c, at + ARP_OP);
  const tpa = at + arpTpa(hln, pln);
  if (tpa + pln > c.end) throw TRUNCATED_SOFT;
  if (!c.opts.linkHeader) line.text += 'ARP, ';
  if (c.opts.verbose) {
    line.text += `${nameOf(ARPHRD_NAMES, hrd, 'Unknown Hardware (%u)')} (len ${hln}), ${nameOf(ETHERTYPE_NAMES, pro, 'Unknown Protocol (0x%04x)').replace('%04x', pro.toString(16).padStart(4, '0'))} (len ${pln}), `;
  }
  line.text += `${nameOf(ARPOP_NAMES, op, 'Unknown (%u)')} `;
  const sha = at + ARP_SHA;
  const spa = at + arpSpa(hln);
  const tha = at + arpTha(hln, pln);
  switch (op) {
    case ARPOP_REQUEST: {
      line.text += `who-has ${protoAddr(c, tpa, pro, pln)}`;
      let nonzero = false;
      for (let i = 0; i < hln; i++) if (c.data[tha + i] !== 0) nonzero = true;
      if (nonzero) line.text += ` (${linkAddr(c, tha, hln)})`;
      line.text += ` tell ${protoAddr(c, spa, pro, pln)}`;
      break;
    }
    case ARPOP_REPLY:
      line.text += `${protoAddr(c, spa, pro, pln)} is-at ${linkAddr(c, sha, hln)}`;
      break;
    case ARPOP_REVREQUEST:
    case ARPOP_INVREQUEST:
      line.text += `who-is ${linkAddr(c, tha, hln)} tell ${linkAddr(c, sha, hln)}`;
      break;
    case ARPOP_REVREPLY:
      line.text += `${linkAddr(c, tha, hln)} at ${protoAddr(c, tpa, pro, pln)}`;
      break;
    case ARPOP_INVREPLY:
      line.text += `${linkAddr(c, sha, hln)} at ${protoAddr(c, spa, pro, pln)}`;
      break;
    default:
      c.defaultPrint(at, caplen);
      return;
  }
  line.text += `, length ${length}`;
}
