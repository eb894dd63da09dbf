/**
 * TCP as tcpdump 4.99.3 prints it (print-tcp.c tcp_print): flags, relative sequence numbers kept per
 * conversation exactly as tcpdump keeps them, every option, -v checksums and the small payload decoders.
 */
import { checksumShouldBe, foldComplement, ipv4PseudoSum, ipv6PseudoSum, sumBytes } from '../wire/checksum.js';
import { IPPROTO_TCP } from '../wire/ipv4.js';
import { IPV6_NEXT_HEADER } from '../wire/ipv6.js';
import { nameOf } from '../wire/names.js';
import {
  DOMAIN_PORT, FTP_PORT, HTTP_PORT, HTTP_PORT_ALT, RTSP_PORT, RTSP_PORT_ALT, SMTP_PORT, SSH_PORT, TCP_ACK,
  TCP_CHECKSUM, TCP_DPORT, TCP_FLAGS, TCP_MIN_HEADER_LEN, TCP_OFFSET, TCP_SEQ, TCP_SIGLEN, TCP_SPORT, TCP_URGENT,
  TCP_WINDOW, TCPOPT_CC, TCPOPT_CCECHO, TCPOPT_CCNEW, TCPOPT_ECHO, TCPOPT_ECHOREPLY, TCPOPT_EOL,
  TCPOPT_EXPERIMENT2, TCPOPT_FASTOPEN, TCPOPT_MAXSEG, TCPOPT_MPTCP, TCPOPT_NAMES, TCPOPT_NOP, TCPOPT_SACK,
  TCPOPT_SACKOK, TCPOPT_SCPS, TCPOPT_SIGNATURE, TCPOPT_TCPAO, TCPOPT_TIMESTAMP, TCPOPT_UTO, TCPOPT_WSCALE,
  tcpFlagsString, TH_ACK, TH_FIN, TH_RST, TH_SYN, TH_URG,
} from '../wire/tcp.js';
import { check, HEX2, has, u16, u32, u8, type PrintContext } from './context.js';
import type { TcpSeqTable } from './tcp-seq.js';
import { printDomain } from './dns.js';
import { TRUNCATED, TRUNCATED_DONE, TRUNCATED_SOFT } from './line.js';
import { ip6ChecksumDestination } from './ip6.js';
import { printSshVersion, printTextProtocol, HTTP_COMMANDS, RTSP_COMMANDS } from './text.js';

/** Set once the first option is complete (tcpdump's `ch` becomes ','). */
let optionsStarted = false;

/** Where option parsing stopped early: tcpdump's `goto bad`. */
const BAD_OPTION = -1;

/**
 * Prints a TCP segment at `at`; `length` is the segment length from the IP header, `ipAt` the IP header
 * the addresses come from.
 */
