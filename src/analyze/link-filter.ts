/**
 * A filter expression applied to records of any link type: the expression is compiled once per link type
 * met (a pcapng file may mix them), as libpcap compiles it per interface.
 */
import type { PacketRecord } from '../capture/packet.js';
import { compileFilter, type FilterPredicate } from '../filter/index.js';

export class LinkFilter {
  private readonly expression: string;
  private readonly compiled = new Map<number, FilterPredicate>();
  private link = -1;
  private current: FilterPredicate | undefined;

  constructor(
    expression: string,
    private readonly ipv6Transport: boolean,
  ) {
    this.expression = expression.trim();
  }

  /** Says whether the record passes (every record passes an empty expression). Throws FilterError. */
  matches(rec: PacketRecord): boolean {
    if (this.expression === '') return true;
    if (rec.linkType !== this.link) {
      this.link = rec.linkType;
      let f = this.compiled.get(this.link);
      if (f === undefined) {
        f = compileFilter(this.expression, this.link, { ipv6Transport: this.ipv6Transport });
        this.compiled.set(this.link, f);
      }
      this.current = f;
    }
    return this.current!(rec.data, rec.offset, rec.caplen, rec.wirelen);
  }
}
