/**
 * A filter expression applied to records of any link type: the expression is compiled once per link type
 * met (a pcapng file may mix them), as libpcap compiles it per interface.
 */
import type { PacketRecord } from '../capture/packet.js';
import type { compileFilter as CompileFilter, FilterPredicate } from '../filter/index.js';

export class LinkFilter {
  private readonly expression: string;
  private readonly compiled = new Map<number, FilterPredicate>();
  private link = -1;
  private current: FilterPredicate | undefined;

  private constructor(
    expression: string,
    private readonly ipv6Transport: boolean,
    private readonly compileFilter: typeof CompileFilter | undefined,
  ) {
    this.expression = expression.trim();
  }

  /**
   * A filter for `expression`. The compiler (a tenth of the program) is loaded only when there is an
   * expression: a command without one starts that much sooner.
   */
  static async create(expression: string, ipv6Transport: boolean): Promise<LinkFilter> {
    const compile = expression.trim() === '' ? undefined : (await import('../filter/index.js')).compileFilter;
    return new LinkFilter(expression, ipv6Transport, compile);
  }

  /** Says whether the record passes (every record passes an empty expression). Throws FilterError. */
  matches(rec: PacketRecord): boolean {
    if (this.expression === '') return true;
    if (rec.linkType !== this.link) {
      this.link = rec.linkType;
      let f = this.compiled.get(this.link);
      if (f === undefined) {
        f = this.compileFilter!(this.expression, this.link, { ipv6Transport: this.ipv6Transport });
        this.compiled.set(this.link, f);
      }
      this.current = f;
    }
    return this.current!(rec.data, rec.offset, rec.caplen, rec.wirelen);
  }
}
