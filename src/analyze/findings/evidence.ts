/**
 * Helpers every detector shares: counting within a sliding time window, ordering addresses, and writing
 * the tcpdump expression that selects a finding's evidence. The expressions stay within what libpcap
 * accepts for both address families: `tcp[]`, `udp[]` and `icmp[]` are IPv4-only, so IPv6 evidence is
 * matched with `ip6[]` offsets that assume no extension headers (the common case).
 */

/** The most items whose times fall within any window of `seconds` (times in any order). */
export function maxInWindow(times: readonly number[], seconds: number): number {
  const t = [...times].sort((a, b) => a - b);
  let best = 0;
  let lo = 0;
  for (let hi = 0; hi < t.length; hi++) {
    while (t[hi]! - t[lo]! > seconds) lo++;
    if (hi - lo + 1 > best) best = hi - lo + 1;
  }
  return best;
}

/** Says whether an address is IPv6 text. */
export function isV6(addr: string): boolean {
  return addr.includes(':');
}

/** Orders addresses IPv4 first, numerically, then IPv6 by text. */
export function compareHosts(a: string, b: string): number {
  const av6 = isV6(a);
  const bv6 = isV6(b);
  if (av6 !== bv6) return av6 ? 1 : -1;
  if (!av6) {
    const x = a.split('.').map(Number);
    const y = b.split('.').map(Number);
    for (let i = 0; i < 4; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
    return 0;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Sorted, de-duplicated hosts. */
export function sortedHosts(hosts: Iterable<string>): string[] {
  return [...new Set(hosts)].sort(compareHosts);
}

/** Sorted, de-duplicated ports. */
export function sortedPorts(ports: Iterable<number>): number[] {
  return [...new Set(ports)].sort((a, b) => a - b);
}

/** `host:port`, bracketing IPv6 addresses. */
export function endpoint(host: string, port: number): string {
  return isV6(host) ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Joins alternatives with `or`, parenthesised when there is more than one. */
export function anyOf(parts: readonly string[]): string {
  return parts.length === 1 ? parts[0]! : `(${parts.join(' or ')})`;
}

/** Joins conditions with `and` (libpcap gives `and` and `or` equal precedence, so each part is atomic). */
export function allOf(parts: readonly string[]): string {
  return parts.filter((p) => p !== '').join(' and ');
}

/** Up to `limit` alternatives of `dst host` (or '' when there are more: then the filter does not narrow). */
export function dstHosts(hosts: readonly string[], limit = 8): string {
  return hosts.length === 0 || hosts.length > limit ? '' : anyOf(hosts.map((h) => `dst host ${h}`));
}

/** Up to `limit` alternatives of `dst port` (or ''). */
export function dstPorts(ports: readonly number[], limit = 8): string {
  return ports.length === 0 || ports.length > limit ? '' : anyOf(ports.map((p) => `dst port ${p}`));
}

/** TCP packets whose flags byte, masked, equals a value: `tcp[13] & M == V`, or its IPv6 form. */
export function tcpFlagTest(v6: boolean, mask: number, value: number): string {
  const m = `0x${mask.toString(16).padStart(2, '0')}`;
  const v = `0x${value.toString(16).padStart(2, '0')}`;
  // The flags byte is 13 bytes into the TCP header, which follows the 40-byte IPv6 header.
  return v6 ? `ip6[6] == 6 and ip6[53] & ${m} == ${v}` : `tcp[13] & ${m} == ${v}`;
}

/** Adds a frame to a list that keeps only the `limit` smallest (connections end out of order). */
export function keepFirstFrames(list: number[], frame: number, limit: number): void {
  if (list.length < limit) {
    list.push(frame);
    return;
  }
  let maxAt = 0;
  for (let i = 1; i < list.length; i++) if (list[i]! > list[maxAt]!) maxAt = i;
  if (frame < list[maxAt]!) list[maxAt] = frame;
}

/** Keeps the first `limit` of a list of frame numbers, sorted. */
export function firstFrames(frames: readonly number[], limit: number): number[] {
  return [...frames].sort((a, b) => a - b).slice(0, limit);
}

/** Formats a capture time as ISO text (UTC, milliseconds). */
export function isoTime(seconds: number): string {
  return Number.isFinite(seconds) ? new Date(Math.round(seconds * 1000)).toISOString() : '-';
}

/** `n thing` or `n things`. */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

/** Lists up to `limit` items, then "and N more". */
export function listSome(items: readonly (string | number)[], limit = 6): string {
  if (items.length <= limit) return items.join(', ');
  return `${items.slice(0, limit).join(', ')} and ${items.length - limit} more`;
}
