/**
 * IEEE 802.2 LLC, SNAP and the spanning tree protocol as tcpdump 4.99.3 prints them (print-llc.c
 * llc_print, snap_print; print-stp.c for 802.1D configuration and TCN BPDUs).
 */
import { ETHERTYPE_NAMES } from '../wire/ethernet.js';
import { bitNames } from '../wire/names.js';
import { check, HEX2, u16, u32, u8, type PrintContext } from './context.js';
import { printEthertype } from './ethernet.js';
import { TRUNCATED_SOFT } from './line.js';
import { printIp } from './ip.js';

const LLC_U_FMT = 3;
const LLC_UI = 0x03;
const LLCSAP_GLOBAL = 0xff;
const LLCSAP_SNAP = 0xaa;
const LLCSAP_8021D = 0x42;
const LLCSAP_IP = 0x06;

/** tcpdump's llc_values. */
const SAP_NAMES: Record<number, string> = {
  0x00: 'Null', 0xff: 'Global', 0x02: '802.1B I', 0x03: '802.1B G', 0x06: 'IP', 0x0e: 'ProWay NM', 0x42: 'STP',
  0x4e: 'RS511', 0x7e: 'ISO8208', 0x8e: 'ProWay', 0xaa: 'SNAP', 0xe0: 'IPX', 0xf0: 'NetBeui', 0xfe: 'OSI',
};
const OUI_NAMES: Record<number, string> = { 0x000000: 'Ethernet', 0x00000c: 'Cisco', 0x0000f8: 'Cisco bridged', 0x0080c2: 'Ethernet bridged', 0x00e02b: 'Extreme', 0x00000e: 'Juniper' };
const LLC_U_COMMANDS: Record<number, string> = { 0x03: 'ui', 0x43: 'disc', 0x63: 'ua', 0x0f: 'dm', 0x87: 'frmr', 0x2f: 'sabme', 0xe3: 'test', 0xaf: 'xid' };

/**
 * Prints an LLC frame of `length` bytes; returns the LLC header length, or its negative when the payload
 * is of a kind pcapsift does not decode (the caller then prints the raw bytes).
 */
export function printLlc(c: PrintContext, at: number, length: number, caplen: number): number {
  const line = c.line;
  line.protocol = 'llc';
  if (caplen < 3 || length < 3) {
    line.text += ' [|llc]';
    c.defaultPrint(at, caplen);
    return caplen < 3 ? caplen : length;
  }
  const dsapField = u8(c, at);
  const ssapField = u8(c, at + 1);
  let control = u8(c, at + 2);
  let isU = true;
  let hdrlen = 3;
  if ((control & LLC_U_FMT) !== LLC_U_FMT) {
    if (caplen < 4 || length < 4) {
      line.text += ' [|llc]';
      c.defaultPrint(at, caplen);
      return caplen < 4 ? caplen : length;
    }
    control = u8(c, at + 2) | (u8(c, at + 3) << 8);
    isU = false;
    hdrlen = 4;
  }
  if (ssapField === LLCSAP_GLOBAL && dsapField === LLCSAP_GLOBAL) {
    if (c.opts.linkHeader) line.text += 'IPX 802.3: ';
    line.text += `IPX ${length}`;
    return 0;
  }
  const dsap = dsapField & ~1;
  const ssap = ssapField & ~1;
  if (c.opts.linkHeader) {
    line.text +=
      `LLC, dsap ${SAP_NAMES[dsap] ?? 'Unknown'} (0x${HEX2[dsap]}) ${dsapField & 1 ? 'Group' : 'Individual'}` +
      `, ssap ${SAP_NAMES[ssap] ?? 'Unknown'} (0x${HEX2[ssap]}) ${ssapField & 1 ? 'Response' : 'Command'}` +
      (isU ? `, ctrl 0x${HEX2[control]}: ` : `, ctrl 0x${control.toString(16).padStart(4, '0')}: `);
  }
  const p = at + hdrlen;
  length -= hdrlen;
  caplen -= hdrlen;
  if (ssap === LLCSAP_SNAP && dsap === LLCSAP_SNAP && control === LLC_UI) {
    return printSnap(c, p, length, caplen) ? hdrlen + 5 : -(hdrlen + 5);
  }
  if (ssap === LLCSAP_8021D && dsap === LLCSAP_8021D && control === LLC_UI) {
    printStp(c, p, length);
    return hdrlen;
  }
  if (ssap === LLCSAP_IP && dsap === LLCSAP_IP && control === LLC_UI) {
    printIp(c, p, length);
    return hdrlen;
  }
  if (!c.opts.linkHeader) {
    if (ssap === dsap) line.text += `${SAP_NAMES[dsap] ?? `Unknown DSAP 0x${HEX2[dsap]}`} `;
    else line.text += `${SAP_NAMES[ssap] ?? `Unknown SSAP 0x${HEX2[ssap]}`} > ${SAP_NAMES[dsap] ?? `Unknown DSAP 0x${HEX2[dsap]}`} `;
  }
  if (isU) {
    const cmd = control & ~0x10 & 0xff;
    const flagBits = (ssapField & 1) | (control & 0x10);
    const flagWord = flagBits === 0 ? 'Command' : flagBits === 1 ? 'Response' : flagBits === 0x10 ? 'Poll' : 'Final';
    line.text += `Unnumbered, ${LLC_U_COMMANDS[cmd] ?? HEX2[cmd]}, Flags [${flagWord}], length ${length + hdrlen}`;
  } else if ((control & 1) === 0) {
    line.text += `Information, send seq ${(control >> 1) & 0x7f}, rcv seq ${(control >> 9) & 0x7f}, Flags [${ssapField & 1 ? 'Response' : 'Command'}], length ${length + hdrlen}`;
  } else {
    const sup = ['Receiver Ready', 'Receiver not Ready', 'Reject', '?'][(control >> 2) & 3];
    line.text += `Supervisory, ${sup}, rcv seq ${(control >> 9) & 0x7f}, Flags [${ssapField & 1 ? 'Response' : 'Command'}], length ${length + hdrlen}`;
  }
  return hdrlen;
}

