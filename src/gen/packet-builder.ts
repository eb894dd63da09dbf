/**
 * The packet generator's public face: builders for every layer pcapsift decodes, each producing correct
 * bytes with correct checksums, and the CaptureBuilder that assembles them into captures.
 */
export * from './addr.js';
export * from './arp.js';
export * from './capture-builder.js';
export * from './checksum.js';
export * from './dns.js';
export * from './ethernet.js';
export * from './http.js';
export * from './icmp.js';
export * from './icmp6.js';
export * from './ipv4.js';
export * from './ipv6.js';
export * from './link.js';
export * from './ntp.js';
export * from './null-link.js';
export * from './random.js';
export * from './sll.js';
export * from './tcp.js';
export * from './tcp-connection.js';
export * from './tls.js';
export * from './transport.js';
export * from './udp.js';
