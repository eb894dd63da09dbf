/**
 * The lexer of the libpcap filter language, as libpcap 1.10's `scanner.l` splits an expression.
 *
 * flex picks the longest match and, among equally long matches, the rule listed first. The rules that
 * compete here are, in scanner.l's order: keywords, operators, `$B` (ARCnet), MAC addresses, numbers, dotted
 * IPv4 forms, IPv6 addresses, the "bogus ethernet address" catch, named constants (`tcp-syn`), plain names,
 * and `\name`. So `tcpx` is a name, `tcp-syn` a number, `1.2.3.4.5` a name (it outruns the address), and
 * `0x1g` a name.
 */
import { FilterError, SYNTAX_ERROR } from './errors.js';

export type TokenKind =
  | 'kw' // a keyword: text holds the canonical keyword
  | 'num' // NUM: value holds it
  | 'id' // ID: a name (text)
  | 'hid' // HID: N.N, N.N.N or N.N.N.N (text)
  | 'hid6' // HID6: an IPv6 address (text)
  | 'eid' // EID: a MAC address (text)
  | 'aid' // AID: `$B` ARCnet address (text)
  | 'op' // operators and punctuation: text holds it (`&&` and `||` are keywords `and`/`or`)
  | 'eof';

export interface Token {
  kind: TokenKind;
  text: string;
  value: number;
  /** 1-based column of the first character. */
  column: number;
}

/** Keywords and their aliases, mapped to one canonical spelling (scanner.l's token names, lower-cased). */
const KEYWORDS: ReadonlyMap<string, string> = new Map([
  ['dst', 'dst'], ['src', 'src'],
  ['link', 'link'], ['ether', 'link'], ['ppp', 'link'], ['slip', 'link'], ['fddi', 'link'], ['tr', 'link'], ['wlan', 'link'],
  ['arp', 'arp'], ['rarp', 'rarp'], ['ip', 'ip'], ['sctp', 'sctp'], ['tcp', 'tcp'], ['udp', 'udp'], ['icmp', 'icmp'],
  ['igmp', 'igmp'], ['igrp', 'igrp'], ['pim', 'pim'], ['vrrp', 'vrrp'], ['carp', 'carp'], ['radio', 'radio'],
  ['ip6', 'ip6'], ['icmp6', 'icmp6'], ['ah', 'ah'], ['esp', 'esp'],
  ['atalk', 'atalk'], ['aarp', 'aarp'], ['decnet', 'decnet'], ['lat', 'lat'], ['sca', 'sca'], ['moprc', 'moprc'], ['mopdl', 'mopdl'],
  ['iso', 'iso'], ['esis', 'esis'], ['es-is', 'esis'], ['isis', 'isis'], ['is-is', 'isis'], ['l1', 'l1'], ['l2', 'l2'],
  ['iih', 'iih'], ['lsp', 'lsp'], ['snp', 'snp'], ['csnp', 'csnp'], ['psnp', 'psnp'], ['clnp', 'clnp'], ['stp', 'stp'],
  ['ipx', 'ipx'], ['netbeui', 'netbeui'],
  ['host', 'host'], ['net', 'net'], ['mask', 'mask'], ['port', 'port'], ['portrange', 'portrange'], ['proto', 'proto'],
  ['protochain', 'protochain'], ['gateway', 'gateway'],
  ['type', 'type'], ['subtype', 'subtype'], ['direction', 'dir'], ['dir', 'dir'],
  ['address1', 'addr1'], ['addr1', 'addr1'], ['address2', 'addr2'], ['addr2', 'addr2'], ['address3', 'addr3'], ['addr3', 'addr3'],
  ['address4', 'addr4'], ['addr4', 'addr4'], ['ra', 'ra'], ['ta', 'ta'],
  ['less', 'less'], ['greater', 'greater'], ['byte', 'byte'], ['broadcast', 'broadcast'], ['multicast', 'multicast'],
  ['and', 'and'], ['or', 'or'], ['not', 'not'],
  ['len', 'len'], ['length', 'len'], ['inbound', 'inbound'], ['outbound', 'outbound'], ['ifindex', 'ifindex'],
  ['vlan', 'vlan'], ['mpls', 'mpls'], ['pppoed', 'pppoed'], ['pppoes', 'pppoes'], ['geneve', 'geneve'],
  ['lane', 'lane'], ['llc', 'llc'], ['metac', 'metac'], ['bcc', 'bcc'], ['oam', 'oam'], ['oamf4', 'oamf4'], ['oamf4ec', 'oamf4ec'],
  ['oamf4sc', 'oamf4sc'], ['sc', 'sc'], ['ilmic', 'ilmic'], ['vpi', 'vpi'], ['vci', 'vci'], ['connectmsg', 'connectmsg'],
  ['metaconnect', 'metaconnect'],
  ['on', 'ifname'], ['ifname', 'ifname'], ['rset', 'rset'], ['ruleset', 'rset'], ['rnr', 'rnr'], ['rulenum', 'rnr'],
  ['srnr', 'srnr'], ['subrulenum', 'srnr'], ['reason', 'reason'], ['action', 'action'],
  ['fisu', 'fisu'], ['lssu', 'lssu'], ['lsu', 'lssu'], ['msu', 'msu'], ['hfisu', 'hfisu'], ['hlssu', 'hlssu'], ['hmsu', 'hmsu'],
  ['sio', 'sio'], ['opc', 'opc'], ['dpc', 'dpc'], ['sls', 'sls'], ['hsio', 'hsio'], ['hopc', 'hopc'], ['hdpc', 'hdpc'], ['hsls', 'hsls'],
]);

