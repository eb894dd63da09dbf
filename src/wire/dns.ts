/**
 * DNS message layout (RFC 1035 section 4.1, EDNS(0) RFC 6891, mDNS RFC 6762): field offsets, flag bits, label
 * types and the name tables tcpdump 4.99 prints. No printing here.
 *
 * Header (RFC 1035 4.1.1):
 *
 *                                   1  1  1  1  1  1
 *     0  1  2  3  4  5  6  7  8  9  0  1  2  3  4  5
 *   +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 *   |                      ID                       |
 *   +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 *   |QR|   Opcode  |AA|TC|RD|RA| Z|AD|CD|   RCODE   |
 *   +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 *   |                    QDCOUNT                    |
 *   +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 *   |                    ANCOUNT                    |
 *   +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 *   |                    NSCOUNT                    |
 *   +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 *   |                    ARCOUNT                    |
 *   +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 *
 * A question is NAME, TYPE(2), CLASS(2); a resource record is NAME, TYPE(2), CLASS(2), TTL(4), RDLENGTH(2), RDATA.
 * Over TCP every message is preceded by a 2-byte length (RFC 1035 4.2.2).
 */

/** Message ID. */
export const DNS_ID = 0;
/** QR, Opcode, AA, TC, RD, RA, Z, AD, CD, RCODE. */
export const DNS_FLAGS = 2;
export const DNS_QDCOUNT = 4;
export const DNS_ANCOUNT = 6;
export const DNS_NSCOUNT = 8;
export const DNS_ARCOUNT = 10;
export const DNS_HEADER_LEN = 12;
/** Size of the length prefix of DNS over TCP. */
export const DNS_TCP_PREFIX_LEN = 2;

/** Bytes after a question's name: TYPE, CLASS. */
export const DNS_QUESTION_FIXED_LEN = 4;
/** Offsets inside a resource record after its name. */
export const RR_TYPE = 0;
export const RR_CLASS = 2;
export const RR_TTL = 4;
export const RR_RDLENGTH = 8;
export const RR_FIXED_LEN = 10;

// Flag bits of the 16-bit flags word.
export const FLAG_QR = 0x8000;
export const FLAG_AA = 0x0400;
export const FLAG_TC = 0x0200;
export const FLAG_RD = 0x0100;
export const FLAG_RA = 0x0080;
export const FLAG_AD = 0x0020;
export const FLAG_CD = 0x0010;
export const OPCODE_SHIFT = 11;
export const OPCODE_MASK = 0xf;
export const RCODE_MASK = 0x000f;
/** The flag bits tcpdump reports as ` [b2&3=0x…]` when set in a query: AA, TC, RA, Z and RCODE. */
export const QUERY_ODD_FLAGS = 0x06cf;

// Response codes (RFC 1035 4.1.1, RFC 2136).
export const RCODE_NOERROR = 0;
export const RCODE_FORMERR = 1;
export const RCODE_SERVFAIL = 2;
export const RCODE_NXDOMAIN = 3;
export const RCODE_NOTIMP = 4;
export const RCODE_REFUSED = 5;

export const OPCODE_QUERY = 0;
export const OPCODE_IQUERY = 1;

// Label types: the top two bits of a label's length byte.
export const LABEL_TYPE_MASK = 0xc0;
/** 11: a compression pointer (14-bit offset from the message start). */
export const LABEL_POINTER = 0xc0;
/** 10: reserved. */
export const LABEL_RESERVED = 0x80;
/** 01: an extended label type (RFC 2671); only the bit-string label 0x41 (RFC 2673) is known. */
export const LABEL_EXTENDED = 0x40;
/** 00: an ordinary label of up to 63 bytes. */
export const LABEL_NORMAL = 0x00;
export const EXTENDED_BITSTRING = 0x01;
/** Longest name tcpdump prints before `<DOMAIN NAME TOO LONG>`. */
export const MAX_NAME_CHARS = 255;

