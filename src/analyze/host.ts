/**
 * Host selection (`--host IP`) and the rules every endpoint analysis shares for which packets carry ports.
 */
import { parseIp } from '../decode/address.js';
import { IPPROTO_TCP, IPPROTO_UDP, type DecodedPacket } from '../decode/packet.js';

/** An IP address to compare decoded packets against without allocating. */
export class HostMatcher {
  readonly words = new Uint32Array(4);
  readonly version: number;

  /** Parses the address; throws a plain Error with a one-line message when it is not an IP address. */
  constructor(readonly text: string) {
    this.version = parseIp(text, this.words);
    if (this.version === 0) throw new Error(`not an IP address: '${text}'`);
  }

  /** Says whether the packet's source is this host. */
  isSource(p: DecodedPacket): boolean {
    const w = this.words;
    const s = p.src;
    return p.ipVersion === this.version && s[3] === w[3] && s[2] === w[2] && s[1] === w[1] && s[0] === w[0];
  }

  /** Says whether the words (4) at `a[o]` are this host. */
  isAt(version: number, a: Uint32Array, o: number): boolean {
    const w = this.words;
    return version === this.version && a[o] === w[0] && a[o + 1] === w[1] && a[o + 2] === w[2] && a[o + 3] === w[3];
  }
}

/** Options shared by ports, services and dports. */
export interface EndpointOptions {
  /** Only packets sent by this host. */
  host?: string;
  /**
   * Count only what tcpdump's filter language treats as TCP/UDP with ports: IPv6 packets with extension
   * headers are left out (libpcap's `port` and `tcp[]` do not walk them). Off by default: pcapsift walks
   * the headers and counts those packets too.
   */
  tcpdumpView?: boolean;
}

/**
 * Says whether a packet counts as TCP or UDP with ports: the transport header's ports were captured. A
 * non-first fragment has no ports (tcpdump prints it without any); an ICMP error quoting a UDP datagram is
 * ICMP, not the quoted ports (tcpdump prints it as ICMP too).
 */
export function hasTransportPorts(p: DecodedPacket, tcpdumpView: boolean): boolean {
  if (p.srcPort < 0) return false;
  if (p.protocol !== IPPROTO_TCP && p.protocol !== IPPROTO_UDP) return false;
  return !(tcpdumpView && p.extHeaders > 0);
}

/** The protocol word a row shows. */
export function protoName(proto: number): 'tcp' | 'udp' {
  return proto === IPPROTO_TCP ? 'tcp' : 'udp';
}

/** Orders rows as `sort -n` orders `uniq -c` output: by count, then by the printed key; `desc` reverses. */
export function sortCounted<T>(rows: T[], count: (r: T) => number, key: (r: T) => string, desc = false): T[] {
  // Each key is built once (decorate, sort, undecorate), not twice per comparison.
  const decorated = rows.map((r) => ({ r, n: count(r), k: key(r) }));
  decorated.sort((a, b) => a.n - b.n || (a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
  for (let i = 0; i < rows.length; i++) rows[i] = decorated[desc ? rows.length - 1 - i : i]!.r;
  return rows;
}

/** Keeps the `top` rows with the largest counts (all when top is undefined), in their current order. */
export function keepTop<T>(rows: T[], count: (r: T) => number, top: number | undefined): T[] {
  if (top === undefined || rows.length <= top) return rows;
  const threshold = [...rows].map(count).sort((a, b) => b - a)[top - 1]!;
  const out: T[] = [];
  let above = rows.filter((r) => count(r) > threshold).length;
  for (const r of rows) {
    const c = count(r);
    if (c > threshold) out.push(r);
    else if (c === threshold && above < top) {
      out.push(r);
      above++;
    }
  }
  return out;
}
