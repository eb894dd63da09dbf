/**
 * The Internet checksum (RFC 1071): the ones' complement of the ones' complement sum of 16-bit words,
 * with the IPv4 and IPv6 pseudo-headers TCP, UDP and ICMPv6 cover, over addresses given as bytes. The word
 * sum and the final fold are src/wire/checksum.ts's.
 */
import { foldComplement, sumBytes } from '../wire/checksum.js';

/** Adds the bytes of buf[start, end) as big-endian 16-bit words to a running (unfolded) sum. */
export function sumWords(buf: Uint8Array, start: number, end: number, sum = 0): number {
  return sumBytes(buf, start, end - start, sum);
}

/** Folds a running sum to 16 bits (without complementing). */
export function fold(sum: number): number {
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 65536);
  return sum;
}

/** Returns the checksum of buf[start, end) plus an initial sum: the value to store in the header. */
export function internetChecksum(buf: Uint8Array, start = 0, end = buf.length, initial = 0): number {
  return foldComplement(sumWords(buf, start, end, initial));
}

/** Returns the unfolded sum of a pseudo-header: addresses (4 or 16 bytes each), protocol and length. */
export function pseudoHeaderSum(src: Uint8Array, dst: Uint8Array, protocol: number, length: number): number {
  let s = sumWords(src, 0, src.length);
  s = sumWords(dst, 0, dst.length, s);
  return s + protocol + (length & 0xffff) + Math.floor(length / 65536);
}
