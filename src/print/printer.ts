/**
 * tcpdump's text for each packet (print.c pretty_print_packet): the packet number, the invalid-header
 * checks, the timestamp, the link-layer printer chosen by the packet's own link type, the one catch for
 * truncation (` [|proto]`), then the -x/-X/-A dumps.
 */
import type { PacketRecord } from '../capture/packet.js';
import {
  DLT_RAW_12, DLT_RAW_14, LINKTYPE_ETHERNET, LINKTYPE_IPV4, LINKTYPE_IPV6, LINKTYPE_LINUX_SLL, LINKTYPE_LINUX_SLL2,
  LINKTYPE_LOOP, LINKTYPE_NULL, LINKTYPE_RAW,
} from '../capture/link-types.js';
import type { TextSink } from '../cli/output.js';
import { PrintContext } from './context.js';
import { printEthernet } from './ethernet.js';
import { asciiText, hexAsciiText, hexText } from './hexdump.js';
import { TRUNCATED, TRUNCATED_DONE, TRUNCATED_SOFT } from './line.js';
import { printNull, printRaw } from './null.js';
import type { PrintOptions } from './options.js';
import { printSll, printSll2 } from './sll.js';
import { TimestampFormatter } from './timestamp.js';

/** libpcap's MAXIMUM_SNAPLEN: larger captured lengths are invalid headers. */
const MAXIMUM_SNAPLEN = 262144;

export class PacketPrinter {
  private readonly ctx: PrintContext;
  private readonly ts: TimestampFormatter;
  private count = 0;
  /** Internal errors caught while printing (a printer bug, never a bad packet): kept for tests. */
  internalErrors = 0;

  constructor(
    private readonly options: PrintOptions,
    private readonly out: TextSink,
  ) {
    this.ctx = new PrintContext(options);
    this.ts = new TimestampFormatter(options);
  }

  /** Prints one packet as tcpdump would, ending with a newline. */
  printPacket(rec: PacketRecord): void {
    this.out.write(this.format(rec));
  }

  /** Returns the text of one packet, newline included, and counts it as printed. */
  format(rec: PacketRecord): string {
    const opts = this.options;
    this.count++;
    let head = opts.packetNumbers ? `${String(this.count).padStart(5)}  ` : '';
    const caplen = rec.caplen;
    const len = rec.wirelen;
    if (caplen === 0 || len === 0 || len < caplen || caplen > MAXIMUM_SNAPLEN) {
      let s = '[Invalid header:';
      let first = true;
      if (caplen === 0) {
        s = '[Invalid header: caplen==0';
        first = false;
      }
      if (len === 0) {
        s += first ? ' len==0' : ', len==0';
        first = false;
      } else if (len < caplen) {
        s += `${first ? '' : ','} len(${len}) < caplen(${caplen})`;
        first = false;
      }
      if (caplen > MAXIMUM_SNAPLEN) s += `${first ? '' : ','} caplen(${caplen}) > ${MAXIMUM_SNAPLEN}`;
      return `${head}${s}]\n`;
    }
    head += this.ts.format(rec.tsSec, rec.tsNsec);
    const c = this.ctx;
    const line = c.line;
    line.reset();
    c.data = rec.data;
    c.start = rec.offset;
    c.end = rec.offset + caplen;
    c.linkHeaderLen = 0;
    try {
      this.printLink(rec.linkType, rec.offset, len);
    } catch (err) {
      if (err !== TRUNCATED && err !== TRUNCATED_SOFT && err !== TRUNCATED_DONE) this.internalErrors++;
      if (err !== TRUNCATED_DONE) line.text += ` [|${line.protocol}]`;
      if (err !== TRUNCATED_SOFT && err !== TRUNCATED_DONE) c.linkHeaderLen = 0;
    }
    let text = head + line.text;
    const capEnd = rec.offset + caplen;
    if (opts.hexAscii) {
      if (opts.hexAscii > 1) text += hexAsciiText(rec.data, rec.offset, caplen, capEnd, '\n\t');
      else if (caplen > c.linkHeaderLen) text += hexAsciiText(rec.data, rec.offset + c.linkHeaderLen, caplen - c.linkHeaderLen, capEnd, '\n\t');
    } else if (opts.hex) {
      if (opts.hex > 1) text += hexText(rec.data, rec.offset, caplen, capEnd, '\n\t');
      else if (caplen > c.linkHeaderLen) text += hexText(rec.data, rec.offset + c.linkHeaderLen, caplen - c.linkHeaderLen, capEnd, '\n\t');
    } else if (opts.ascii) {
      if (opts.ascii > 1) text += asciiText(rec.data, rec.offset, caplen, capEnd);
      else if (caplen > c.linkHeaderLen) text += asciiText(rec.data, rec.offset + c.linkHeaderLen, caplen - c.linkHeaderLen, capEnd);
    }
    return text + '\n';
  }

  private printLink(linkType: number, at: number, length: number): void {
    const c = this.ctx;
    switch (linkType) {
      case LINKTYPE_ETHERNET:
        printEthernet(c, at, length);
        return;
      case LINKTYPE_LINUX_SLL:
        printSll(c, at, length);
        return;
      case LINKTYPE_LINUX_SLL2:
        printSll2(c, at, length);
        return;
      case LINKTYPE_NULL:
        printNull(c, at, length, false);
        return;
      case LINKTYPE_LOOP:
        printNull(c, at, length, true);
        return;
      case LINKTYPE_RAW:
      case DLT_RAW_12:
      case DLT_RAW_14:
      case LINKTYPE_IPV4:
      case LINKTYPE_IPV6:
        printRaw(c, at, length);
        return;
      default:
        c.line.protocol = `linktype-${linkType}`;
        c.defaultPrint(at, c.end - at);
    }
  }
}