// Resource record types (the ones printers treat specially).
export const T_A = 1;
export const T_NS = 2;
export const T_CNAME = 5;
export const T_SOA = 6;
export const T_PTR = 12;
export const T_MX = 15;
export const T_TXT = 16;
export const T_AAAA = 28;
export const T_SRV = 33;
export const T_A6 = 38;
export const T_DNAME = 39;
export const T_OPT = 41;
export const T_UNSPECA = 104;
export const T_TSIG = 250;
export const T_URI = 256;

export const C_IN = 1;
/** mDNS: the top bit of a question's class asks for a unicast reply (QU). */
export const C_QU = 0x8000;
/** mDNS: the top bit of a record's class says "cache flush". */
export const C_CACHE_FLUSH = 0x8000;

// EDNS(0) option codes (IANA "DNS EDNS0 Option Codes").
export const E_NSID = 3;
export const E_DAU = 5;
export const E_DHU = 6;
export const E_N3U = 7;
export const E_ECS = 8;
export const E_EXPIRE = 9;
export const E_COOKIE = 10;
export const E_KEEPALIVE = 11;
export const E_PADDING = 12;
export const E_CHAIN = 13;
export const E_KEYTAG = 14;

/** Returns tcpdump's name for an RR type, `Type<N>` for the others. */
export function dnsTypeName(type: number): string {
  return TYPE_NAMES.get(type) ?? `Type${type}`;
}

/** Returns tcpdump's name for a class other than IN, `(Class <N>)` for unknown ones. */
export function dnsClassName(cls: number): string {
  return CLASS_NAMES.get(cls) ?? `(Class ${cls})`;
}

/** Returns tcpdump's name for an EDNS option code, `Opt<N>` for unknown ones. */
export function ednsOptionName(code: number): string {
  return EDNS_OPTION_NAMES.get(code) ?? `Opt${code}`;
}

/** tcpdump's ` name` for each opcode (with its leading space; empty for a standard query). */
export const OPCODE_NAMES: readonly string[] = [
  '', ' inv_q', ' stat', ' op3', ' notify', ' update', ' op6', ' op7',
  ' op8', ' updateA', ' updateD', ' updateDA', ' updateM', ' updateMA', ' zoneInit', ' zoneRef',
];

/**
 * tcpdump's ` name` for each (extended) response code. Entries 17 and 21 lack the leading space in
 * tcpdump 4.99's table; the quirk is kept so the text matches.
 */
export const RCODE_NAMES: readonly string[] = [
  '', ' FormErr', ' ServFail', ' NXDomain', ' NotImp', ' Refused', ' YXDomain', ' YXRRSet',
  ' NXRRSet', ' NotAuth', ' NotZone', ' Resp11', ' Resp12', ' Resp13', ' Resp14', ' NoChange',
  ' BadVers', 'Resp17', ' Resp18', ' Resp19', ' Resp20', 'Resp21', ' Resp22', ' BadCookie',
];

/** Returns the ` name` of an extended rcode as tcpdump prints it after the ID. */
export function rcodeText(rcode: number): string {
  return rcode < RCODE_NAMES.length ? RCODE_NAMES[rcode]! : ` Resp${rcode & 0xfff}`;
}