export function printTcp(c: PrintContext, at: number, length: number, ipAt: number, ipVersion: 4 | 6, fragmented: boolean): void {
  const line = c.line;
  line.protocol = 'tcp';
  const d = c.data;
  const v6 = ipVersion === 6;
  if (at + 4 > c.end) {
    line.text += v6 ? `${c.ipv6(ipAt + 8)} > ${c.ipv6(ipAt + 24)}:` : `${c.ipv4(ipAt + 12)} > ${c.ipv4(ipAt + 16)}:`;
    throw TRUNCATED_SOFT;
  }
  const sport = (d[at + TCP_SPORT]! << 8) | d[at + TCP_SPORT + 1]!;
  const dport = (d[at + TCP_DPORT]! << 8) | d[at + TCP_DPORT + 1]!;
  if (v6) {
    if (d[ipAt + IPV6_NEXT_HEADER] === IPPROTO_TCP) line.text += `${c.ipv6(ipAt + 8)}.${sport} > ${c.ipv6(ipAt + 24)}.${dport}: `;
    else line.text += `${sport} > ${dport}: `;
  } else {
    if (d[ipAt + 9] === IPPROTO_TCP) line.text += `${c.ipv4(ipAt + 12)}.${sport} > ${c.ipv4(ipAt + 16)}.${dport}: `;
    else line.text += `${sport} > ${dport}: `;
  }
  check(c, at, TCP_MIN_HEADER_LEN);
  let hlen = (d[at + TCP_OFFSET]! >> 4) * 4;
  if (hlen < TCP_MIN_HEADER_LEN) {
    line.text += ` tcp ${(length - hlen) >>> 0} [bad hdr length ${hlen} - too short, < 20]`;
    return;
  }
  let seq = u32(c, at + TCP_SEQ);
  let ack = u32(c, at + TCP_ACK);
  const win = (d[at + TCP_WINDOW]! << 8) | d[at + TCP_WINDOW + 1]!;
  const urp = (d[at + TCP_URGENT]! << 8) | d[at + TCP_URGENT + 1]!;
  if (c.opts.quiet) {
    line.text += `tcp ${(length - hlen) >>> 0}`;
    if (hlen > length) line.text += ` [bad hdr length ${hlen} - too long, > ${length}]`;
    return;
  }
  const flags = d[at + TCP_FLAGS]!;
  let s = `Flags [${tcpFlagsString(flags)}]`;
  let rev = false;
  let thseq = 0;
  let thack = 0;
  if (!c.opts.absoluteSeq && flags & TH_ACK) {
    const t = seqEntry(c, v6, ipAt, sport, dport, flags, seq, ack);
    const baseSeq = t.seq[t.slot]!;
    const baseAck = t.ack[t.slot]!;
    rev = lastRev;
    thseq = baseSeq;
    thack = baseAck;
    if (!lastCreated) {
      if (rev) {
        seq = (seq - baseAck) >>> 0;
        ack = (ack - baseSeq) >>> 0;
      } else {
        seq = (seq - baseSeq) >>> 0;
        ack = (ack - baseAck) >>> 0;
      }
    }
  }
  if (hlen > length) {
    line.text += `${s} [bad hdr length ${hlen} - too long, > ${length}]`;
    return;
  }
  if (c.opts.verbose && !fragmented && has(c, at, length)) {
    const pseudo = v6 ? ipv6PseudoSum(d, ipAt, IPPROTO_TCP, length, ip6ChecksumDestination(c, ipAt)) : ipv4PseudoSum(d, ipAt, IPPROTO_TCP, length);
    const sum = foldComplement(sumBytes(d, at, length, pseudo));
    const field = (d[at + TCP_CHECKSUM]! << 8) | d[at + TCP_CHECKSUM + 1]!;
    s += `, cksum 0x${field.toString(16).padStart(4, '0')}`;
    s += sum !== 0 ? ` (incorrect -> 0x${checksumShouldBe(field, sum).toString(16).padStart(4, '0')})` : ' (correct)';
  }
  length -= hlen;
  if (c.opts.verbose > 1 || length > 0 || flags & (TH_SYN | TH_FIN | TH_RST)) {
    s += `, seq ${seq}`;
    if (length > 0) s += `:${(seq + length) >>> 0}`;
  }
  if (flags & TH_ACK) s += `, ack ${ack}`;
  s += `, win ${win}`;
  if (flags & TH_URG) s += `, urg ${urp}`;
  line.text += s;
  if (hlen > TCP_MIN_HEADER_LEN) {
    line.text += ', options [';
    optionsStarted = false;
    let r: number;
    try {
      r = printOptions(c, at + TCP_MIN_HEADER_LEN, hlen - TCP_MIN_HEADER_LEN, at, length, flags, rev, thseq, thack);
    } catch (err) {
      // tcpdump's `trunc:` label closes with '>' once an option has been printed (a leftover of its old
      // `<...>` syntax); only ND_TCHECK truncation goes there, GET_* fetches unwind at once.
      if (err === TRUNCATED_SOFT && optionsStarted) {
        line.text += ' [|tcp]>';
        throw TRUNCATED_DONE;
      }
      throw err;
    }
    if (r === BAD_OPTION) {
      line.text += optionsStarted ? '[bad opt]]' : '[bad opt]';
      return;
    }
    line.text += ']';
  }
  line.text += `, length ${length}`;
  if (length <= 0) return;
  const p = at + (d[at + TCP_OFFSET]! >> 4) * 4;
  if (p > c.end) {
    // tcpdump's bounds check before decoding the payload: the whole header must have been captured.
    line.text += ` [remaining caplen(${Math.max(0, c.end - at)}) < header length(${p - at})]`;
    throw TRUNCATED;
  }
  if (flags & TH_RST && c.opts.verbose) {
    printRstData(c, p, length);
    return;
  }
  if ((sport === 23 || dport === 23)) {
    printTelnet(c, p, length);
  } else if ((sport === SMTP_PORT || dport === SMTP_PORT)) {
    line.text += ': ';
    printTextProtocol(c, p, length, 'smtp', null, false);
  } else if ((sport === 43 || dport === 43)) {
    line.text += ': ';
    printTextProtocol(c, p, length, 'whois', null, false);
  } else if ((sport === 179 || dport === 179) || (sport === 1723 || dport === 1723) || (sport === 6379 || dport === 6379) || (sport === 139 || dport === 139) || (sport === 445 || dport === 445) || (sport === 10288 || dport === 10288) || (sport === 6633 || dport === 6633) || (sport === 6653 || dport === 6653)) {
    // Printers pcapsift does not have (BGP, PPTP, RESP, NetBIOS, SMB, BEEP, OpenFlow) print nothing here.
  } else if ((sport === SSH_PORT || dport === SSH_PORT)) {
    printSshVersion(c, p, length);
  } else if ((sport === FTP_PORT || dport === FTP_PORT)) {
    line.text += ': ';
    printTextProtocol(c, p, length, 'ftp', null, false);
  } else if ((sport === HTTP_PORT || dport === HTTP_PORT) || (sport === HTTP_PORT_ALT || dport === HTTP_PORT_ALT)) {
    line.text += ': ';
    printTextProtocol(c, p, length, 'http', HTTP_COMMANDS, true);
  } else if ((sport === RTSP_PORT || dport === RTSP_PORT) || (sport === RTSP_PORT_ALT || dport === RTSP_PORT_ALT)) {
    line.text += ': ';
    printTextProtocol(c, p, length, 'rtsp', RTSP_COMMANDS, true);
  } else if ((sport === DOMAIN_PORT || dport === DOMAIN_PORT)) {
    printDomain(line, d, p, length, c.end, c.opts, true, false);
  } else if ((sport === 5060 || dport === 5060)) {
    line.text += ': ';
    printTextProtocol(c, p, length, 'sip', null, false);
  } else if ((sport === 631 || dport === 631)) {
    line.text += ': ';
    printTextProtocol(c, p, length, 'ipp', null, false);
  }
}

