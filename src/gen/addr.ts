/**
 * Text to bytes for the addresses generators take: dotted IPv4, RFC 4291 IPv6 text (with `::` and an
 * embedded dotted quad), and colon-separated MAC addresses. The address parsers and formatters are the
 * decoder's (src/decode/address.ts); this module adds the Buffer forms and MAC helpers generators use.
 */
import { ipv4ToString, ipv6ToString, parseIp } from '../decode/address.js';

const parsedWords = new Uint32Array(4);

/** Parses a dotted-quad IPv4 address into 4 bytes; throws on malformed text. */
export function ipv4Bytes(text: string): Buffer {
  if (parseIp(text, parsedWords) !== 4) throw new Error(`not an IPv4 address: ${text}`);
  const b = Buffer.alloc(4);
  b.writeUInt32BE(parsedWords[3]!, 0);
  return b;
}

/** Parses an IPv6 address (with `::` and an embedded dotted quad) into 16 bytes; throws on malformed text. */
export function ipv6Bytes(text: string): Buffer {
  if (parseIp(text, parsedWords) !== 6) throw new Error(`not an IPv6 address: ${text}`);
  const b = Buffer.alloc(16);
  for (let i = 0; i < 4; i++) b.writeUInt32BE(parsedWords[i]!, 4 * i);
  return b;
}

/** Parses either address family, by the presence of a colon. */
export function ipBytes(text: string): Buffer {
  return text.includes(':') ? ipv6Bytes(text) : ipv4Bytes(text);
}

/** Says whether the text is an IPv6 address (contains a colon). */
export function isIpv6(text: string): boolean {
  return text.includes(':');
}

/** Parses `aa:bb:cc:dd:ee:ff` (or with dashes) into 6 bytes. */
export function macBytes(text: string): Buffer {
  const parts = text.split(/[:-]/);
  if (parts.length !== 6 || parts.some((p) => !/^[0-9a-fA-F]{1,2}$/.test(p))) throw new Error(`not a MAC address: ${text}`);
  return Buffer.from(parts.map((p) => parseInt(p, 16)));
}

/** Formats 6 bytes as a lower-case MAC address. */
export function macText(b: Uint8Array): string {
  return Array.from(b.subarray(0, 6), (v) => v.toString(16).padStart(2, '0')).join(':');
}

/** Formats 4 bytes as dotted IPv4. */
export function ipv4Text(b: Uint8Array, at = 0): string {
  return ipv4ToString(readUInt32(b, at));
}

/** Derives a stable, locally administered MAC address (02:...) from an IP address's text. */
export function macForIp(ip: string): string {
  const b = ipBytes(ip);
  const tail = b.subarray(b.length - 4);
  return macText(Buffer.from([0x02, b.length === 16 ? 0x06 : 0x04, tail[0]!, tail[1]!, tail[2]!, tail[3]!]));
}

/** The IPv6 solicited-node multicast address for an address (ff02::1:ffXX:XXXX). */
export function solicitedNode(ip6: string): string {
  const b = ipv6Bytes(ip6);
  const h = (v: number) => v.toString(16);
  return `ff02::1:ff${h(b[13]!).padStart(2, '0')}:${h((b[14]! << 8) | b[15]!)}`;
}

/** The Ethernet multicast address an IPv6 multicast address maps to (33:33 + its last 4 bytes). */
export function ipv6MulticastMac(ip6: string): string {
  const b = ipv6Bytes(ip6);
  return macText(Buffer.from([0x33, 0x33, b[12]!, b[13]!, b[14]!, b[15]!]));
}

/** Formats 16 bytes as IPv6 text as tcpdump prints it (RFC 5952: lower case, longest zero run as ::). */
export function ipv6Text(b: Uint8Array, at = 0): string {
  return ipv6ToString([readUInt32(b, at), readUInt32(b, at + 4), readUInt32(b, at + 8), readUInt32(b, at + 12)]);
}

function readUInt32(b: Uint8Array, at: number): number {
  return ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
}
