/**
 * Turns the syntax tree into tests on packet bytes for one link type, primitive by primitive as libpcap
 * 1.10's gencode.c expands them (the checks, their order, the offsets and the error messages).
 *
 * Order matters in two ways, both kept: `vlan` shifts the offsets of everything parsed after it (gencode
 * mutates its state as the parser reduces), and a load past the captured bytes rejects the packet at once,
 * so the protocol checks gencode puts before a load must stay before it.
 */
import {
  DLT_RAW_12,
  DLT_RAW_14,
  LINKTYPE_ETHERNET,
  LINKTYPE_IPV4,
  LINKTYPE_IPV6,
  LINKTYPE_LINUX_SLL,
  LINKTYPE_LINUX_SLL2,
  LINKTYPE_LOOP,
  LINKTYPE_NULL,
  LINKTYPE_RAW,
  linkTypeDescription,
} from '../capture/link-types.js';
import type { Arith, FilterNode, IdValue, Qualifiers } from './ast.js';
import { FilterError, SYNTAX_ERROR } from './errors.js';
import {
  FALSE,
  TRUE,
  add,
  allOf,
  and,
  anyOf,
  c,
  eq,
  eqMasked,
  ge,
  gt,
  jset,
  ld,
  not,
  or,
  type Pred,
  type Val,
} from './ir.js';
import { IPPROTO_SCTP, IPPROTO_TCP, IPPROTO_UDP, PROTO_UNDEF, lookupEtherProto, lookupHost, lookupIpProto, lookupLlc, lookupPort } from './services.js';

export const ETHERTYPE_IP = 0x0800;
export const ETHERTYPE_ARP = 0x0806;
export const ETHERTYPE_REVARP = 0x8035;
export const ETHERTYPE_IPV6 = 0x86dd;
export const ETHERTYPE_8021Q = 0x8100;
export const ETHERTYPE_8021AD = 0x88a8;
export const ETHERTYPE_8021QINQ = 0x9100;
export const ETHERMTU = 1500;
/** Linux cooked capture: packet type of an outgoing packet; protocol value of an 802.2 LLC frame. */
export const LINUX_SLL_OUTGOING = 4;
export const LINUX_SLL_P_802_2 = 4;
export const IPPROTO_FRAGMENT = 44;
export const IPPROTO_ICMPV6 = 58;

/** Ethernet header fields (IEEE 802.3): dst 0..5, src 6..11, EtherType 12..13. */
export const ETHER_DST = 0;
export const ETHER_SRC = 6;
export const ETHER_TYPE = 12;
export const ETHER_HEADER_LEN = 14;
/** Linux cooked v1: packet type 0..1, ..., protocol 14..15, header 16 bytes. */
export const SLL_PKTTYPE = 0;
export const SLL_PROTOCOL = 14;
export const SLL_HEADER_LEN = 16;
/** Linux cooked v2: protocol 0..1, reserved, ifindex 4..7, hatype, packet type 10, header 20 bytes. */
export const SLL2_PROTOCOL = 0;
export const SLL2_IFINDEX = 4;
export const SLL2_PKTTYPE = 10;
export const SLL2_HEADER_LEN = 20;
/** IPv4 (RFC 791): fragment field 6..7, protocol 9, source 12, destination 16. */
export const IP_FRAG = 6;
export const IP_PROTO = 9;
export const IP_SRC = 12;
export const IP_DST = 16;
/** IPv6 (RFC 8200): next header 6, source 8, destination 24, header 40 bytes. */
export const IP6_NXT = 6;
export const IP6_SRC = 8;
export const IP6_DST = 24;
export const IP6_HEADER_LEN = 40;
/** ARP (RFC 826) for IPv4 over Ethernet: sender protocol address 14, target protocol address 24. */
export const ARP_SPA = 14;
export const ARP_TPA = 24;

/** BSD AF_ values libpcap matches for IPv6 on DLT_NULL/DLT_LOOP (NetBSD/OpenBSD 24, FreeBSD 28, Darwin 30). */
const BSD_AF_INET6 = [30, 24, 28];
const AF_INET = 2;

/** Options that change what the expression means. */
export interface GenOptions {
  ipv6Transport: boolean;
  /** For LINKTYPE_NULL: the capture file is big-endian (its AF_ values are stored that way). */
  bigEndianFile: boolean;
}

/** IP protocol numbers of the transport keywords (gen_proto_abbrev). */
const TRANSPORT_PROTO: Readonly<Record<string, number>> = {
  sctp: IPPROTO_SCTP, tcp: IPPROTO_TCP, udp: IPPROTO_UDP, icmp: 1, igmp: 2, igrp: 9, pim: 103, vrrp: 112, carp: 112,
};
const LLCSAP_ISONS = 0xfe;
/** OSI network-layer protocol identifiers (ISO 9577). */
const OSI_NLPID: Readonly<Record<string, number>> = { clnp: 0x81, esis: 0x82, isis: 0x83 };
/** IS-IS PDU types per keyword, in libpcap's order. */
const ISIS_PDU_TYPES: Readonly<Record<string, readonly number[]>> = {
  l1: [0x1a, 0x18, 0x12, 0x0f, 0x11], l2: [0x1b, 0x19, 0x14, 0x10, 0x11], iih: [0x11, 0x0f, 0x10], lsp: [0x12, 0x14],
  snp: [0x18, 0x19, 0x1a, 0x1b], csnp: [0x18, 0x19], psnp: [0x1a, 0x1b],
};
/** EtherTypes of the network keywords. */
const NETWORK_ETHERTYPE: Readonly<Record<string, number>> = {
  ip: ETHERTYPE_IP, ip6: ETHERTYPE_IPV6, arp: ETHERTYPE_ARP, rarp: ETHERTYPE_REVARP, atalk: 0x809b, aarp: 0x80f3,
  decnet: 0x6003, lat: 0x6004, sca: 0x6007, moprc: 0x6002, mopdl: 0x6001,
};

function err(problem: string, column = 0): never {
  throw new FilterError(problem, column);
}

