/** The Internet checksum (RFC 1071) over big-endian 16-bit words, with the pseudo-headers TCP and UDP use. */

/** Returns the unfolded one's-complement sum of `length` bytes at `at` (an odd last byte is padded with 0). */
export function sumBytes(d: Uint8Array, at: number, length: number, initial = 0): number {
  let sum = initial;
  const end = at + (length & ~1);
  for (let i = at; i < end; i += 2) sum += (d[i]! << 8) | d[i + 1]!;
  if (length & 1) sum += d[at + length - 1]! << 8;
  return sum;
}

/** Folds a sum to 16 bits and complements it: 0 means the checksum over the data (with its field) is right. */
export function foldComplement(sum: number): number {
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  return ~sum & 0xffff;
}

/** Returns tcpdump's in_cksum_shouldbe: the checksum field value that would have made the sum right. */
export function checksumShouldBe(fieldValue: number, computed: number): number {
  let s = fieldValue + computed;
  s = (s & 0xffff) + (s >>> 16);
  s = (s & 0xffff) + (s >>> 16);
  return s & 0xffff;
}

/** Returns the IPv4 pseudo-header sum for a transport segment. */
export function ipv4PseudoSum(d: Uint8Array, ipStart: number, proto: number, length: number): number {
  return sumBytes(d, ipStart + 12, 8) + proto + length;
}

/** Returns the IPv6 pseudo-header sum (src, dst, upper-layer length, next header). */
export function ipv6PseudoSum(d: Uint8Array, ip6Start: number, proto: number, length: number, dstAt = ip6Start + 24): number {
  return sumBytes(d, ip6Start + 8, 16) + sumBytes(d, dstAt, 16) + Math.floor(length / 0x10000) + (length & 0xffff) + proto;
}