/** Set by seqEntry: whether the packet runs against the collating order, and whether its entry is new. */
let lastRev = false;
let lastCreated = false;

/**
 * Finds or records the conversation of this ACK-bearing segment as tcpdump's tcp_seq_hash does: a new
 * conversation, or any SYN, (re)sets the bases from this packet's own numbers. Returns the table and leaves
 * the conversation's slot in `table.slot`.
 */
function seqEntry(c: PrintContext, v6: boolean, ipAt: number, sport: number, dport: number, flags: number, seq: number, ack: number): TcpSeqTable {
  const d = c.data;
  const table = v6 ? c.tcpSeq6 : c.tcpSeq4;
  const key = table.key;
  const words = v6 ? 4 : 1;
  const srcAt = v6 ? ipAt + 8 : ipAt + 12;
  const dstAt = v6 ? ipAt + 24 : ipAt + 16;
  // Collating order: the lower port first; on equal ports, the lower address (compared byte by byte).
  let rev = sport > dport;
  if (sport === dport) {
    for (let i = 0; i < words * 4; i++) {
      const x = d[srcAt + i]!;
      const y = d[dstAt + i]!;
      if (x !== y) {
        rev = x > y;
        break;
      }
    }
  }
  const aAt = rev ? dstAt : srcAt;
  const bAt = rev ? srcAt : dstAt;
  for (let w = 0; w < words; w++) {
    const o = w * 4;
    key[w] = ((d[aAt + o]! << 24) | (d[aAt + o + 1]! << 16) | (d[aAt + o + 2]! << 8) | d[aAt + o + 3]!) >>> 0;
    key[words + w] = ((d[bAt + o]! << 24) | (d[bAt + o + 1]! << 16) | (d[bAt + o + 2]! << 8) | d[bAt + o + 3]!) >>> 0;
  }
  key[2 * words] = rev ? dport * 65536 + sport : sport * 65536 + dport;
  table.find();
  lastRev = rev;
  if (table.created || flags & TH_SYN) {
    const slot = table.slot;
    if (rev) {
      table.ack[slot] = seq;
      table.seq[slot] = (ack - 1) >>> 0;
    } else {
      table.seq[slot] = seq;
      table.ack[slot] = (ack - 1) >>> 0;
    }
    lastCreated = true;
  } else lastCreated = false;
  return table;
}

