/**
 * What an IP builder carries: either raw bytes with a protocol number, or a transport segment that needs
 * the addresses to compute its pseudo-header checksum (TCP, UDP, ICMPv6).
 */
export interface TransportSegment {
  /** IP protocol / next-header number. */
  readonly protocol: number;
  /** Encodes the segment for these source and destination addresses (4 or 16 bytes each). */
  encode(src: Uint8Array, dst: Uint8Array): Buffer;
}

/** An IP payload: a segment, or raw bytes (the IP spec then says which protocol). */
export type IpPayload = TransportSegment | Uint8Array;

/** Says whether a payload is a TransportSegment. */
export function isSegment(p: IpPayload): p is TransportSegment {
  return !(p instanceof Uint8Array);
}

/** Wraps raw bytes as a segment of the given protocol. */
export function rawSegment(protocol: number, bytes: Uint8Array): TransportSegment {
  return { protocol, encode: () => Buffer.from(bytes) };
}
