/**
 * BSD loopback (LINKTYPE_NULL): a 4-byte address family in the byte order of the machine that captured,
 * then the IP packet. The IPv6 family differs by OS: 24 (NetBSD, OpenBSD), 28 (FreeBSD), 30 (macOS).
 */
export const NULL_HEADER_LEN = 4;
export const BSD_AF_INET = 2;
export const BSD_AF_INET6_BSD = 24;
export const BSD_AF_INET6_FREEBSD = 28;
export const BSD_AF_INET6_DARWIN = 30;

/** Builds a NULL-link frame; family in little-endian unless bigEndian. */
export function nullFrame(family: number, payload: Uint8Array, bigEndian = false): Buffer {
  const b = Buffer.alloc(NULL_HEADER_LEN + payload.length);
  if (bigEndian) b.writeUInt32BE(family, 0);
  else b.writeUInt32LE(family, 0);
  b.set(payload, NULL_HEADER_LEN);
  return b;
}
