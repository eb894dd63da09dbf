/** ICMP for IPv4 as tcpdump 4.99.3 prints it (print-icmp.c icmp_print), with quoted datagrams at -v. */
import { checksumShouldBe, foldComplement, sumBytes } from '../wire/checksum.js';
import {
  ICMP_ECHO, ICMP_ECHOREPLY, ICMP_GATEWAY, ICMP_ID, ICMP_MASK, ICMP_MASKREPLY, ICMP_MTU, ICMP_OTIME, ICMP_PARAMPROB,
  ICMP_PPTR, ICMP_QUOTED_IP, ICMP_REDIRECT, ICMP_REDIRECT_FORMATS, ICMP_ROUTERADVERT, ICMP_RTIME, ICMP_SEQ,
  ICMP_TIMXCEED, ICMP_TSTAMP, ICMP_TSTAMPREPLY, ICMP_TTIME, ICMP_TYPE_NAMES, ICMP_UNREACH, ICMP_UNREACH_FORMATS,
  ICMP_UNREACH_HOST, ICMP_UNREACH_NEEDFRAG, ICMP_UNREACH_NET, ICMP_UNREACH_PORT, ICMP_UNREACH_PROTOCOL, icmpIsError,
} from '../wire/icmp.js';
import { IPPROTO_TCP, IPPROTO_UDP } from '../wire/ipv4.js';
import { check, has, u16, u32, u8, type PrintContext } from './context.js';
import { hexText } from './hexdump.js';
import { printIp } from './ip.js';

function tstamp(ms: number): string {
  const msec = ms % 1000;
  let sec = Math.floor(ms / 1000);
  const hh = Math.floor(sec / 3600);
  sec -= hh * 3600;
  const mm = Math.floor(sec / 60);
  sec -= mm * 60;
  return `${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}:${String(sec).padStart(2, '0')}.${String(msec).padStart(3, '0')}`;
}

/** Prints an ICMP message of `plen` bytes at `at`; `ipAt` is the enclosing IPv4 header. */
export function printIcmp(c: PrintContext, at: number, plen: number, ipAt: number, fragmented: boolean): void {
  const line = c.line;
  line.protocol = 'icmp';
  void ipAt;
  const type = u8(c, at);
  const code = u8(c, at + 1);
  const q = at + ICMP_QUOTED_IP;
  let str: string;
  switch (type) {
    case ICMP_ECHO:
    case ICMP_ECHOREPLY:
      str = `echo ${type === ICMP_ECHO ? 'request' : 'reply'}, id ${u16(c, at + ICMP_ID)}, seq ${u16(c, at + ICMP_SEQ)}`;
      break;
    case ICMP_UNREACH:
      switch (code) {
        case ICMP_UNREACH_NET:
          str = `net ${c.ipv4(q + 16)} unreachable`;
          break;
        case ICMP_UNREACH_HOST:
          str = `host ${c.ipv4(q + 16)} unreachable`;
          break;
        case ICMP_UNREACH_PROTOCOL:
          str = `${c.ipv4(q + 16)} protocol ${u8(c, q + 9)} unreachable`;
          break;
        case ICMP_UNREACH_PORT: {
          u8(c, q + 9);
          const hlen = (u8(c, q) & 0x0f) * 4;
          const dport = u16(c, q + hlen + 2);
          const proto = u8(c, q + 9);
          if (proto === IPPROTO_TCP) str = `${c.ipv4(q + 16)} tcp port ${dport} unreachable`;
          else if (proto === IPPROTO_UDP) str = `${c.ipv4(q + 16)} udp port ${dport} unreachable`;
          else str = `${c.ipv4(q + 16)} protocol ${proto} port ${dport} unreachable`;
          break;
        }
        case ICMP_UNREACH_NEEDFRAG: {
          const mtu = u16(c, at + ICMP_MTU);
          str = mtu ? `${c.ipv4(q + 16)} unreachable - need to frag (mtu ${mtu})` : `${c.ipv4(q + 16)} unreachable - need to frag`;
          break;
        }
        default: {
          const fmt = ICMP_UNREACH_FORMATS.get(code);
          str = fmt !== undefined ? fmt.replace('%s', c.ipv4(q + 16)) : `${c.ipv4(q + 16)} unreachable - #${code}`;
        }
      }
      break;
    case ICMP_REDIRECT: {
      const fmt = ICMP_REDIRECT_FORMATS.get(code) ?? `redirect-#${code} %s to net %s`;
      const dst = c.ipv4(q + 16);
      const gw = c.ipv4(at + ICMP_GATEWAY);
      str = fmt.replace('%s', dst).replace('%s', gw);
      break;
    }
    case ICMP_ROUTERADVERT:
      str = routerAdvert(c, at, code);
      break;
    case ICMP_TIMXCEED:
      check(c, q + 16, 4);
      str = code === 0 ? 'time exceeded in-transit' : code === 1 ? 'ip reassembly time exceeded' : `time exceeded-#${code}`;
      break;
    case ICMP_PARAMPROB:
      str = code ? `parameter problem - code ${code}` : `parameter problem - octet ${u8(c, at + ICMP_PPTR)}`;
      break;
    case ICMP_MASKREPLY:
      str = `address mask is 0x${u32(c, at + ICMP_MASK).toString(16).padStart(8, '0')}`;
      break;
    case ICMP_TSTAMP:
      str = `time stamp query id ${u16(c, at + ICMP_ID)} seq ${u16(c, at + ICMP_SEQ)}`;
      break;
    case ICMP_TSTAMPREPLY:
      check(c, at + ICMP_TTIME, 4);
      str =
        `time stamp reply id ${u16(c, at + ICMP_ID)} seq ${u16(c, at + ICMP_SEQ)}: org ${tstamp(u32(c, at + ICMP_OTIME))}` +
        `, recv ${tstamp(u32(c, at + ICMP_RTIME))}, xmit ${tstamp(u32(c, at + ICMP_TTIME))}`;
      break;
    default:
      str = ICMP_TYPE_NAMES.get(type) ?? `type-#${type}`;
  }
  line.text += `ICMP ${str}, length ${plen}`;
  if (c.opts.verbose && !fragmented && has(c, at, plen)) {
    const sum = foldComplement(sumBytes(c.data, at, plen));
    if (sum !== 0) {
      const field = u16(c, at + 2);
      line.text += ` (wrong icmp cksum ${field.toString(16)} (->${checksumShouldBe(field, sum).toString(16)})!)`;
    }
  }
  if (c.opts.verbose >= 1 && icmpIsError(type)) {
    line.text += '\n\t';
    const savedEnd = c.end;
    printIp(c, q, u16(c, q + 2));
    c.end = savedEnd;
  }
  line.protocol = 'icmp';
  if (c.opts.verbose >= 1 && plen > ICMP_EXTD_MINLEN && (type === ICMP_UNREACH || type === ICMP_TIMXCEED || type === ICMP_PARAMPROB)) {
    printMultipartExtension(c, at, plen);
  }
}

