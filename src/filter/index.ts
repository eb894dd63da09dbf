/** The libpcap filter language. (Skeleton until the filter compiler lands.) */

/** A compiled filter: true when the packet is selected. */
export type FilterPredicate = (data: Uint8Array, offset: number, caplen: number, wirelen: number) => boolean;

/** A filter expression tcpdump would reject: the problem and the 1-based column where it lies (0 if none). */
export class FilterError extends Error {
  override readonly name = 'FilterError';
  constructor(
    readonly problem: string,
    readonly column: number,
  ) {
    super(column > 0 ? `${problem} (at column ${column})` : problem);
  }
}

export interface FilterOptions {
  /** Beyond libpcap: tcp[], udp[] and port also work on IPv6 and through IPv6 extension headers. */
  ipv6Transport?: boolean;
}

/** Compiles an expression for a link type. */
export function compileFilter(expression: string, _linkType: number, _options: FilterOptions = {}): FilterPredicate {
  throw new FilterError(`filter expressions are not supported yet: '${expression}'`, 0);
}