/** Parses a dotted IPv4 form as libpcap's `__pcap_atoin`: the value and the number of bits written. */
function atoin(s: string): { v: number; bits: number } | undefined {
  let v = 0;
  let bits = 0;
  let i = 0;
  for (;;) {
    let n = 0;
    while (i < s.length && s[i]! >= '0' && s[i]! <= '9') n = n * 10 + (s.charCodeAt(i++) - 48);
    if (n > 255) return undefined;
    v = ((v << 8) | n) >>> 0;
    bits += 8;
    if (i >= s.length) return { v, bits };
    i++;
  }
}

/** Parses an IPv6 address into four 32-bit words, or undefined when it is not one. */
export function parseIpv6(s: string): number[] | undefined {
  let text = s;
  const words: number[] = [];
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  let v4: number[] = [];
  if (tail !== null) {
    const parts = tail[1]!.split('.').map(Number);
    if (parts.some((p) => p > 255)) return undefined;
    v4 = [(parts[0]! << 8) | parts[1]!, (parts[2]! << 8) | parts[3]!];
    text = text.slice(0, -tail[1]!.length);
    if (text.endsWith(':') && !text.endsWith('::')) text = text.slice(0, -1);
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const parse = (h: string): number[] => (h === '' ? [] : h.split(':').map((g) => parseInt(g, 16)));
  const left = parse(halves[0]!);
  const right = halves.length === 2 ? parse(halves[1]!) : [];
  const total = left.length + right.length + v4.length;
  let groups: number[];
  if (halves.length === 2) {
    if (total > 7) return undefined;
    groups = [...left, ...new Array<number>(8 - total).fill(0), ...right, ...v4];
  } else {
    if (total !== 8) return undefined;
    groups = [...left, ...v4];
  }
  if (groups.some((g) => Number.isNaN(g) || g > 0xffff)) return undefined;
  for (let i = 0; i < 4; i++) words.push(((groups[2 * i]! << 16) | groups[2 * i + 1]!) >>> 0);
  return words;
}

/** Parses a MAC address in any of the forms the lexer accepts into 6 bytes. */
function parseMac(s: string): number[] {
  const hex = s.includes(':') || s.includes('-') || (s.split('.').length === 6)
    ? s.split(/[:.-]/).map((b) => b.padStart(2, '0')).join('')
    : s.replace(/\./g, '');
  const out: number[] = [];
  for (let i = 0; i < 12; i += 2) out.push(parseInt(hex.slice(i, i + 2), 16));
  return out;
}

/** Generates the tests of a syntax tree for one link type. */
export class CodeGenerator {
  /** Bytes added to the link-type and network offsets by the `vlan` keywords seen so far. */
  private vlanShift = 0;
  private readonly desc: string;
  /** MPLS labels (`mpls` keywords) seen so far, and the bytes they add before the network header. */
  private mplsDepth = 0;
  /** After `pppoes`: absolute offset of the PPP protocol field, and the bytes PPPoE adds. */
  private pppProtoOffset: number | undefined;
  private encapShift = 0;

  constructor(
    private readonly linkType: number,
    private readonly options: GenOptions,
  ) {
    this.desc = linkTypeDescription(linkType) ?? String(linkType);
  }

  private get isEther(): boolean {
    return this.linkType === LINKTYPE_ETHERNET;
  }

  private get isRaw(): boolean {
    return this.linkType === LINKTYPE_RAW || this.linkType === DLT_RAW_12 || this.linkType === DLT_RAW_14;
  }

  /** Offset of the network-layer header (libpcap's off_linkpl + off_nl). */
  private get nl(): number {
    return this.linkNl + this.encapShift;
  }

  private get linkNl(): number {
    switch (this.linkType) {
      case LINKTYPE_ETHERNET:
        return ETHER_HEADER_LEN + this.vlanShift;
      case LINKTYPE_LINUX_SLL:
        return SLL_HEADER_LEN;
      case LINKTYPE_LINUX_SLL2:
        return SLL2_HEADER_LEN;
      case LINKTYPE_NULL:
      case LINKTYPE_LOOP:
        return 4;
      default:
        return 0;
    }
  }

  /** Tests that the link layer carries `proto` (an EtherType, or an LLC SAP when <= 1500): gen_linktype. */
  linktype(proto: number): Pred {
    if (this.mplsDepth > 0) {
      // Inside MPLS: the last label has its bottom-of-stack bit, and the IP version nibble says the rest.
      const version = proto === ETHERTYPE_IP ? 0x40 : proto === ETHERTYPE_IPV6 ? 0x60 : -1;
      if (version < 0) return FALSE;
      return and(eqMasked(ld(this.nl - 2, 1), 0x01, 0x01, 8), eqMasked(ld(this.nl, 1), 0xf0, version, 8));
    }
    if (this.pppProtoOffset !== undefined) {
      const ppp = proto === ETHERTYPE_IP ? 0x21 : proto === ETHERTYPE_IPV6 ? 0x57 : proto;
      return eq(ld(this.pppProtoOffset, 2), ppp);
    }
    switch (this.linkType) {
      case LINKTYPE_ETHERNET: {
        const type = ld(ETHER_TYPE + this.vlanShift, 2);
        if (proto <= ETHERMTU) {
          const llc = this.nl;
          const isLlc = not(gt(type, ETHERMTU));
          if (proto === 0xfe || proto === 0x06 || proto === 0xf0) return and(isLlc, eq(ld(llc, 2), (proto << 8) | proto));
          return and(isLlc, eq(ld(llc, 1), proto));
        }
        return eq(type, proto);
      }
      case LINKTYPE_LINUX_SLL: {
        const type = ld(SLL_PROTOCOL, 2);
        if (proto <= ETHERMTU) {
          if (proto === 0xfe || proto === 0x06 || proto === 0xf0) return and(eq(type, LINUX_SLL_P_802_2), eq(ld(SLL_HEADER_LEN, 2), (proto << 8) | proto));
          return and(eq(type, LINUX_SLL_P_802_2), eq(ld(SLL_HEADER_LEN, 1), proto));
        }
        return eq(type, proto);
      }
      case LINKTYPE_LINUX_SLL2:
        // libpcap 1.10 compares the protocol field even with an LLC SAP (`stp` tests protocol == 0x42).
        return eq(ld(SLL2_PROTOCOL, 2), proto);
      case LINKTYPE_NULL:
      case LINKTYPE_LOOP: {
        const afs = proto === ETHERTYPE_IP ? [AF_INET] : proto === ETHERTYPE_IPV6 ? BSD_AF_INET6 : [];
        // DLT_NULL stores the AF_ value in the capturing host's byte order, which is the file's; DLT_LOOP in network order.
        const swap = this.linkType === LINKTYPE_NULL && !this.options.bigEndianFile;
        const word = ld(0, 4);
        return anyOf(...afs.map((af) => eq(word, swap ? (((af & 0xff) << 24) | ((af & 0xff00) << 8)) >>> 0 : af)));
      }
      case LINKTYPE_IPV4:
        return proto === ETHERTYPE_IP ? TRUE : FALSE;
      case LINKTYPE_IPV6:
        return proto === ETHERTYPE_IPV6 ? TRUE : FALSE;
      default:
        if (this.isRaw) {
          if (proto === ETHERTYPE_IP) return eq({ k: 'bin', op: '&', a: ld(0, 1), b: c(0xf0) }, 0x40);
          if (proto === ETHERTYPE_IPV6) return eq({ k: 'bin', op: '&', a: ld(0, 1), b: c(0xf0) }, 0x60);
          return FALSE;
        }
        return err(`unsupported link type ${this.linkType}`);
    }
  }

  /** IPv4 unfragmented or first fragment: `ip[6:2] & 0x1fff == 0` (gen_ipfrag). */
  private ipFirstFragment(): Pred {
    return not(jset(ld(this.nl + IP_FRAG, 2), 0x1fff));
  }

  /** The IPv4 transport header offset: nl + 4 * (ip[0] & 0xf), as BPF's `ldxb 4*([nl]&0xf)`. */
  private ipv4Transport(): Val {
    return add(c(this.nl), { k: 'bin', op: '*', a: { k: 'bin', op: '&', a: ld(this.nl, 1), b: c(0xf) }, b: c(4) });
  }

  /** `proto N` for a network protocol (gen_proto); dir must be default. */
  private genProto(v: number, proto: string, dir: string, column: number): Pred {
    if (dir !== 'default') err("direction applied to 'proto'", column);
    switch (proto) {
      case 'default':
        return or(this.genProto(v, 'ip', dir, column), this.genProto(v, 'ip6', dir, column));
      case 'link':
        return this.linktype(v);
      case 'ip':
        return and(this.linktype(ETHERTYPE_IP), eq(ld(this.nl + IP_PROTO, 1), v));
      case 'ip6': {
        const nxt = ld(this.nl + IP6_NXT, 1);
        // Also accept the protocol behind exactly one Fragment header (no further walk).
        const frag = and(eq(nxt, IPPROTO_FRAGMENT), eq(ld(this.nl + IP6_HEADER_LEN, 1), v));
        return and(this.linktype(ETHERTYPE_IPV6), or(eq(nxt, v), frag));
      }
      case 'arp':
      case 'rarp':
        return err(`${proto} does not encapsulate another protocol`, column);
      default:
        return err(`'${proto} proto' is bogus`, column);
    }
  }

  /** A bare protocol keyword (gen_proto_abbrev). */
  protoAbbrev(proto: string, column: number): Pred {
    switch (proto) {
      case 'sctp':
      case 'tcp':
      case 'udp':
      case 'pim':
        if (this.options.ipv6Transport && proto !== 'pim') {
          // libpcap's test (which also matches non-first IPv6 fragments), or the protocol after any extension headers.
          return or(this.genProto(TRANSPORT_PROTO[proto]!, 'default', 'default', column), and(this.linktype(ETHERTYPE_IPV6), { k: 'v6proto', nl: this.nl, protos: [TRANSPORT_PROTO[proto]!] }));
        }
        return this.genProto(TRANSPORT_PROTO[proto]!, 'default', 'default', column);
      case 'icmp':
      case 'igmp':
      case 'igrp':
      case 'vrrp':
      case 'carp':
        return this.genProto(TRANSPORT_PROTO[proto]!, 'ip', 'default', column);
      case 'icmp6':
        return this.genProto(IPPROTO_ICMPV6, 'ip6', 'default', column);
      case 'ah':
        return this.genProto(51, 'default', 'default', column);
      case 'esp':
        return this.genProto(50, 'default', 'default', column);
      case 'stp':
      case 'netbeui':
      case 'iso':
        return this.linktype(lookupLlc(proto)!);
      case 'esis':
      case 'clnp':
      case 'isis':
        // OSI network protocol identifier after the 3-byte LLC header.
        // (libpcap reads it right at the network offset on the cooked link types.)
        return and(this.linktype(LLCSAP_ISONS), eq(ld(this.nl + (this.isEther ? 3 : 0), 1), OSI_NLPID[proto]!));
      case 'l1':
      case 'l2':
      case 'iih':
      case 'lsp':
      case 'snp':
      case 'csnp':
      case 'psnp': {
        // IS-IS PDU types (the byte after the NLPID and the IS-IS header's first fields).
        const type = ld(this.nl + (this.isEther ? 7 : 4), 1);
        return and(this.protoAbbrev('isis', column), anyOf(...ISIS_PDU_TYPES[proto]!.map((t) => eq(type, t))));
      }
      case 'ipx': {
        const nl = this.nl;
        const snap = (): Pred => and(eq(ld(nl + 4, 4), 0x8137), eq(ld(nl, 4), 0xaaaa0300));
        if (this.linkType === LINKTYPE_LINUX_SLL) {
          // Ethernet II IPX, Novell raw 802.3 (protocol 1), or 802.2 with the IPX SAP or SNAP.
          const proto = ld(SLL_PROTOCOL, 2);
          return anyOf(eq(proto, 0x8137), eq(proto, 1), and(eq(proto, LINUX_SLL_P_802_2), or(eq(ld(nl, 1), 0xe0), snap())));
        }
        if (!this.isEther) return this.linktype(0xe0);
        const type = ld(ETHER_TYPE + this.vlanShift, 2);
        // Ethernet II, or 802.3 with SNAP (OUI 0, type 0x8137), with the IPX SAP, or Novell's raw 802.3 (0xffff).
        const llc = anyOf(snap(), eq(ld(nl, 1), 0xe0), eq(ld(nl, 2), 0xffff));
        return or(eq(type, 0x8137), and(not(gt(type, ETHERMTU)), llc));
      }
      case 'link':
        return err('link layer applied in wrong context', column);
      default: {
        const type = NETWORK_ETHERTYPE[proto];
        if (type !== undefined) return this.linktype(type);
        return err(`'${proto}' is not supported by pcapsift`, column);
      }
    }
  }

  /** Applies a direction to a pair of source/destination tests (gen_hostop and friends). */
  private direction(dir: string, src: () => Pred, dst: () => Pred, what: string, column: number): Pred {
    switch (dir) {
      case 'src':
        return src();
      case 'dst':
        return dst();
      case 'src and dst':
        return and(src(), dst());
      case 'default':
      case 'src or dst':
        return or(src(), dst());
      case 'addr1':
      case 'addr2':
      case 'addr3':
      case 'addr4':
        return err(`'${dir}' and 'address${dir.slice(4)}' are ${what === 'ports' ? 'not valid qualifiers for ports' : 'only supported on 802.11 with 802.11 headers'}`, column);
      default:
        return err(`'${dir}' is ${what === 'ports' ? 'not a valid qualifier for ports' : 'only supported on 802.11'}`, column);
    }
  }

  /** IPv4 host or network (gen_host): `proto` default means IP, ARP and RARP. */
  private host4(addr: number, mask: number, proto: string, dir: string, type: string, column: number): Pred {
    const op = (ethertype: number, srcOff: number, dstOff: number): Pred => {
      const nl = this.nl;
      const test = (off: number): Pred => eqMasked(ld(nl + off, 4), mask, addr & mask, 32);
      return and(this.linktype(ethertype), this.direction(dir, () => test(srcOff), () => test(dstOff), 'host', column));
    };
    switch (proto) {
      case 'default':
        return or(or(op(ETHERTYPE_IP, IP_SRC, IP_DST), op(ETHERTYPE_ARP, ARP_SPA, ARP_TPA)), op(ETHERTYPE_REVARP, ARP_SPA, ARP_TPA));
      case 'ip':
        return op(ETHERTYPE_IP, IP_SRC, IP_DST);
      case 'arp':
        return op(ETHERTYPE_ARP, ARP_SPA, ARP_TPA);
      case 'rarp':
        return op(ETHERTYPE_REVARP, ARP_SPA, ARP_TPA);
      case 'link':
        return err(`link-layer modifier applied to ${type}`, column);
      case 'ip6':
        return err(`'ip6' modifier applied to ip ${type}`, column);
      default:
        return err(`'${proto}' modifier applied to ${type}`, column);
    }
  }

  /** IPv6 host or network (gen_host6). */
  private host6(addr: number[], mask: number[], proto: string, dir: string, type: string, column: number): Pred {
    if (proto !== 'default' && proto !== 'ip6') {
      if (proto === 'link') err(`link-layer modifier applied to ip6 ${type}`, column);
      err(`'${proto}' modifier applied to ip6 ${type}`, column);
    }
    const nl = this.nl;
    const test = (off: number): Pred => {
      const words: Pred[] = [];
      for (let i = 0; i < 4; i++) if (mask[i] !== 0) words.push(eqMasked(ld(nl + off + 4 * i, 4), mask[i]!, addr[i]! & mask[i]!, 32));
      return allOf(...words);
    };
    return and(this.linktype(ETHERTYPE_IPV6), this.direction(dir, () => test(IP6_SRC), () => test(IP6_DST), 'host', column));
  }

  /** Ethernet address (gen_ehostop): compares the last 4 bytes, then the first 2, as libpcap's gen_bcmp. */
  private etherHost(mac: number[], dir: string, column: number): Pred {
    if (!this.isEther) err('ethernet addresses supported only on ethernet/FDDI/token ring/802.11/ATM LANE/Fibre Channel', column);
    const test = (off: number): Pred =>
      and(eq(ld(off + 2, 4), ((mac[2]! << 24) | (mac[3]! << 16) | (mac[4]! << 8) | mac[5]!) >>> 0), eq(ld(off, 2), (mac[0]! << 8) | mac[1]!));
    return this.direction(dir, () => test(ETHER_SRC), () => test(ETHER_DST), 'host', column);
  }

  /** The transport protocol test and port tests for IPv4 and IPv6 (gen_port, gen_port6, and the range forms). */
  private ports(lo: number, hi: number, ipProto: number, dir: string, column: number, range = false): Pred {
    const protos = ipProto === PROTO_UNDEF ? [IPPROTO_TCP, IPPROTO_UDP, IPPROTO_SCTP] : [ipProto];
    const atom = (base: Val, off: number): Pred => {
      const v = ld(add(base, c(off)), 2);
      // portrange tests `>= lo and <= hi` even when lo == hi (the optimizer sees no equality there).
      return range ? and(ge(v, lo), not(gt(v, hi))) : eq(v, lo);
    };
    const portop = (base: () => Val): Pred => this.direction(dir, () => atom(base(), 0), () => atom(base(), 2), 'ports', column);
    // IPv4: protocol, first fragment only, ports after the variable-length header.
    const v4 = and(
      this.linktype(ETHERTYPE_IP),
      anyOf(...protos.map((p) => and(and(eq(ld(this.nl + IP_PROTO, 1), p), this.ipFirstFragment()), portop(() => this.ipv4Transport())))),
    );
    // IPv6: the next-header field only, transport header at the fixed offset 40.
    let v6: Pred;
    if (this.options.ipv6Transport) {
      const nl = this.nl;
      v6 = and(this.linktype(ETHERTYPE_IPV6), and({ k: 'v6proto', nl, protos }, portop(() => ({ k: 'v6tran', nl, protos }))));
    } else {
      v6 = and(this.linktype(ETHERTYPE_IPV6), anyOf(...protos.map((p) => and(eq(ld(this.nl + IP6_NXT, 1), p), portop(() => c(this.nl + IP6_HEADER_LEN))))));
    }
    return or(v6, v4);
  }

  private portProto(proto: string, column: number): number {
    switch (proto) {
      case 'udp':
        return IPPROTO_UDP;
      case 'tcp':
        return IPPROTO_TCP;
      case 'sctp':
        return IPPROTO_SCTP;
      case 'default':
        return PROTO_UNDEF;
      default:
        return err("illegal qualifier of 'port'", column);
    }
  }

  /** `protochain N` (gen_protochain). */
  private protochain(v: number, proto: string, column: number): Pred {
    switch (proto) {
      case 'default':
        return or(this.protochain(v, 'ip', column), this.protochain(v, 'ip6', column));
      case 'ip':
        return and(this.linktype(ETHERTYPE_IP), { k: 'chain', v6: false, nl: this.nl, proto: v });
      case 'ip6':
        return and(this.linktype(ETHERTYPE_IPV6), { k: 'chain', v6: true, nl: this.nl, proto: v });
      default:
        return err("bad protocol applied for 'protochain'", column);
    }
  }

  /** An ID under its qualifiers: gen_ncode (numbers, IPv4 forms), gen_mcode, gen_mcode6, gen_ecode, gen_scode. */
  primitive(q: Qualifiers, id: IdValue, column: number): Pred {
    if (q.addr === 'undef') err('syntax error in filter expression', column);
    const { proto, dir, addr } = q;
    const typeName = addr === 'net' ? 'net' : 'host';
    switch (id.type) {
      case 'num':
      case 'hid': {
        let v: number;
        let bits = 32;
        if (id.type === 'num') v = id.value;
        else {
          const r = atoin(id.text);
          if (r === undefined) return err(`invalid IPv4 address '${id.text}'`, column);
          v = r.v;
          bits = r.bits;
        }
        switch (addr) {
          case 'default':
          case 'host':
          case 'net': {
            if (proto === 'link') err('illegal link layer address', column);
            let mask = 0xffffffff;
            if (id.type === 'num' && addr === 'net') {
              // Promote a short net number: `net 10` is 10.0.0.0/8.
              while (v !== 0 && (v & 0xff000000) === 0) {
                v = (v << 8) >>> 0;
                mask = (mask << 8) >>> 0;
              }
            } else {
              // Promote a short address: `host 10.0.0` is 10.0.0.0/24.
              v = bits === 32 ? v : (v << (32 - bits)) >>> 0;
              mask = bits === 32 ? mask : (mask << (32 - bits)) >>> 0;
            }
            return this.host4(v, mask, proto, dir, typeName, column);
          }
          case 'port':
          case 'portrange': {
            if (id.type === 'hid') err(`'${addr}' modifier applied to IP address`, column);
            const ipProto = this.portProto(proto, column);
            if (v > 65535) err(`illegal port number ${v} > 65535`, column);
            return this.ports(v, v, ipProto, dir, column, addr === 'portrange');
          }
          case 'proto':
            if (id.type === 'hid') err("'proto' modifier applied to IP address", column);
            return this.genProto(v, proto, dir, column);
          case 'protochain':
            if (id.type === 'hid') err("'protochain' modifier applied to IP address", column);
            return this.protochain(v, proto, column);
          case 'gateway':
            return err("'gateway' requires a name", column);
          default:
            return err('syntax error in filter expression', column);
        }
      }
      case 'hid-bits':
      case 'hid-mask': {
        if (addr === 'port' || addr === 'portrange' || addr === 'proto' || addr === 'protochain') {
          err(`'${addr}' modifier applied to IP address and ${id.type === 'hid-bits' ? 'prefix length' : 'netmask'}`, column);
        }
        const n = atoin(id.text);
        if (n === undefined) return err(`invalid IPv4 address '${id.text}'`, column);
        const net = n.bits === 32 ? n.v : (n.v << (32 - n.bits)) >>> 0;
        let m: number;
        if (id.type === 'hid-bits') {
          if (id.bits > 32) err('mask length must be <= 32', column);
          m = id.bits === 0 ? 0 : (0xffffffff << (32 - id.bits)) >>> 0;
          if ((net & ~m) >>> 0 !== 0) err(`non-network bits set in "${id.text}/${id.bits}"`, column);
        } else {
          const mm = atoin(id.mask);
          if (mm === undefined) return err(`invalid IPv4 address '${id.mask}'`, column);
          m = mm.bits === 32 ? mm.v : (mm.v << (32 - mm.bits)) >>> 0;
          if ((net & ~m) >>> 0 !== 0) err(`non-network bits set in "${id.text} mask ${id.mask}"`, column);
        }
        if (addr !== 'net' && addr !== 'default') err('Mask syntax for networks only', column);
        return this.host4(net, m, proto, dir, 'net', column);
      }
      case 'hid6': {
        if (addr === 'port' || addr === 'portrange' || addr === 'proto' || addr === 'protochain') err(`'${addr}' modifier applied to IP address`, column);
        const a = parseIpv6(id.text);
        if (a === undefined) return err(`bogus IPv6 address ${id.text}`, column);
        const bits = id.bits ?? 128;
        if (bits > 128) err('mask length must be <= 128', column);
        const mask = [0, 1, 2, 3].map((i) => {
          const b = Math.max(0, Math.min(32, bits - 32 * i));
          return b === 0 ? 0 : (0xffffffff << (32 - b)) >>> 0;
        });
        if (a.some((w, i) => ((w & ~mask[i]!) >>> 0) !== 0)) err(`non-network bits set in "${id.text}/${bits}"`, column);
        if (addr === 'default' || addr === 'host') {
          if (bits !== 128) err('Mask syntax for networks only', column);
        } else if (addr !== 'net') {
          err('invalid qualifier against IPv6 address', column);
        }
        return this.host6(a, mask, proto, dir, addr === 'net' ? 'net' : 'host', column);
      }
      case 'eid':
        if ((addr === 'host' || addr === 'default') && proto === 'link') return this.etherHost(parseMac(id.text), dir, column);
        return err('ethernet address used in non-ether expression', column);
      case 'aid':
        return err('ARCnet addresses are not supported on this link type', column);
      case 'name':
        return this.named(q, id.text, column);
    }
  }

  /** An ID that is a name (gen_scode). */
  private named(q: Qualifiers, name: string, column: number): Pred {
    const { proto, dir, addr } = q;
    switch (addr) {
      case 'net':
        return err(`unknown network '${name}'`, column);
      case 'default':
      case 'host': {
        if (proto === 'link') {
          if (!this.isEther) err('ethernet addresses supported only on ethernet/FDDI/token ring/802.11/ATM LANE/Fibre Channel', column);
          return err(`unknown ether host '${name}'`, column);
        }
        const r = lookupHost(name);
        const tests: Pred[] = [];
        if (r !== undefined) {
          if (proto !== 'ip6') for (const a of r.v4) tests.push(this.host4(atoin(a)!.v, 0xffffffff, proto, dir, 'host', column));
          if (proto !== 'ip' && proto !== 'arp' && proto !== 'rarp') {
            for (const a of r.v6) {
              const w = parseIpv6(a);
              if (w !== undefined) tests.push(this.host6(w, [0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff], proto, dir, 'host', column));
            }
          }
        }
        if (tests.length === 0) err(`unknown host '${name}'${proto === 'default' ? '' : ' for specified address family'}`, column);
        return anyOf(...tests);
      }
      case 'port': {
        if (proto !== 'default' && proto !== 'udp' && proto !== 'tcp' && proto !== 'sctp') err("illegal qualifier of 'port'", column);
        const p = lookupPort(name);
        if (p === undefined) return err(`unknown port '${name}'`, column);
        return this.ports(p.port, p.port, this.narrowPortProto(proto, p.proto, name, column), dir, column);
      }
      case 'portrange': {
        if (proto !== 'default' && proto !== 'udp' && proto !== 'tcp' && proto !== 'sctp') err("illegal qualifier of 'portrange'", column);
        const r = this.portRange(name);
        if (r === undefined) return err(`unknown port in range '${name}'`, column);
        if (r.lo > 65535) err(`illegal port number ${r.lo} > 65535`, column);
        if (r.hi > 65535) err(`illegal port number ${r.hi} > 65535`, column);
        const [lo, hi] = r.lo > r.hi ? [r.hi, r.lo] : [r.lo, r.hi];
        return this.ports(lo, hi, this.narrowPortProto(proto, r.proto, name, column), dir, column, true);
      }
      case 'proto': {
        let v: number | undefined;
        if (proto === 'default' || proto === 'ip' || proto === 'ip6') {
          v = lookupIpProto(name);
          if (v === undefined) err(`unknown ip proto '${name}'`, column);
        } else if (proto === 'link') {
          v = lookupEtherProto(name) ?? lookupLlc(name);
          if (v === undefined) err(`unknown ether proto '${name}'`, column);
        } else {
          v = PROTO_UNDEF;
        }
        return this.genProto(v, proto, dir, column);
      }
      case 'protochain': {
        const v = lookupIpProto(name);
        if (v === undefined) return err(`unknown ip proto '${name}'`, column);
        return this.protochain(v, proto, column);
      }
      case 'gateway':
        return err("'gateway' not supported in this configuration", column);
      default:
        return err('syntax error in filter expression', column);
    }
  }

  /** `udp port domain`: the qualifier picks the transport; a name known for another one only is an error. */
  private narrowPortProto(proto: string, real: number, name: string, column: number): number {
    const want = proto === 'udp' ? IPPROTO_UDP : proto === 'tcp' ? IPPROTO_TCP : proto === 'sctp' ? IPPROTO_SCTP : PROTO_UNDEF;
    if (want === PROTO_UNDEF) return real;
    if (real !== PROTO_UNDEF && real !== want) err(`port '${name}' is ${real === IPPROTO_TCP ? 'tcp' : real === IPPROTO_UDP ? 'udp' : 'sctp'}`, column);
    return want;
  }

  /** `pcap_nametoportrange`: `N-M` as sscanf("%d-%d") reads it, else two service names. */
  private portRange(name: string): { lo: number; hi: number; proto: number } | undefined {
    const m = /^\s*([+-]?\d+)-\s*([+-]?\d+)/.exec(name);
    if (m !== null) return { lo: Number(m[1]) >>> 0, hi: Number(m[2]) >>> 0, proto: PROTO_UNDEF };
    const dash = name.indexOf('-');
    if (dash < 0) return undefined;
    const a = lookupPort(name.slice(0, dash));
    const b = lookupPort(name.slice(dash + 1));
    if (a === undefined || b === undefined) return undefined;
    return { lo: a.port, hi: b.port, proto: a.proto === b.proto ? a.proto : PROTO_UNDEF };
  }

  /** Evaluates an arithmetic expression: its value and the protocol checks its loads need (gen_load etc.). */
  arith(a: Arith, checks: Pred[]): Val {
    switch (a.kind) {
      case 'num':
        return c(a.value);
      case 'len':
        return { k: 'len' };
      case 'neg': {
        const v = this.arith(a.operand, checks);
        return v.k === 'const' ? c(-v.v) : { k: 'neg', a: v };
      }
      case 'binary': {
        const l = this.arith(a.left, checks);
        // libpcap's gen_arth keeps only the left operand's protocol checks: those of the right operand are
        // dropped (its loads still run). `ether[0] + icmp[0] = 1` therefore matches non-ICMP packets too.
        const r = this.arith(a.right, []);
        const rightIsImmediate = a.right.kind === 'num';
        if (r.k === 'const') {
          // gen_arth refuses these for an immediate operand; the optimizer refuses a zero divisor it computes.
          if ((a.op === '/' || a.op === '%') && r.v === 0) {
            const problem = a.op === '/' ? 'division by zero' : 'modulus by zero';
            if (rightIsImmediate) err(problem, a.column);
            // Found by the optimizer only, if the test survives to it (and protochain does not turn it off).
            return { k: 'bin', op: a.op, a: l, b: r, refused: problem, column: a.column };
          }
          if ((a.op === '<<' || a.op === '>>') && r.v > 31) {
            if (rightIsImmediate) err('shift by more than 31 bits', a.column);
            // The optimizer refuses a computed count on a run-time value, and folds a constant one to 0.
            if (l.k !== 'const') return { k: 'bin', op: a.op, a: l, b: r, refused: 'shift by more than 31 bits', column: a.column };
          }
        }
        if (l.k === 'const' && r.k === 'const') return c(foldArith(a.op, l.v, r.v));
        if (r.k === 'const' && r.v === 0) {
          // The BPF optimizer's identities with a zero constant (optimize.c opt_stmt); it keeps `- 0`.
          if (a.op === '+' || a.op === '|' || a.op === '^' || a.op === '<<' || a.op === '>>') return l;
          if (a.op === '*' || a.op === '&') return c(0);
        }
        if (l.k === 'const' && l.v === 0) {
          // The same with a zero accumulator (the left operand): `0 + x`, `0 | x`, `0 ^ x` are x, and
          // `0 * x`, `0 / x`, `0 % x`, `0 & x`, `0 << x`, `0 >> x` are 0, so x's loads are dead code the
          // optimizer removes: a packet too short for them is not rejected (`0 & ether[27:2] = 0` matches a
          // 22-byte frame), and `0 / x` never divides. It keeps `0 - x`.
          if (a.op === '+' || a.op === '|' || a.op === '^') return r;
          if (a.op === '*' || a.op === '/' || a.op === '%' || a.op === '&' || a.op === '<<' || a.op === '>>') return c(0);
        }
        return { k: 'bin', op: a.op, a: l, b: r };
      }
      case 'load':
        return this.load(a.proto, this.arith(a.offset, checks), a.size as 1 | 2 | 4, checks, a.column);
    }
  }

  private load(proto: string, index: Val, size: 1 | 2 | 4, checks: Pred[], column: number): Val {
    if (proto === 'link') return ld(index, size);
    const network = NETWORK_ETHERTYPE[proto];
    if (network !== undefined) {
      checks.push(this.linktype(network));
      return ld(add(c(this.nl), index), size);
    }
    const transport = TRANSPORT_PROTO[proto];
    if (transport !== undefined) {
      // IPv4 only, first fragment only, after the variable-length IPv4 header.
      const v4 = allOf(this.linktype(ETHERTYPE_IP), eq(ld(this.nl + IP_PROTO, 1), transport), this.ipFirstFragment());
      if (this.options.ipv6Transport && (proto === 'tcp' || proto === 'udp' || proto === 'sctp')) {
        // Beyond libpcap: the same accessor on IPv6 after the extension headers. The offset is chosen at run time.
        const nl = this.nl;
        const v6 = and(this.linktype(ETHERTYPE_IPV6), { k: 'v6proto', nl, protos: [transport] });
        checks.push(or(v4, v6));
        const v4Base = this.ipv4Transport();
        const base: Val = { k: 'bin', op: 'v4or6', a: v4Base, b: { k: 'v6tran', nl, protos: [transport] } };
        return ld(add(base, index), size);
      }
      checks.push(v4);
      return ld(add(this.ipv4Transport(), index), size);
    }
    if (proto === 'icmp6') {
      checks.push(and(this.linktype(ETHERTYPE_IPV6), eq(ld(this.nl + IP6_NXT, 1), IPPROTO_ICMPV6)));
      return ld(add(c(this.nl + IP6_HEADER_LEN), index), size);
    }
    return err(`'${proto}' is not a valid protocol for an index operation`, column);
  }

  /** Generates the test of a whole tree, left to right as libpcap's parser reduces it. */
  node(n: FilterNode): Pred {
    switch (n.kind) {
      case 'and':
      case 'or': {
        const l = this.node(n.left);
        const r = this.node(n.right);
        return n.kind === 'and' ? and(l, r) : or(l, r);
      }
      case 'not':
        return not(this.node(n.operand));
      case 'primitive':
        return this.primitive(n.q, n.id, n.column);
      case 'proto':
        return this.protoAbbrev(n.proto, n.column);
      case 'relation': {
        const checks: Pred[] = [];
        const late = (ast: Arith, v: Val): Val => (v.k === 'const' && ast.kind !== 'num' ? { k: 'kconst', v: v.v } : v);
        const l = late(n.left, this.arith(n.left, checks));
        const r = late(n.right, this.arith(n.right, checks));
        let test: Pred;
        switch (n.op) {
          case '>':
            test = { k: 'cmp', op: '>', a: l, b: r, relation: true };
            break;
          case '>=':
            test = { k: 'cmp', op: '>=', a: l, b: r, relation: true };
            break;
          case '=':
            test = { k: 'cmp', op: '=', a: l, b: r, relation: true };
            break;
          case '<=':
            test = not({ k: 'cmp', op: '>', a: l, b: r, relation: true });
            break;
          case '<':
            test = not({ k: 'cmp', op: '>=', a: l, b: r, relation: true });
            break;
          case '!=':
            test = not({ k: 'cmp', op: '=', a: l, b: r, relation: true });
            break;
        }
        return allOf(...checks, test);
      }
      case 'broadcast':
        return this.broadcast(n.proto, n.column);
      case 'multicast':
        return this.multicast(n.proto, n.column);
      case 'less':
        return not(gt({ k: 'len' }, n.value));
      case 'greater':
        return ge({ k: 'len' }, n.value);
      case 'byte': {
        const b = ld(n.offset, 1);
        switch (n.op) {
          case '=':
            return eq(b, n.value);
          case '<':
            return not(ge(b, n.value));
          case '>':
            return gt(b, n.value);
          // libpcap 1.10.3's gen_byteop emits no load for `&` and `|`: the test runs on the accumulator,
          // which is 0 at the start (pcapsift's model; after other tests A would hold their last load).
          case '|':
            return not(eq({ k: 'bin', op: '|', a: { k: 'acc' }, b: c(n.value) }, 0));
          default:
            return jset({ k: 'acc' }, n.value);
        }
      }
      case 'inbound':
      case 'outbound': {
        let outgoing: Pred;
        if (this.linkType === LINKTYPE_LINUX_SLL) outgoing = eq(ld(SLL_PKTTYPE, 2), LINUX_SLL_OUTGOING);
        else if (this.linkType === LINKTYPE_LINUX_SLL2) outgoing = eq(ld(SLL2_PKTTYPE, 1), LINUX_SLL_OUTGOING);
        else return err(`inbound/outbound not supported on ${this.desc} when reading savefiles`, n.column);
        return n.kind === 'outbound' ? outgoing : not(outgoing);
      }
      case 'ifindex':
        if (this.linkType !== LINKTYPE_LINUX_SLL2) err(`ifindex not supported on ${this.desc} when reading savefiles`, n.column);
        return eq(ld(SLL2_IFINDEX, 4), n.value);
      case 'vlan': {
        if (!this.isEther) err(`no VLAN support for ${this.desc}`, n.column);
        if (n.id !== undefined && n.id > 4095) err(`VLAN tag ${n.id} greater than maximum 4095`, n.column);
        const typeOff = ETHER_TYPE + this.vlanShift;
        const type = ld(typeOff, 2);
        let test = or(or(eq(type, ETHERTYPE_8021Q), eq(type, ETHERTYPE_8021AD)), eq(type, ETHERTYPE_8021QINQ));
        if (n.id !== undefined) test = and(test, eqMasked(ld(typeOff + 2, 2), 0x0fff, n.id, 16));
        // Everything after this keyword reads 4 bytes further on.
        this.vlanShift += 4;
        return test;
      }
      case 'keyword':
        return this.unsupported(n.keyword, n.column, n.arg);
    }
  }

  private broadcast(proto: string, column: number): Pred {
    switch (proto) {
      case 'default':
      case 'link':
        if (!this.isEther) err('not a broadcast link', column);
        return and(eq(ld(ETHER_DST + 2, 4), 0xffffffff), eq(ld(ETHER_DST, 2), 0xffff));
      case 'ip': {
        // Reading a file, the netmask is 0: only 0.0.0.0 and 255.255.255.255 count.
        const dst = ld(this.nl + IP_DST, 4);
        return and(this.linktype(ETHERTYPE_IP), or(eq(dst, 0), eq(dst, 0xffffffff)));
      }
      default:
        return err('only link-layer/IP broadcast filters supported', column);
    }
  }

  private multicast(proto: string, column: number): Pred {
    switch (proto) {
      case 'default':
      case 'link':
        if (!this.isEther) err('link-layer multicast filters supported only on ethernet/FDDI/token ring/ARCNET/802.11/ATM LANE/Fibre Channel', column);
        return jset(ld(ETHER_DST, 1), 1);
      case 'ip':
        return and(this.linktype(ETHERTYPE_IP), ge(ld(this.nl + IP_DST, 1), 224));
      case 'ip6':
        return and(this.linktype(ETHERTYPE_IPV6), eq(ld(this.nl + IP6_DST, 1), 255));
      default:
        return err('only IP multicast filters supported on ethernet/FDDI/token ring/ARCNET/802.11/ATM LANE/Fibre Channel', column);
    }
  }

  /** `mpls [label]` (gen_mpls): later offsets move past the label. */
  private mpls(label: number | undefined, column: number): Pred {
    if (!this.isEther) err(`no MPLS support for ${this.desc}`, column);
    if (label !== undefined && label > 0xfffff) err(`MPLS label ${label} greater than maximum 1048575`, column);
    // The first label follows EtherType 0x8847; a further one needs the previous label not to be the last.
    let test = this.mplsDepth > 0 ? eqMasked(ld(this.nl - 2, 1), 0x01, 0, 8) : this.linktype(0x8847);
    if (label !== undefined) test = and(test, eqMasked(ld(this.nl, 4), 0xfffff000, (label << 12) >>> 0, 32));
    this.encapShift += 4;
    this.mplsDepth++;
    return test;
  }

  /** `pppoes [session]` (gen_pppoes): later tests read the PPP protocol inside PPPoE. */
  private pppoes(session: number | undefined, column: number): Pred {
    if (session !== undefined && session > 0xffff) err(`PPPoE session number ${session} greater than maximum 65535`, column);
    let test = this.linktype(0x8864);
    if (session !== undefined) test = and(test, eqMasked(ld(this.nl, 4), 0xffff, session, 32));
    this.pppProtoOffset = this.nl + 6;
    this.encapShift += 8;
    return test;
  }

  private unsupported(keyword: string, column: number, arg: string | undefined): Pred {
    switch (keyword) {
      case 'mpls':
        return this.mpls(arg === undefined ? undefined : Number(arg), column);
      case 'pppoes':
        return this.pppoes(arg === undefined ? undefined : Number(arg), column);
      case 'pppoed':
        return this.linktype(0x8863);
      case 'llc':
        if (!this.isEther) err(`'llc' not supported for ${this.desc}`, column);
        // An 802.3 length rather than an EtherType, and not NetWare's raw 802.3 (0xffff).
        if (arg === undefined) return and(not(gt(ld(ETHER_TYPE + this.vlanShift, 2), ETHERMTU)), not(eq(ld(this.nl, 2), 0xffff)));
        break;
      case 'ifname':
      case 'rset':
      case 'rnr':
      case 'srnr':
      case 'reason':
      case 'action':
        return err(`${keyword === 'rset' ? 'ruleset' : keyword === 'rnr' ? 'rnr' : keyword} supported only on PF linktype`, column);
      case 'type':
      case 'subtype':
      case 'dir':
        return err('802.11 link-layer types supported only on 802.11', column);
      default:
        break;
    }
    return err(`'${keyword}' filters are not supported by pcapsift`, column);
  }
}

/** Folds a constant operation as the BPF optimizer does (unsigned 32-bit). */
export function foldArith(op: string, a: number, b: number): number {
  switch (op) {
    case '+':
      return (a + b) >>> 0;
    case '-':
      return (a - b) >>> 0;
    case '*':
      return Math.imul(a, b) >>> 0;
    case '/':
      return Math.floor(a / b) >>> 0;
    case '%':
      return a % b >>> 0;
    case '&':
      return (a & b) >>> 0;
    case '|':
      return (a | b) >>> 0;
    case '^':
      return (a ^ b) >>> 0;
    case '<<':
      return b > 31 ? 0 : (a << b) >>> 0;
    case '>>':
      return b > 31 ? 0 : a >>> b;
    default:
      throw new FilterError(SYNTAX_ERROR, 0);
  }
}
