/** Decoded packets filled by hand, for the flow table's tests. */
import { DecodedPacket } from '../../src/decode/packet.js';
import { IPPROTO_UDP } from '../../src/wire/ipv4.js';

/** Fills `p` as a packet at time `t` (seconds) between two IPv4 addresses given as numbers. */
export function pkt(p: DecodedPacket, t: number, src: number, sport: number, dst: number, dport: number, proto = IPPROTO_UDP, flags = -1): DecodedPacket {
  p.reset();
  p.tsSec = Math.floor(t);
  p.tsNsec = Math.round((t - Math.floor(t)) * 1e9);
  p.ipVersion = 4;
  p.src[3] = src;
  p.dst[3] = dst;
  p.protocol = proto;
  p.srcPort = sport;
  p.dstPort = dport;
  p.tcpFlags = flags;
  p.ipLength = 40;
  return p;
}