/** Where RFC 4884 extensions start: after 128 octets of quoted datagram (tcpdump's ICMP_EXTD_MINLEN). */
const ICMP_EXTD_MINLEN = 136;
const EXT_OBJECT_NAMES: Record<number, string> = { 1: 'MPLS Stack Entry', 2: 'Extended Payload' };

/** tcpdump's ICMP multi-part extension printing (RFC 4884/4950 MPLS label stacks). */
function printMultipartExtension(c: PrintContext, at: number, plen: number): void {
  const line = c.line;
  check(c, at, 8 + 128 + 4);
  const ext = at + ICMP_EXTD_MINLEN;
  let hlen = plen - ICMP_EXTD_MINLEN;
  if (u8(c, at + 5) === 0 && has(c, ext, hlen)) {
    if (foldComplement(sumBytes(c.data, ext, hlen)) !== 0) return;
  }
  const version = (u8(c, ext) & 0xf0) >> 4;
  line.text += `\n\tICMP Multi-Part extension v${version}`;
  if (version !== 2) {
    line.text += ' packet not supported';
    return;
  }
  if (has(c, ext, hlen)) {
    const bad = foldComplement(sumBytes(c.data, ext, hlen)) !== 0;
    line.text += `, checksum 0x${u16(c, ext + 2).toString(16).padStart(4, '0')} (${bad ? 'in' : ''}correct), length ${hlen}`;
  }
  hlen -= 4;
  let obj = ext + 4;
  while (hlen > 4) {
    check(c, obj, 4);
    let objLen = u16(c, obj);
    const classNum = u8(c, obj + 2);
    const ctype = u8(c, obj + 3);
    obj += 4;
    line.text += `\n\t  ${EXT_OBJECT_NAMES[classNum] ?? 'unknown'} Object (${classNum}), Class-Type: ${ctype}, length ${objLen}`;
    hlen -= 4;
    if (classNum === 0 || objLen < 4) return;
    objLen -= 4;
    if (classNum === 1 && ctype === 1) {
      const raw = u32(c, obj);
      line.text += `\n\t    label ${raw >>> 12}, tc ${(raw >>> 9) & 7}${(raw >>> 8) & 1 ? ', [S]' : ''}, ttl ${raw & 0xff}`;
    } else {
      line.text += hexText(c.data, obj, Math.min(objLen, Math.max(0, c.end - obj)), c.end, '\n\t    ');
    }
    if (hlen < objLen) break;
    hlen -= objLen;
    obj += objLen;
  }
}

function routerAdvert(c: PrintContext, at: number, code: number): string {
  const num = u8(c, at + 4);
  const size = u8(c, at + 5);
  const lifetime = u16(c, at + 6);
  let s = 'router advertisement';
  if (code !== 0) return `${s} code ${code}`;
  s += ` lifetime ${lifetimeText(lifetime)} ${num}:`;
  if (size !== 2) return `${s} [size ${size}]`;
  let p = at + 8;
  for (let i = 0; i < num; i++) {
    s += ` {${c.ipv4(p)} ${u32(c, p + 4)}}`;
    p += 8;
  }
  return s;
}

function lifetimeText(secs: number): string {
  if (secs < 60) return `${secs}`;
  if (secs < 3600) return `${Math.floor(secs / 60)}:${String(secs % 60).padStart(2, '0')}`;
  return `${Math.floor(secs / 3600)}:${String(Math.floor((secs % 3600) / 60)).padStart(2, '0')}:${String(secs % 60).padStart(2, '0')}`;
}
