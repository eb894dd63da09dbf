/**
 * Link-layer header types (LINKTYPE_* values as stored in pcap and pcapng files) and the names and
 * descriptions tcpdump prints for them (`pcap_datalink_val_to_name` / `_description`).
 */

export const LINKTYPE_NULL = 0;
export const LINKTYPE_ETHERNET = 1;
export const LINKTYPE_RAW = 101;
export const LINKTYPE_LOOP = 108;
export const LINKTYPE_LINUX_SLL = 113;
export const LINKTYPE_IPV4 = 228;
export const LINKTYPE_IPV6 = 229;
export const LINKTYPE_LINUX_SLL2 = 276;

/** DLT_RAW has the value 12 on most systems and 14 on OpenBSD; both are stored in files as such. */
export const DLT_RAW_12 = 12;
export const DLT_RAW_14 = 14;

interface LinkTypeName {
  readonly name: string;
  readonly description: string;
}

const NAMES: ReadonlyMap<number, LinkTypeName> = new Map([
  [LINKTYPE_NULL, { name: 'NULL', description: 'BSD loopback' }],
  [LINKTYPE_ETHERNET, { name: 'EN10MB', description: 'Ethernet' }],
  [DLT_RAW_12, { name: 'RAW', description: 'Raw IP' }],
  [DLT_RAW_14, { name: 'RAW', description: 'Raw IP' }],
  [LINKTYPE_RAW, { name: 'RAW', description: 'Raw IP' }],
  [LINKTYPE_LOOP, { name: 'LOOP', description: 'OpenBSD loopback' }],
  [LINKTYPE_LINUX_SLL, { name: 'LINUX_SLL', description: 'Linux cooked v1' }],
  [LINKTYPE_IPV4, { name: 'IPV4', description: 'Raw IPv4' }],
  [LINKTYPE_IPV6, { name: 'IPV6', description: 'Raw IPv6' }],
  [LINKTYPE_LINUX_SLL2, { name: 'LINUX_SLL2', description: 'Linux cooked v2' }],
]);

/** Returns libpcap's name for a link type (`EN10MB`), or undefined for one pcapsift does not know. */
export function linkTypeName(linkType: number): string | undefined {
  return NAMES.get(linkType)?.name;
}

/** Returns libpcap's description for a link type (`Ethernet`), or undefined. */
export function linkTypeDescription(linkType: number): string | undefined {
  return NAMES.get(linkType)?.description;
}

/** Says whether pcapsift can decode packets of this link type. */
export function isSupportedLinkType(linkType: number): boolean {
  return NAMES.has(linkType);
}

/** Formats the link type as tcpdump's "reading from file" line does: `EN10MB (Ethernet)` or `65520`. */
export function linkTypeLabel(linkType: number): string {
  const n = NAMES.get(linkType);
  return n === undefined ? String(linkType) : `${n.name} (${n.description})`;
}

/** Looks a link type up by libpcap's name (`EN10MB`, `LINUX_SLL`...), case-insensitively. */
export function linkTypeByName(name: string): number | undefined {
  const upper = name.toUpperCase();
  for (const [value, n] of NAMES) if (n.name === upper) return value;
  return undefined;
}

/**
 * Returns the largest snapshot length libpcap accepts for a link type (`max_snaplen_for_dlt`): 262144 for
 * everything pcapsift reads.
 */
export function maxSnaplenForLinkType(_linkType: number): number {
  return 262144;
}

/**
 * libpcap keeps a file's snapshot length unless it is 0 or above INT_MAX (`pcap_adjust_snapshot`), and only
 * then uses the link type's maximum: a header saying 524288 is reported as 524288.
 */
export const INT_MAX = 0x7fffffff;
