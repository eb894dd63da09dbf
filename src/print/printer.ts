/**
 * tcpdump's text for each packet. (Skeleton: prints the timestamp; the protocol printers fill in.)
 */
import type { PacketRecord } from '../capture/packet.js';
import type { TextSink } from '../cli/output.js';
import type { PrintOptions } from './options.js';

export class PacketPrinter {
  constructor(
    private readonly options: PrintOptions,
    private readonly out: TextSink,
  ) {}

  /** Prints one packet as tcpdump would, ending with a newline. */
  printPacket(rec: PacketRecord): void {
    void this.options;
    this.out.write(`${rec.tsSec}.${rec.tsNsec} len ${rec.wirelen}\n`);
  }
}
