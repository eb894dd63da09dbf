/**
 * BSD loopback (LINKTYPE_NULL): a 4-byte address family in the byte order of the machine that captured,
 * then the IP packet. The IPv6 family differs by OS: 24 (NetBSD, OpenBSD), 28 (FreeBSD), 30 (macOS).
 */
import { NULL_FAMILY, NULL_HEADER_LEN } from '../wire/null.js';

/** Builds a NULL-link frame; family in little-endian unless bigEndian. */
export function nullFrame(family: number, payload: Uint8Array, bigEndian = false): Buffer {
  const b = Buffer.alloc(NULL_HEADER_LEN + payload.length);
  if (bigEndian) b.writeUInt32BE(family, NULL_FAMILY);
  else b.writeUInt32LE(family, NULL_FAMILY);
  b.set(payload, NULL_HEADER_LEN);
  return b;
}
