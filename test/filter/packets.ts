/** Small packet builders for the filter tests (Ethernet, VLAN, IPv4, IPv6, ARP, TCP, UDP, ICMP). */

export const MAC_A = [0x00, 0x11, 0x22, 0x33, 0x44, 0x55];
export const MAC_B = [0x00, 0x66, 0x77, 0x88, 0x99, 0xaa];
export const MAC_BROADCAST = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff];

export function ip4(text: string): number[] {
  return text.split('.').map(Number);
}

export function ip6(text: string): number[] {
  const [l, r = ''] = text.split('::') as [string, string?];
  const left = l === '' ? [] : l.split(':');
  const right = r === '' ? [] : r.split(':');
  const groups = text.includes('::') ? [...left, ...new Array<string>(8 - left.length - right.length).fill('0'), ...right] : left;
  return groups.flatMap((g) => {
    const v = parseInt(g, 16);
    return [v >> 8, v & 0xff];
  });
}

function be16(v: number): number[] {
  return [(v >> 8) & 0xff, v & 0xff];
}

export function ether(dst: number[], src: number[], type: number, payload: number[]): number[] {
  return [...dst, ...src, ...be16(type), ...payload];
}

export function vlanEther(dst: number[], src: number[], vid: number, type: number, payload: number[]): number[] {
  return [...dst, ...src, ...be16(0x8100), ...be16(vid), ...be16(type), ...payload];
}

export interface Ip4Options {
  /** Fragment offset in 8-byte units. */
  fragOffset?: number;
  moreFragments?: boolean;
  /** IP option bytes (a multiple of 4). */
  options?: number[];
  ttl?: number;
}

export function ipv4(src: string, dst: string, proto: number, payload: number[], o: Ip4Options = {}): number[] {
  const opts = o.options ?? [];
  const ihl = 5 + opts.length / 4;
  const total = ihl * 4 + payload.length;
  const frag = ((o.moreFragments === true ? 0x2000 : 0) | (o.fragOffset ?? 0)) & 0xffff;
  return [0x40 | ihl, 0, ...be16(total), 0x12, 0x34, ...be16(frag), o.ttl ?? 64, proto, 0, 0, ...ip4(src), ...ip4(dst), ...opts, ...payload];
}

export function ipv6(src: string, dst: string, nxt: number, payload: number[]): number[] {
  return [0x60, 0, 0, 0, ...be16(payload.length), nxt, 64, ...ip6(src), ...ip6(dst), ...payload];
}

/** An 8-byte extension header (Hop-by-Hop or Destination options with padding). */
export function ext8(nxt: number): number[] {
  return [nxt, 0, 1, 4, 0, 0, 0, 0];
}

/** An IPv6 Fragment header. */
export function frag6(nxt: number, offset8: number, more: boolean): number[] {
  const v = (offset8 << 3) | (more ? 1 : 0);
  return [nxt, 0, ...be16(v), 0, 0, 0, 1];
}

export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_RST = 0x04;
export const TCP_PSH = 0x08;
export const TCP_ACK = 0x10;
export const TCP_URG = 0x20;
export const TCP_ECE = 0x40;
export const TCP_CWR = 0x80;

export function tcp(sport: number, dport: number, flags: number, payload: number[] = []): number[] {
  return [...be16(sport), ...be16(dport), 0, 0, 0, 1, 0, 0, 0, 0, 0x50, flags, ...be16(65535), 0, 0, 0, 0, ...payload];
}

export function udp(sport: number, dport: number, payload: number[] = []): number[] {
  return [...be16(sport), ...be16(dport), ...be16(8 + payload.length), 0, 0, ...payload];
}

export function icmpEcho(): number[] {
  return [8, 0, 0, 0, 0, 1, 0, 1, ...new Array<number>(8).fill(0x61)];
}

/** ARP request for IPv4 over Ethernet. */
export function arpRequest(senderMac: number[], sender: string, target: string): number[] {
  return [0, 1, 8, 0, 6, 4, 0, 1, ...senderMac, ...ip4(sender), 0, 0, 0, 0, 0, 0, ...ip4(target)];
}

/** A packet as the filter sees it. */
export interface TestPacket {
  bytes: Uint8Array;
  caplen: number;
  wirelen: number;
}

/** Makes a packet, optionally captured short. */
export function packet(bytes: number[], caplen = bytes.length): TestPacket {
  return { bytes: Uint8Array.from(bytes.slice(0, caplen)), caplen: Math.min(caplen, bytes.length), wirelen: bytes.length };
}
