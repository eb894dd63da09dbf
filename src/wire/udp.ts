/**
 * UDP (RFC 768).
 *
 * +---------------+---------------+---------------+---------------+
 * |          Source Port          |       Destination Port        |
 * |             Length            |           Checksum            |
 */
export const UDP_SPORT = 0;
export const UDP_DPORT = 2;
export const UDP_LENGTH = 4;
export const UDP_CHECKSUM = 6;
export const UDP_HEADER_LEN = 8;

export const DOMAIN_PORT = 53;
export const MDNS_PORT = 5353;
export const NTP_PORT = 123;
export const BOOTPS_PORT = 67;
export const BOOTPC_PORT = 68;
export const HTTPS_PORT = 443;