/** The named constants scanner.l turns into numbers. */
export const NAMED_CONSTANTS: ReadonlyMap<string, number> = new Map([
  ['icmptype', 0], ['icmpcode', 1],
  ['icmp-echoreply', 0], ['icmp-unreach', 3], ['icmp-sourcequench', 4], ['icmp-redirect', 5], ['icmp-echo', 8],
  ['icmp-routeradvert', 9], ['icmp-routersolicit', 10], ['icmp-timxceed', 11], ['icmp-paramprob', 12], ['icmp-tstamp', 13],
  ['icmp-tstampreply', 14], ['icmp-ireq', 15], ['icmp-ireqreply', 16], ['icmp-maskreq', 17], ['icmp-maskreply', 18],
  ['icmp6type', 0], ['icmp6code', 1],
  ['icmp6-destinationunreach', 1], ['icmp6-packettoobig', 2], ['icmp6-timeexceeded', 3], ['icmp6-parameterproblem', 4],
  ['icmp6-echo', 128], ['icmp6-echoreply', 129], ['icmp6-multicastlistenerquery', 130], ['icmp6-multicastlistenerreportv1', 131],
  ['icmp6-multicastlistenerdone', 132], ['icmp6-routersolicit', 133], ['icmp6-routeradvert', 134], ['icmp6-neighborsolicit', 135],
  ['icmp6-neighboradvert', 136], ['icmp6-redirect', 137], ['icmp6-routerrenum', 138], ['icmp6-nodeinformationquery', 139],
  ['icmp6-nodeinformationresponse', 140], ['icmp6-ineighbordiscoverysolicit', 141], ['icmp6-ineighbordiscoveryadvert', 142],
  ['icmp6-multicastlistenerreportv2', 143], ['icmp6-homeagentdiscoveryrequest', 144], ['icmp6-homeagentdiscoveryreply', 145],
  ['icmp6-mobileprefixsolicit', 146], ['icmp6-mobileprefixadvert', 147], ['icmp6-certpathsolicit', 148],
  ['icmp6-certpathadvert', 149], ['icmp6-multicastrouteradvert', 151], ['icmp6-multicastroutersolicit', 152],
  ['icmp6-multicastrouterterm', 153],
  ['tcpflags', 13], ['tcp-fin', 0x01], ['tcp-syn', 0x02], ['tcp-rst', 0x04], ['tcp-push', 0x08], ['tcp-ack', 0x10],
  ['tcp-urg', 0x20], ['tcp-ece', 0x40], ['tcp-cwr', 0x80],
]);