/** tcpdump's LENCHECK: not enough option bytes left is `bad` (false), not captured is truncation. */
function lenCheck(c: PrintContext, cp: number, l: number, hlen: number): boolean {
  if (l > hlen) return false;
  check(c, cp, l);
  return true;
}

/** Prints the options; returns BAD_OPTION where tcpdump jumps to `bad`. */
function printOptions(
  c: PrintContext, cp: number, hlen: number, tcpAt: number, payloadLen: number, flags: number,
  rev: boolean, thseq: number, thack: number,
): number {
  const line = c.line;
  let sep = '';
  while (hlen > 0) {
    line.text += sep;
    const opt = u8(c, cp++);
    let len: number;
    if (opt === TCPOPT_EOL || opt === TCPOPT_NOP) len = 1;
    else {
      len = u8(c, cp++);
      if (len < 2 || len > hlen) return BAD_OPTION;
      --hlen;
    }
    --hlen;
    let datalen = 0;
    line.text += nameOf(TCPOPT_NAMES, opt, 'unknown-%u');
    switch (opt) {
      case TCPOPT_MAXSEG:
        datalen = 2;
        if (!lenCheck(c, cp, datalen, hlen)) return BAD_OPTION;
        line.text += ` ${u16(c, cp)}`;
        break;
      case TCPOPT_WSCALE:
        datalen = 1;
        if (!lenCheck(c, cp, datalen, hlen)) return BAD_OPTION;
        line.text += ` ${u8(c, cp)}`;
        break;
      case TCPOPT_SACK:
        datalen = len - 2;
        if (datalen % 8 !== 0) line.text += ' invalid sack';
        else {
          line.text += ` ${datalen / 8} `;
          for (let i = 0; i < datalen; i += 8) {
            if (!lenCheck(c, cp, i + 4, hlen)) return BAD_OPTION;
            let s = u32(c, cp + i);
            if (!lenCheck(c, cp, i + 8, hlen)) return BAD_OPTION;
            let e = u32(c, cp + i + 4);
            if (rev) {
              s = (s - thseq) >>> 0;
              e = (e - thseq) >>> 0;
            } else {
              s = (s - thack) >>> 0;
              e = (e - thack) >>> 0;
            }
            line.text += `{${s}:${e}}`;
          }
        }
        break;
      case TCPOPT_CC:
      case TCPOPT_CCNEW:
      case TCPOPT_CCECHO:
      case TCPOPT_ECHO:
      case TCPOPT_ECHOREPLY:
        datalen = 4;
        if (!lenCheck(c, cp, datalen, hlen)) return BAD_OPTION;
        line.text += ` ${u32(c, cp)}`;
        break;
      case TCPOPT_TIMESTAMP:
        datalen = 8;
        if (!lenCheck(c, cp, datalen, hlen)) return BAD_OPTION;
        line.text += ` val ${u32(c, cp)} ecr ${u32(c, cp + 4)}`;
        break;
      case TCPOPT_SIGNATURE: {
        datalen = TCP_SIGLEN;
        if (!lenCheck(c, cp, datalen, hlen)) return BAD_OPTION;
        let h = ' can\'t check - ';
        for (let i = 0; i < TCP_SIGLEN; i++) h += HEX2[u8(c, cp + i)];
        line.text += h;
        break;
      }
      case TCPOPT_SCPS:
        datalen = 2;
        if (!lenCheck(c, cp, datalen, hlen)) return BAD_OPTION;
        line.text += ` cap ${HEX2[u8(c, cp)]} id ${u8(c, cp + 1)}`;
        break;
      case TCPOPT_TCPAO:
        datalen = len - 2;
        if (datalen < 2) line.text += ' (invalid)';
        else {
          if (!lenCheck(c, cp, 1, hlen)) return BAD_OPTION;
          line.text += ` keyid ${u8(c, cp)}`;
          if (!lenCheck(c, cp, 2, hlen)) return BAD_OPTION;
          line.text += ` rnextkeyid ${u8(c, cp + 1)}`;
          if (datalen > 2) {
            line.text += ' mac 0x';
            for (let i = 2; i < datalen; i++) {
              if (!lenCheck(c, cp, i + 1, hlen)) return BAD_OPTION;
              line.text += HEX2[u8(c, cp + i)];
            }
          }
        }
        break;
      case TCPOPT_EOL:
      case TCPOPT_NOP:
      case TCPOPT_SACKOK:
        break;
      case TCPOPT_UTO: {
        datalen = 2;
        if (!lenCheck(c, cp, datalen, hlen)) return BAD_OPTION;
        let uto = u16(c, cp);
        line.text += ` 0x${uto.toString(16)}`;
        if (uto & 1) uto = (uto >> 1) * 60;
        else uto >>= 1;
        line.text += ` ${uto}`;
        break;
      }
      case TCPOPT_MPTCP:
        datalen = len - 2;
        if (!lenCheck(c, cp, datalen, hlen)) return BAD_OPTION;
        if (!printMptcp(c, cp - 2, len, flags)) return BAD_OPTION;
        break;
      case TCPOPT_FASTOPEN:
        datalen = len - 2;
        if (!lenCheck(c, cp, datalen, hlen)) return BAD_OPTION;
        line.text += ' ';
        printFastOpen(c, cp, datalen, false);
        break;
      case TCPOPT_EXPERIMENT2: {
        datalen = len - 2;
        if (!lenCheck(c, cp, datalen, hlen)) return BAD_OPTION;
        if (datalen < 2) return BAD_OPTION;
        const magic = u16(c, cp);
        line.text += '-';
        if (magic === 0xf989) printFastOpen(c, cp + 2, datalen - 2, true);
        else line.text += magic.toString(16).padStart(4, '0');
        break;
      }
      default:
        datalen = len - 2;
        if (datalen) line.text += ' 0x';
        for (let i = 0; i < datalen; i++) {
          if (!lenCheck(c, cp, i + 1, hlen)) return BAD_OPTION;
          line.text += HEX2[u8(c, cp + i)];
        }
    }
    cp += datalen;
    hlen -= datalen;
    ++datalen;
    if (opt !== TCPOPT_EOL && opt !== TCPOPT_NOP) ++datalen;
    if (datalen !== len) line.text += `[len ${len}]`;
    sep = ',';
    optionsStarted = true;
    if (opt === TCPOPT_EOL) break;
  }
  void tcpAt;
  void payloadLen;
  return 0;
}

