/**
 * Text forms of the numeric addresses the decoder fills, as tcpdump prints them (inet_ntop's forms):
 * dotted quads; IPv6 with the longest run of two or more zero groups compressed to `::` (the first such
 * run on a tie), and IPv4-mapped or -compatible addresses ending in a dotted quad. Only called on output
 * paths, never per packet.
 */

/** Formats an IPv4 address held in an unsigned 32-bit number. */
export function ipv4ToString(a: number): string {
  return `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`;
}

/** Formats an IPv6 address held in four 32-bit words. */
export function ipv6ToString(w: ArrayLike<number>): string {
  const g: number[] = [];
  for (let i = 0; i < 4; i++) {
    g.push((w[i]! >>> 16) & 0xffff, w[i]! & 0xffff);
  }
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (bestLen < 2) bestStart = -1;
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (i === bestStart) {
      out += '::';
      i += bestLen - 1;
      continue;
    }
    // An embedded IPv4 address (::a.b.c.d or ::ffff:a.b.c.d) prints as a dotted quad.
    if (i === 6 && bestStart === 0 && (bestLen === 6 || (bestLen === 5 && g[5] === 0xffff))) {
      if (!out.endsWith(':')) out += ':';
      out += ipv4ToString(w[3]! >>> 0);
      break;
    }
    if (i > 0 && !out.endsWith(':')) out += ':';
    out += g[i]!.toString(16);
  }
  return out;
}

/** Formats the address held in words a[o..o+3] (IPv4 in the last word), without making a view. */
export function ipTextAt(version: number, a: Uint32Array, o: number): string {
  return version === 4 ? ipv4ToString(a[o + 3]! >>> 0) : ipv6ToString([a[o]!, a[o + 1]!, a[o + 2]!, a[o + 3]!]);
}

/** Formats an address of either version. */
export function ipToString(version: number, w: ArrayLike<number>): string {
  return version === 4 ? ipv4ToString(w[3]! >>> 0) : ipv6ToString(w);
}

/**
 * Parses an IPv4 or IPv6 address into four words (IPv4 in word 3). Returns the version (4 or 6), or 0 when
 * the text is not an address.
 */
export function parseIp(text: string, into: Uint32Array): number {
  into.fill(0);
  const v4 = parseIpv4(text);
  if (v4 !== undefined) {
    into[3] = v4;
    return 4;
  }
  const groups = parseIpv6Groups(text);
  if (groups === undefined) return 0;
  for (let i = 0; i < 4; i++) into[i] = ((groups[2 * i]! << 16) | groups[2 * i + 1]!) >>> 0;
  return 6;
}

function parseIpv4(text: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (m === null) return undefined;
  let v = 0;
  for (let i = 1; i <= 4; i++) {
    const n = Number(m[i]);
    if (n > 255) return undefined;
    v = v * 256 + n;
  }
  return v;
}

function parseIpv6Groups(text: string): number[] | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(text)) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const part = (s: string): number[] | undefined => {
    if (s === '') return [];
    const out: number[] = [];
    const items = s.split(':');
    for (let i = 0; i < items.length; i++) {
      const it = items[i]!;
      if (it.includes('.') && i === items.length - 1) {
        const v4 = parseIpv4(it);
        if (v4 === undefined) return undefined;
        out.push(v4 >>> 16, v4 & 0xffff);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(it)) out.push(parseInt(it, 16));
      else return undefined;
    }
    return out;
  };
  const head = part(halves[0]!);
  if (head === undefined) return undefined;
  if (halves.length === 1) return head.length === 8 ? head : undefined;
  const tail = part(halves[1]!);
  if (tail === undefined || head.length + tail.length > 7) return undefined;
  return [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
}
