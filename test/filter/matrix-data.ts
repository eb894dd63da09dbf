/** The 19-packet matrix of FILTER-SEMANTICS.md §7, built byte by byte. */
import {
  MAC_A,
  MAC_B,
  MAC_BROADCAST,
  TCP_ACK,
  TCP_CWR,
  TCP_ECE,
  TCP_FIN,
  TCP_PSH,
  TCP_RST,
  TCP_SYN,
  TCP_URG,
  arpRequest,
  ether,
  ext8,
  frag6,
  icmpEcho,
  ipv4,
  ipv6,
  packet,
  tcp,
  udp,
  vlanEther,
  type TestPacket,
} from './packets.js';

const A = '10.0.0.1';
const B = '10.0.0.2';
const V6A = '2001:db8::1';
const V6B = '2001:db8::2';
const MAC_MDNS = [0x01, 0x00, 0x5e, 0x00, 0x00, 0xfb];

/** The matrix, frame 1 first. */
export function matrix(): TestPacket[] {
  const e4 = (payload: number[], dst = MAC_B): number[] => ether(dst, MAC_A, 0x0800, payload);
  const e6 = (payload: number[]): number[] => ether(MAC_B, MAC_A, 0x86dd, payload);
  const dnsQuery = [0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 7, ...Buffer.from('example'), 3, ...Buffer.from('com'), 0, 0, 1, 0, 1];
  return [
    /* 1 */ packet(e4(ipv4(A, B, 6, tcp(40000, 80, TCP_SYN)))),
    /* 2 */ packet(ether(MAC_A, MAC_B, 0x0800, ipv4(B, A, 6, tcp(80, 40000, TCP_SYN | TCP_ACK)))),
    /* 3 */ packet(e4(ipv4(A, B, 6, tcp(80, 80, TCP_ACK), { fragOffset: 185 }))),
    /* 4 */ packet(e4(ipv4(A, B, 6, tcp(40001, 80, TCP_SYN), { options: [1, 1, 1, 0] }))),
    /* 5 */ packet(e6(ipv6(V6A, V6B, 6, tcp(40000, 80, TCP_SYN)))),
    /* 6 */ packet(e6(ipv6(V6A, V6B, 0, [...ext8(6), ...tcp(40000, 80, TCP_SYN)]))),
    /* 7 */ packet(e6(ipv6(V6A, V6B, 44, [...frag6(6, 0, false), ...tcp(40000, 80, TCP_SYN)]))),
    /* 8 */ packet(ether(MAC_BROADCAST, MAC_A, 0x0806, arpRequest(MAC_A, A, B))),
    /* 9 */ packet(vlanEther(MAC_B, MAC_A, 100, 0x0800, ipv4(A, B, 6, tcp(40002, 80, TCP_SYN)))),
    /* 10 */ packet(e4(ipv4(A, B, 17, udp(33333, 53, dnsQuery)))),
    /* 11 */ packet(e4(ipv4(A, B, 1, icmpEcho()))),
    /* 12 */ packet(e4(ipv4(A, B, 6, tcp(40003, 22, TCP_FIN | TCP_PSH | TCP_URG)))),
    /* 13 */ packet(e4(ipv4(A, B, 6, tcp(40004, 22, 0)))),
    /* 14 */ packet(e4(ipv4(A, B, 6, tcp(40005, 443, TCP_SYN | TCP_ECE | TCP_CWR)))),
    /* 15 */ packet(e4(ipv4(A, '10.0.0.255', 17, udp(138, 138, [1, 2, 3, 4])), MAC_BROADCAST)),
    /* 16 */ packet(e4(ipv4(A, '224.0.0.251', 17, udp(5353, 5353, [0, 0, 0, 0])), MAC_MDNS)),
    /* 17 */ packet(ether(MAC_A, MAC_B, 0x0800, ipv4(B, A, 6, tcp(22, 40003, TCP_RST)))),
    /* 18 */ packet(ether(MAC_A, MAC_B, 0x0800, ipv4(B, A, 6, tcp(80, 40000, TCP_PSH | TCP_ACK, new Array<number>(946).fill(0)))), 100),
    /* 19 */ packet(e4(ipv4('10.0.1.5', B, 6, tcp(40006, 80, TCP_SYN)))),
  ];
}