const B = '[0-9A-Fa-f][0-9A-Fa-f]?';
const B2 = '[0-9A-Fa-f]{4}';
const W = '[0-9A-Fa-f]{1,4}';
const N = '(?:0[xX][0-9A-Fa-f]+|[0-9]+)';
const V4 = `${N}\\.${N}\\.${N}\\.${N}`;

/** Lists scanner.l's V6 alternatives: every way to place `::` among up to 8 groups, with an optional IPv4 tail. */
function v6Alternatives(): string[] {
  const alts: string[] = [`(?:${W}:){7}${W}`];
  const groups = (n: number): string[] => Array.from({ length: n }, () => W);
  // Forms with '::' and up to 7 written groups (scanner.l V670..V600).
  for (let total = 7; total >= 0; total--) {
    for (let before = 0; before <= total; before++) {
      alts.push(`${groups(before).join(':')}::${groups(total - before).join(':')}`);
    }
  }
  // IPv4-tailed forms: 6 groups and the address, or '::' with up to 5 groups (V6604..V6004).
  alts.push(`(?:${W}:){6}${V4}`);
  for (let total = 5; total >= 0; total--) {
    for (let before = 0; before <= total; before++) {
      alts.push(`${groups(before).join(':')}::${groups(total - before).map((g) => `${g}:`).join('')}${V4}`);
    }
  }
  return alts;
}

type RuleKind = 'aid' | 'eid' | 'num' | 'hid' | 'hid6' | 'bogus-mac' | 'word' | 'escaped';

/**
 * The competing pattern rules in scanner.l's order (earlier wins a tie on length). Each rule is a list of
 * alternatives tried separately, because a JavaScript alternation stops at the first alternative that
 * matches where flex takes the longest.
 */
const RULES: readonly { kind: RuleKind; res: RegExp[] }[] = [
  { kind: 'aid', res: [`\\$${B}`] },
  {
    kind: 'eid',
    res: [`${B}:${B}:${B}:${B}:${B}:${B}`, `${B}-${B}-${B}-${B}-${B}-${B}`, `${B}\\.${B}\\.${B}\\.${B}\\.${B}\\.${B}`, `${B2}\\.${B2}\\.${B2}`, `${B2}${B2}${B2}`],
  },
  { kind: 'num', res: [N] },
  { kind: 'hid', res: [`${N}\\.${N}\\.${N}\\.${N}`, `${N}\\.${N}\\.${N}`, `${N}\\.${N}`] },
  { kind: 'hid6', res: v6Alternatives() },
  { kind: 'bogus-mac', res: [`${B}:+(?:${B}:+)+`] },
  { kind: 'word', res: ['[A-Za-z0-9](?:[-_.A-Za-z0-9]*[.A-Za-z0-9])?'] },
  { kind: 'escaped', res: ['\\\\[^ !()\\n\\t]+'] },
].map((r) => ({ kind: r.kind as RuleKind, res: r.res.map((src) => new RegExp(src, 'y')) }));

/** Returns the length of the longest match of any alternative at a position (0 when none matches). */
function longest(res: readonly RegExp[], src: string, pos: number): number {
  let best = 0;
  for (const re of res) {
    re.lastIndex = pos;
    const m = re.exec(src);
    if (m !== null && m[0].length > best) best = m[0].length;
  }
  return best;
}

/** Says whether a ':' comes before the next blank (space, tab, line break) or the end. */
function hasColonBeforeBlank(src: string, pos: number): boolean {
  for (let i = pos; i < src.length; i++) {
    const c = src[i]!;
    if (c === ':') return true;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') return false;
  }
  return false;
}

