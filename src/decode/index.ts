/** The decoding pass: reusable decoded-packet slots and the functions that fill them. */
export * from './packet.js';
export { decodePacket, decodeRecord } from './decoder.js';
export { ipToString, ipv4ToString, ipv6ToString, parseIp } from './address.js';