function printFastOpen(c: PrintContext, cp: number, datalen: number, exp: boolean): void {
  if (exp) c.line.text += 'tfo';
  if (datalen === 0) c.line.text += ' cookiereq';
  else if (datalen % 2 !== 0 || datalen < 4 || datalen > 16) c.line.text += ' (invalid)';
  else {
    let h = ' cookie ';
    for (let i = 0; i < datalen; i++) h += HEX2[u8(c, cp + i)];
    c.line.text += h;
  }
}

const MPTCP_SUBTYPES = ['capable', 'join', 'dss', 'add-addr', 'rem-addr', 'prio', 'fail', 'fast-close'];

/** A short mptcp_print: the option length and the subtype word (subtype details are not decoded). */
function printMptcp(c: PrintContext, at: number, len: number, flags: number): boolean {
  void flags;
  if (len < 3) return false;
  const subtype = u8(c, at + 2) >> 4;
  c.line.text += ` ${len} ${MPTCP_SUBTYPES[subtype] ?? 'unknown'}`;
  return true;
}

/** tcpdump's print_tcp_rst_data: ` [RST text]`, at most 30 characters. */
function printRstData(c: PrintContext, at: number, length: number): void {
  let s = has(c, at, length) ? ' [RST' : ' [!RST';
  if (length > 30) {
    length = 30;
    s += '+';
  }
  s += ' ';
  const end = Math.min(at + length, c.end);
  for (let i = at; i < end; i++) s += printableChar(c.data[i]!);
  c.line.text += s + ']';
}

/** tcpdump's fn_print_char: `M-` for bytes above 127, `^X` for control characters. */
export function printableChar(b: number): string {
  let s = '';
  if (b > 0x7f) {
    b &= 0x7f;
    s = 'M-';
  }
  if (b < 0x20 || b === 0x7f) {
    b ^= 0x40;
    s += '^';
  }
  return s + String.fromCharCode(b);
}

const IAC = 255;
/** Telnet prints only its option negotiation (IAC sequences); plain data prints nothing. */
function printTelnet(c: PrintContext, at: number, length: number): void {
  if (length > 0 && has(c, at, 1) && c.data[at] === IAC) {
    // Negotiations are rare in captures pcapsift targets; tcpdump's full telnet decoder is not reproduced.
    c.line.protocol = 'telnet';
  }
}
