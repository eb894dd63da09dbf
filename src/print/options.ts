/** How to print packets: tcpdump's printing flags, one field per idea. */
export interface PrintOptions {
  /** Number of -n flags. pcapsift never resolves names from the network; `-n` and `-nn` behave alike. */
  numeric: number;
  /**
   * Timestamp style from the number of -t flags: 0 time of day, 1 none (-t), 2 epoch seconds (-tt),
   * 3 delta from the previous printed packet (-ttt), 4 date and time (-tttt), 5 delta from the first (-ttttt).
   */
  timestamps: 0 | 1 | 2 | 3 | 4 | 5;
  /** --nano: nine fraction digits. */
  nano: boolean;
  /** -q: shorter transport lines. */
  quiet: boolean;
  /** -e: the link-layer header. */
  linkHeader: boolean;
  /** Number of -v flags. */
  verbose: number;
  /** -S: absolute TCP sequence numbers. */
  absoluteSeq: boolean;
  /** -#: a packet number before each line. */
  packetNumbers: boolean;
  /** -x (1) / -xx (2): hex dump of the packet (from the network header / from the link header). */
  hex: number;
  /** -X (1) / -XX (2): hex and ASCII dump. */
  hexAscii: number;
  /** -A (1) / -AA: ASCII dump. */
  ascii: number;
}

/** Returns tcpdump's defaults. */
export function defaultPrintOptions(): PrintOptions {
  return {
    numeric: 0,
    timestamps: 0,
    nano: false,
    quiet: false,
    linkHeader: false,
    verbose: 0,
    absoluteSeq: false,
    packetNumbers: false,
    hex: 0,
    hexAscii: 0,
    ascii: 0,
  };
}