/** tcpdump's snap_print; returns false for a protocol it would dump raw. */
function printSnap(c: PrintContext, p: number, length: number, caplen: number): boolean {
  c.line.protocol = 'snap';
  check(c, p, 5);
  if (caplen < 5 || length < 5) throw TRUNCATED_SOFT;
  const oui = (u8(c, p) << 16) | u16(c, p + 1);
  const et = u16(c, p + 3);
  if (c.opts.linkHeader) {
    const proto = oui === 0 ? `ethertype ${ETHERTYPE_NAMES.get(et) ?? 'Unknown'}` : `pid Unknown`;
    c.line.text += `oui ${OUI_NAMES[oui] ?? 'Unknown'} (0x${oui.toString(16).padStart(6, '0')}), ${proto} (0x${et.toString(16).padStart(4, '0')}), length ${length - 5}: `;
  }
  if (oui === 0x000000 || oui === 0x0000f8) return printEthertype(c, et, p + 5, length - 5, caplen - 5);
  return false;
}

const STP_PROTO_NAMES: Record<number, string> = { 0: '802.1d', 2: '802.1w', 3: '802.1s', 4: 'SPB' };
const STP_BPDU_NAMES: Record<number, string> = { 0x00: 'Config', 0x02: 'Rapid STP', 0x80: 'Topology Change' };
const STP_FLAG_BITS: ReadonlyArray<readonly [number, string]> = [
  [0x01, 'Topology change'],
  [0x02, 'Proposal'],
  [0x10, 'Learn'],
  [0x20, 'Forward'],
  [0x40, 'Agreement'],
  [0x80, 'Topology change ACK'],
];

function bridgeId(c: PrintContext, at: number): string {
  check(c, at, 8);
  const d = c.data;
  return `${HEX2[d[at]!]}${HEX2[d[at + 1]!]}.${HEX2[d[at + 2]!]}:${HEX2[d[at + 3]!]}:${HEX2[d[at + 4]!]}:${HEX2[d[at + 5]!]}:${HEX2[d[at + 6]!]}:${HEX2[d[at + 7]!]}`;
}

/** tcpdump's stp_print for 802.1D configuration and topology-change BPDUs (the line, and -v details). */
function printStp(c: PrintContext, p: number, length: number): void {
  const line = c.line;
  line.protocol = 'stp';
  if (length < 4) {
    line.text += `[length ${length} < 4] (invalid)`;
    return;
  }
  const protocolId = u16(c, p);
  const version = u8(c, p + 2);
  const type = u8(c, p + 3);
  if (protocolId !== 0 || STP_PROTO_NAMES[version] === undefined) {
    line.text += `unknown STP version, length ${length}`;
    return;
  }
  line.text += `STP ${STP_PROTO_NAMES[version]}`;
  line.text += `, ${STP_BPDU_NAMES[type] ?? `Unknown BPDU Type (0x${HEX2[type]})`}`;
  if (type === 0x00 || type === 0x02) {
    if (length < 35) {
      line.text += ` [length ${length} < 35] (invalid)`;
      return;
    }
    line.text += `, Flags [${bitNames(STP_FLAG_BITS, u8(c, p + 4), 'none', ', ')}], bridge-id ${bridgeId(c, p + 17)}.${u16(c, p + 25).toString(16).padStart(4, '0')}, length ${length}`;
    if (!c.opts.verbose) return;
    const t = (off: number): string => `${(u16(c, p + off) / 256).toFixed(2)}s`;
    line.text += `\n\tmessage-age ${t(27)}, max-age ${t(29)}, hello-time ${t(31)}, forwarding-delay ${t(33)}`;
    line.text += `\n\troot-id ${bridgeId(c, p + 5)}, root-pathcost ${u32(c, p + 13)}`;
  }
}