const TYPE_NAMES = new Map<number, string>([
  [1, 'A'], [2, 'NS'], [3, 'MD'], [4, 'MF'], [5, 'CNAME'], [6, 'SOA'], [7, 'MB'], [8, 'MG'], [9, 'MR'],
  [10, 'NULL'], [11, 'WKS'], [12, 'PTR'], [13, 'HINFO'], [14, 'MINFO'], [15, 'MX'], [16, 'TXT'], [17, 'RP'],
  [18, 'AFSDB'], [19, 'X25'], [20, 'ISDN'], [21, 'RT'], [22, 'NSAP'], [23, 'NSAP_PTR'], [24, 'SIG'],
  [25, 'KEY'], [26, 'PX'], [27, 'GPOS'], [28, 'AAAA'], [29, 'LOC'], [30, 'NXT'], [31, 'EID'], [32, 'NIMLOC'],
  [33, 'SRV'], [34, 'ATMA'], [35, 'NAPTR'], [36, 'KX'], [37, 'CERT'], [38, 'A6'], [39, 'DNAME'], [40, 'SINK'],
  [41, 'OPT'], [42, 'APL'], [43, 'DS'], [44, 'SSHFP'], [45, 'IPSECKEY'], [46, 'RRSIG'], [47, 'NSEC'],
  [48, 'DNSKEY'], [99, 'SPF'], [100, 'UINFO'], [101, 'UID'], [102, 'GID'], [103, 'UNSPEC'], [104, 'UNSPECA'],
  [249, 'TKEY'], [250, 'TSIG'], [251, 'IXFR'], [252, 'AXFR'], [253, 'MAILB'], [254, 'MAILA'], [255, 'ANY'],
  [256, 'URI'],
]);

const CLASS_NAMES = new Map<number, string>([[1, 'IN'], [3, 'CHAOS'], [4, 'HS'], [255, 'ANY']]);

const EDNS_OPTION_NAMES = new Map<number, string>([
  [1, 'LLQ'], [2, 'UL'], [3, 'NSID'], [5, 'DAU'], [6, 'DHU'], [7, 'N3U'], [8, 'ECS'], [9, 'EXPIRE'],
  [10, 'COOKIE'], [11, 'KEEPALIVE'], [12, 'PADDING'], [13, 'CHAIN'], [14, 'KEY-TAG'], [16, 'CLIENT-TAG'],
  [17, 'SERVER-TAG'],
]);

/** DNSSEC algorithm names as tcpdump prints them in the DAU option (`Alg_<N>` otherwise). */
export const DNSSEC_ALGORITHM_NAMES = new Map<number, string>([
  [0, 'DELETE'], [1, 'RSAMD5'], [2, 'DH'], [3, 'DS'], [5, 'RSASHA1'], [6, 'DSA-NSEC3-SHA1'],
  [7, 'RSASHA1-NSEC3-SHA1'], [8, 'RSASHA256'], [10, 'RSASHA512'], [12, 'ECC-GOST'], [13, 'ECDSAP256SHA256'],
  [14, 'ECDSAP384SHA384'], [15, 'ED25519'], [16, 'ED448'], [252, 'INDIRECT'], [253, 'PRIVATEDNS'],
  [254, 'PRIVATEOID'],
]);
/** DS digest names (DHU option). */
export const DS_DIGEST_NAMES = new Map<number, string>([[1, 'SHA-1'], [2, 'SHA-256'], [3, 'GOST_R_34.11-94'], [4, 'SHA-384']]);
/** NSEC3 hash names (N3U option). */
export const NSEC3_HASH_NAMES = new Map<number, string>([[1, 'SHA-1']]);

/**
 * Returns the offset just past the (possibly compressed) name at `at`, or -1 when the name runs past `end`
 * or uses a reserved or unknown extended label type. A compression pointer ends the name (it is not followed),
 * as tcpdump's ns_nskip does.
 */
export function skipName(data: Uint8Array, at: number, end: number): number {
  if (at >= end) return -1;
  let len = data[at]!;
  at++;
  while (len !== 0) {
    switch (len & LABEL_TYPE_MASK) {
      case LABEL_POINTER:
        return at + 1;
      case LABEL_EXTENDED: {
        if ((len & ~LABEL_TYPE_MASK) !== EXTENDED_BITSTRING) return -1;
        if (at >= end) return -1;
        const bits = data[at]! || 256;
        at += 1 + ((bits + 7) >> 3);
        break;
      }
      case LABEL_RESERVED:
        return -1;
      default:
        at += len;
        break;
    }
    if (at >= end) return -1;
    len = data[at]!;
    at++;
  }
  return at;
}
