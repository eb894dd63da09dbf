/**
 * Text to bytes for the addresses generators take: dotted IPv4, RFC 4291 IPv6 text (with `::` and an
 * embedded dotted quad), and colon-separated MAC addresses.
 */

/** Parses a dotted-quad IPv4 address into 4 bytes; throws on malformed text. */
export function ipv4Bytes(text: string): Buffer {
  const parts = text.split('.');
  if (parts.length !== 4) throw new Error(`not an IPv4 address: ${text}`);
  const b = Buffer.alloc(4);
  parts.forEach((p, i) => {
    const v = Number(p);
    if (!/^\d{1,3}$/.test(p) || v > 255) throw new Error(`not an IPv4 address: ${text}`);
    b[i] = v;
  });
  return b;
}

/** Parses an IPv6 address into 16 bytes; throws on malformed text. */
export function ipv6Bytes(text: string): Buffer {
  const bad = () => new Error(`not an IPv6 address: ${text}`);
  let head = text;
  let tailV4: Buffer | undefined;
  const lastColon = text.lastIndexOf(':');
  if (text.indexOf('.', lastColon) > 0) {
    tailV4 = ipv4Bytes(text.slice(lastColon + 1));
    head = text.slice(0, lastColon + 1) + '0:0';
  }
  const halves = head.split('::');
  if (halves.length > 2) throw bad();
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const left = groups(halves[0]!);
  const right = halves.length === 2 ? groups(halves[1]!) : [];
  const total = left.length + right.length;
  if (halves.length === 1 ? total !== 8 : total > 7) throw bad();
  const all = [...left, ...Array<string>(8 - total).fill('0'), ...right];
  const b = Buffer.alloc(16);
  all.forEach((g, i) => {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) throw bad();
    b.writeUInt16BE(parseInt(g, 16), i * 2);
  });
  if (tailV4) tailV4.copy(b, 12);
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
  return `${b[at]}.${b[at + 1]}.${b[at + 2]}.${b[at + 3]}`;
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

/** Formats 16 bytes as canonical IPv6 text (RFC 5952: lower case, longest zero run as ::). */
export function ipv6Text(b: Uint8Array, at = 0): string {
  const g: number[] = [];
  for (let i = 0; i < 8; i++) g.push((b[at + 2 * i]! << 8) | b[at + 2 * i + 1]!);
  let bestAt = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) {
      bestAt = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (xs: number[]) => xs.map((v) => v.toString(16)).join(':');
  if (bestAt < 0) return hex(g);
  return `${hex(g.slice(0, bestAt))}::${hex(g.slice(bestAt + bestLen))}`;
}