/** Converts a numeric literal as scanner.l's `stou` does (decimal, 0x hex, leading-0 octal), unsigned 32 bits. */
function numberValue(text: string, column: number): number {
  let base = 10;
  let digits = text;
  if (text.length > 1 && text[0] === '0') {
    if (text[1] === 'x' || text[1] === 'X') {
      base = 16;
      digits = text.slice(2);
    } else {
      base = 8;
      digits = text.slice(1);
      if (/[89]/.test(digits)) throw new FilterError(`number ${text} contains non-octal digit`, column);
    }
  }
  let n = 0;
  for (const ch of digits) {
    n = n * base + parseInt(ch, 16);
    if (n > 0xffffffff) throw new FilterError(`number ${text} overflows 32 bits`, column);
  }
  return n;
}

const SINGLE = '+-*/%:[]!<>()&|^=';

/** Splits an expression into tokens; the last one is 'eof'. Throws FilterError for characters libpcap refuses. */
export function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let pos = 0;
  while (pos < src.length) {
    const c = src[pos]!;
    const column = pos + 1;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      pos++;
      continue;
    }
    // Longest match among the pattern rules; the first rule wins a tie.
    let bestLen = 0;
    let bestKind: RuleKind = 'word';
    // Every IPv6 and bogus-MAC alternative holds a ':'; without one before the next blank, none can match
    // (skipping them saves compiling some fifty expressions for a filter like `tcp`).
    const colonAhead = hasColonBeforeBlank(src, pos);
    for (const rule of RULES) {
      if (!colonAhead && (rule.kind === 'hid6' || rule.kind === 'bogus-mac')) continue;
      const len = longest(rule.res, src, pos);
      if (len > bestLen) {
        bestLen = len;
        bestKind = rule.kind;
      }
    }
    // Operators are listed before the patterns: they win unless a pattern is longer (`::1` is an address).
    const two = src.slice(pos, pos + 2);
    const opLen = ['&&', '||', '>=', '<=', '!=', '==', '<<', '>>'].includes(two) ? 2 : SINGLE.includes(c) ? 1 : 0;
    if (opLen > 0 && opLen >= bestLen) {
      if (two === '&&' || two === '||') out.push({ kind: 'kw', text: two === '&&' ? 'and' : 'or', value: 0, column });
      else if (opLen === 2) out.push({ kind: 'op', text: two === '==' ? '=' : two, value: 0, column });
      else if (c === '!') out.push({ kind: 'kw', text: 'not', value: 0, column });
      else out.push({ kind: 'op', text: c, value: 0, column });
      pos += opLen;
      continue;
    }
    if (bestLen === 0) throw new FilterError(SYNTAX_ERROR, column);
    const text = src.slice(pos, pos + bestLen);
    pos += bestLen;
    switch (bestKind) {
      case 'word': {
        // Keywords and named constants are fixed strings listed before the ID rule: they win ties with it.
        const kw = KEYWORDS.get(text);
        if (kw !== undefined) out.push({ kind: 'kw', text: kw, value: 0, column });
        else if (NAMED_CONSTANTS.has(text)) out.push({ kind: 'num', text, value: NAMED_CONSTANTS.get(text)!, column });
        else out.push({ kind: 'id', text, value: 0, column });
        break;
      }
      case 'num':
        out.push({ kind: 'num', text, value: numberValue(text, column), column });
        break;
      case 'bogus-mac':
        throw new FilterError(`bogus ethernet address ${text}`, column);
      case 'escaped':
        out.push({ kind: 'id', text: text.slice(1), value: 0, column });
        break;
      default:
        out.push({ kind: bestKind, text, value: 0, column });
    }
  }
  out.push({ kind: 'eof', text: '', value: 0, column: src.length + 1 });
  return out;
}
