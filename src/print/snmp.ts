/**
 * tcpdump 4.99's SNMP text (print-snmp.c `snmp_print`, built without libsmi), for UDP ports 161 and 162.
 *
 * SNMP messages are BER (X.690) encoded: each element is a tag byte (class, constructed bit, number), a length
 * (short form, or 0x8N followed by N length bytes) and the contents. v1/v2c (RFC 1157, RFC 1901) carry
 * SEQUENCE { version, community, PDU }; v3 (RFC 3412) SEQUENCE { version, msgGlobalData, msgSecurityParameters
 * (USM, RFC 3414), ScopedPDU }.
 *
 * Truncation: tcpdump's BER parser checks element contents and prints an inline ` [|snmp]` before giving up on
 * the element, after which the enclosing printers still close their braces; only a missing tag or length byte
 * ends the line (its GET macro jumps out). Both behaviours are kept.
 *
 * OIDs print numerically (`.1.3.6.1.2.1.1.1.0`), as tcpdump does with -n; its compiled-in MIB names for
 * output without -n are not reproduced.
 */
import { HEX2 } from './context.js';
import { TRUNCATED, type Line } from './line.js';
import type { PrintOptions } from './options.js';
import { PRINTABLE } from './dns.js';

// Element kinds, as tcpdump's `struct be` types.
const BE_ANY: number = 255;
const BE_NULL: number = 1;
const BE_OCTET: number = 2;
const BE_OID: number = 3;
const BE_INT: number = 4;
const BE_UNS: number = 5;
const BE_STR: number = 6;
const BE_SEQ: number = 7;
const BE_INETADDR: number = 8;
const BE_PDU: number = 9;
const BE_UNS64: number = 10;
const BE_NOSUCHOBJECT: number = 128;
const BE_NOSUCHINST: number = 129;
const BE_ENDOFMIBVIEW: number = 130;

// BER tag bits.
export const ASN_ID_BITS = 0x1f;
export const ASN_FORM_BITS = 0x20;
export const ASN_CLASS_BITS = 0xc0;
export const ASN_ID_EXT = 0x1f;
export const ASN_BIT8 = 0x80;
const CLASS_UNIVERSAL = 0;
const CLASS_APPLICATION = 1;
const CLASS_CONTEXT = 2;

// PDU types (context-specific tags).
export const GETREQ = 0;
export const GETNEXTREQ = 1;
export const GETRESP = 2;
export const SETREQ = 3;
export const TRAP = 4;
export const GETBULKREQ = 5;
export const INFORMREQ = 6;
export const V2TRAP = 7;
export const REPORT = 8;

const UNIVERSAL_NAMES = [
  'U-0', 'Boolean', 'Integer', 'Bitstring', 'String', 'Null', 'ObjID', 'ObjectDes', 'U-8', 'U-9', 'U-10', 'U-11',
  'U-12', 'U-13', 'U-14', 'U-15', 'Sequence', 'Set',
];
const APPLICATION_NAMES = ['IpAddress', 'Counter', 'Gauge', 'TimeTicks', 'Opaque', 'C-5', 'Counter64'];
const CONTEXT_NAMES = ['GetRequest', 'GetNextRequest', 'GetResponse', 'SetRequest', 'Trap', 'GetBulk', 'Inform', 'V2Trap', 'Report'];
const EXCEPTION_NAMES = ['noSuchObject', 'noSuchInstance', 'endOfMibView'];
const PRIVATE_NAMES = ['P-0'];
/** tcpdump's class table; its names all print as "x" (its defineCLASS macro does not stringify). */
const CLASS_IDS = [UNIVERSAL_NAMES, APPLICATION_NAMES, CONTEXT_NAMES, PRIVATE_NAMES];
const ERROR_STATUS_NAMES = [
  'noError', 'tooBig', 'noSuchName', 'badValue', 'readOnly', 'genErr', 'noAccess', 'wrongType', 'wrongLength',
  'wrongEncoding', 'wrongValue', 'noCreation', 'inconsistentValue', 'resourceUnavailable', 'commitFailed',
  'undoFailed', 'authorizationError', 'notWritable', 'inconsistentName',
];
const GENERIC_TRAP_NAMES = ['coldStart', 'warmStart', 'linkDown', 'linkUp', 'authenticationFailure', 'egpNeighborLoss', 'enterpriseSpecific'];
const GT_ENTERPRISE = 6;
const VERSION_NAMES = ['SNMPv1', 'SNMPv2c', 'SNMPv2u', 'SNMPv3'];

/** One decoded BER element (tcpdump's `struct be`); instances are reused, one per decoding step. */
class Element {
  asnlen = 0;
  type = BE_ANY;
  id = 0;
  /** Offset of the contents in the packet. */
  start = 0;
  integer = 0;
  uns = 0;
  uns64 = 0n;
}

/** The state of the message being printed; one instance, reused for every packet. */
interface Ctx {
  line: Line;
  data: Buffer;
  end: number;
  verbose: number;
}
const CTX: Ctx = { line: null as unknown as Line, data: Buffer.alloc(0), end: 0, verbose: 0 };

/** Appends tcpdump's snmp_print text (it starts with a space) for the message at `off` (`length` = UDP length - 8). */
export function printSnmp(line: Line, data: Buffer, off: number, length: number, capEnd: number, opts: PrintOptions): void {
  line.protocol = 'snmp';
  const c = CTX;
  c.line = line;
  c.data = data;
  c.end = capEnd;
  c.verbose = opts.verbose;
  line.text += ' ';
  const e = E_TOP;
  let count = parse(c, off, length, e);
  if (count < 0) return;
  if (e.type !== BE_SEQ) {
    line.text += '[!init SEQ]';
    print(c, e);
    return;
  }
  if (count < length) line.text += `[${length - count} extra after iSEQ]`;
  length = e.asnlen;
  let np = e.start;
  count = parse(c, np, length, e);
  if (count < 0) return;
  if (e.type !== BE_INT) {
    line.text += '[version!=INT]';
    print(c, e);
    return;
  }
  const version = e.integer;
  if (version !== 0 && version !== 1 && version !== 3) {
    line.text += `SNMP [version = ${version}]`;
    return;
  }
  if (c.verbose) line.text += `{ ${VERSION_NAMES[version]} `;
  length -= count;
  np += count;
  if (version === 3) printV3Message(c, np, length);
  else printCommunity(c, np, length, version);
  if (c.verbose) line.text += '} ';
}

const E_TOP = new Element();
const E_COMMUNITY = new Element();
const E_V3 = new Element();
const E_USM = new Element();
const E_SCOPED = new Element();
const E_PDU = new Element();
const E_FIELD = new Element();
const E_VARBIND = new Element();

/**
 * Decodes the BER element at `p` (with `len` bytes left in its container) into `e`; returns the bytes it
 * spans, or -1 after printing tcpdump's note. A missing tag or length byte throws TRUNCATED.
 */
function parse(c: Ctx, p: number, len: number, e: Element): number {
  e.asnlen = 0;
  e.type = BE_ANY;
  if (len < 1) {
    c.line.text += '[nothing to parse]';
    return -1;
  }
  const tag = u8(c, p);
  let id = tag & ASN_ID_BITS;
  const form = (tag & ASN_FORM_BITS) >> 5;
  const cls = (tag & ASN_CLASS_BITS) >> 6;
  e.id = id;
  p++;
  len--;
  let hdr = 1;
  if (id === ASN_ID_EXT) {
    // The tag number follows in 7-bit groups; tcpdump keeps it in a byte, so it wraps.
    id = 0;
    while (u8(c, p) & ASN_BIT8) {
      if (len < 1) {
        c.line.text += '[Xtagfield?]';
        return -1;
      }
      id = ((id << 7) | (c.data[p]! & 0x7f)) & 0xff;
      len--;
      hdr++;
      p++;
    }
    if (len < 1) {
      c.line.text += '[Xtagfield?]';
      return -1;
    }
    id = ((id << 7) | c.data[p]!) & 0xff;
    e.id = id;
    len--;
    hdr++;
    p++;
  }
  if (len < 1) {
    c.line.text += '[no asnlen]';
    return -1;
  }
  let asnlen = u8(c, p);
  p++;
  len--;
  hdr++;
  if (asnlen & ASN_BIT8) {
    let noct = asnlen % ASN_BIT8;
    asnlen = 0;
    if (len < noct) {
      c.line.text += `[asnlen? ${len}<${noct}]`;
      return -1;
    }
    if (p + noct > c.end) return truncatedInline(c);
    for (; noct !== 0; len--, hdr++, noct--) {
      asnlen = ((asnlen << 8) | c.data[p]!) >>> 0;
      p++;
    }
  }
  e.asnlen = asnlen;
  if (len < asnlen) {
    c.line.text += `[len${len}<asnlen${asnlen}]`;
    return -1;
  }
  if (id >= (cls === 0 ? 18 : cls === 1 ? 7 : cls === 2 ? 9 : 1)) {
    c.line.text += `[id?${form ? 'C' : 'P'}/x/${id}]`;
    return -1;
  }
  if (p + asnlen > c.end) return truncatedInline(c);
  e.start = p;
  const names = CLASS_IDS[cls]!;
  if (form === 0) {
    switch (cls) {
      case CLASS_UNIVERSAL:
        switch (id) {
          case 4:
            e.type = BE_STR;
            break;
          case 2: {
            e.type = BE_INT;
            if (asnlen === 0) {
              c.line.text += '[asnlen=0]';
              return -1;
            }
            let v = c.data[p]! & ASN_BIT8 ? 0xffffffff : 0;
            for (let i = 0; i < asnlen; i++) v = ((v << 8) | c.data[p + i]!) >>> 0;
            e.integer = v | 0;
            break;
          }
          case 6:
            e.type = BE_OID;
            break;
          case 5:
            e.type = BE_NULL;
            break;
          default:
            e.type = BE_OCTET;
            c.line.text += `[P/U/${names[id]}]`;
            break;
        }
        break;
      case CLASS_APPLICATION:
        switch (id) {
          case 0:
            e.type = BE_INETADDR;
            break;
          case 1:
          case 2:
          case 3: {
            e.type = BE_UNS;
            let v = 0;
            for (let i = 0; i < asnlen; i++) v = ((v << 8) + c.data[p + i]!) >>> 0;
            e.uns = v;
            break;
          }
          case 6: {
            e.type = BE_UNS64;
            let v = 0n;
            for (let i = 0; i < asnlen; i++) v = ((v << 8n) + BigInt(c.data[p + i]!)) & 0xffffffffffffffffn;
            e.uns64 = v;
            break;
          }
          default:
            e.type = BE_OCTET;
            c.line.text += `[P/A/${names[id]}]`;
            break;
        }
        break;
      case CLASS_CONTEXT:
        if (id === 0) e.type = BE_NOSUCHOBJECT;
        else if (id === 1) e.type = BE_NOSUCHINST;
        else if (id === 2) e.type = BE_ENDOFMIBVIEW;
        break;
      default:
        c.line.text += `[P/x/${names[id]}]`;
        e.type = BE_OCTET;
        break;
    }
  } else if (cls === CLASS_UNIVERSAL) {
    if (id === 16) {
      e.type = BE_SEQ;
    } else {
      e.type = BE_OCTET;
      c.line.text += `C/U/${names[id]}`;
    }
  } else if (cls === CLASS_CONTEXT) {
    e.type = BE_PDU;
  } else {
    e.type = BE_OCTET;
    c.line.text += `C/x/${names[id]}`;
  }
  return asnlen + hdr;
}

function truncatedInline(c: Ctx): number {
  c.line.text += ' [|snmp]';
  return -1;
}

/** Prints an element as tcpdump's asn1_print; returns -1 when it printed a truncation mark. */
function print(c: Ctx, e: Element): number {
  const d = c.data;
  const p = e.start;
  const n = e.asnlen;
  switch (e.type) {
    case BE_OCTET:
      return printOctets(c, e);
    case BE_NULL:
      break;
    case BE_OID: {
      // Numeric form (-n): the first subidentifier encodes two arcs, 40 * first + second.
      let first = -1;
      let o = 0;
      let s = '';
      for (let i = 0; i < n; i++) {
        const b = d[p + i]!;
        o = ((o << 7) + (b & 0x7f)) >>> 0;
        if (b & ASN_BIT8) continue;
        if (first < 0) {
          first = 0;
          const arc = Math.min(Math.floor(o / 40), 2);
          s += '.' + arc;
          o = (o - arc * 40) >>> 0;
        }
        s += '.' + o;
        o = 0;
      }
      c.line.text += s;
      break;
    }
    case BE_INT:
      c.line.text += String(e.integer);
      break;
    case BE_UNS:
      c.line.text += String(e.uns);
      break;
    case BE_UNS64:
      c.line.text += e.uns64.toString();
      break;
    case BE_STR:
      return printString(c, e);
    case BE_SEQ:
      c.line.text += `Seq(${n})`;
      break;
    case BE_INETADDR: {
      if (n !== 4) c.line.text += '[inetaddr len!=4]';
      let s = '';
      for (let i = 0; i < n; i++) s += (i === 0 ? '' : '.') + d[p + i];
      c.line.text += s;
      break;
    }
    case BE_NOSUCHOBJECT:
    case BE_NOSUCHINST:
    case BE_ENDOFMIBVIEW:
      c.line.text += `[${EXCEPTION_NAMES[e.id]}]`;
      break;
    case BE_PDU:
      c.line.text += `${CONTEXT_NAMES[e.id]}(${n})`;
      break;
    case BE_ANY:
      c.line.text += '[BE_ANY!?]';
      break;
    default:
      c.line.text += '[be!?]';
      break;
  }
  return 0;
}

/** `_xx` for every byte. */
function printOctets(c: Ctx, e: Element): number {
  let s = '';
  for (let i = 0; i < e.asnlen; i++) s += '_' + HEX2[c.data[e.start + i]!]!;
  c.line.text += s;
  return 0;
}

/** A quoted string when every byte is printable ASCII, else `xx_xx_…`. */
function printString(c: Ctx, e: Element): number {
  const d = c.data;
  let printable = true;
  for (let i = 0; i < e.asnlen && printable; i++) {
    const b = d[e.start + i]!;
    printable = b >= 0x20 && b <= 0x7e;
  }
  let s = '';
  if (printable) {
    s = '"';
    for (let i = 0; i < e.asnlen; i++) s += PRINTABLE[d[e.start + i]!];
    s += '"';
  } else {
    for (let i = 0; i < e.asnlen; i++) s += (i === 0 ? '' : '_') + HEX2[d[e.start + i]!]!;
  }
  c.line.text += s;
  return 0;
}

/**
 * Parses the next element of a fixed structure and checks its kind; prints tcpdump's `[what!=KIND]` note and
 * the element otherwise. Returns the bytes it spans, or -1 to stop.
 */
function expect(c: Ctx, p: number, len: number, e: Element, type: number, note: string): number {
  const count = parse(c, p, len, e);
  if (count < 0) return -1;
  if (e.type !== type) {
    c.line.text += note;
    print(c, e);
    return -1;
  }
  return count;
}

function printCommunity(c: Ctx, np: number, length: number, version: number): void {
  const e = E_COMMUNITY;
  const count = expect(c, np, length, e, BE_STR, '[comm!=STR]');
  if (count < 0) return;
  const isPublic = e.asnlen === 6 && c.data.toString('latin1', e.start, e.start + 6) === 'public';
  if (!isPublic) {
    c.line.text += 'C=';
    if (printString(c, e) === -1) return;
    c.line.text += ' ';
  }
  printPdu(c, np + count, length - count, version);
}

function printPdu(c: Ctx, np: number, length: number, version: number): void {
  const pdu = E_PDU;
  const count = parse(c, np, length, pdu);
  if (count < 0) return;
  if (pdu.type !== BE_PDU) {
    c.line.text += '[no PDU]';
    return;
  }
  if (count < length) c.line.text += `[${length - count} extra after PDU]`;
  if (c.verbose) c.line.text += '{ ';
  print(c, pdu);
  c.line.text += ' ';
  const id = pdu.id;
  if (version === 0 && (id === GETBULKREQ || id === INFORMREQ || id === V2TRAP || id === REPORT)) {
    c.line.text += '[v2 PDU in v1 message]';
    return;
  }
  if (version === 1 && id === TRAP) {
    c.line.text += '[v1 PDU in v2 message]';
    return;
  }
  if (id === TRAP) printTrapPdu(c, pdu.start, pdu.asnlen);
  else printRequestPdu(c, id, pdu.start, pdu.asnlen);
  if (c.verbose) c.line.text += ' } ';
}

function printRequestPdu(c: Ctx, pduId: number, np: number, length: number): void {
  const e = E_FIELD;
  let count = expect(c, np, length, e, BE_INT, '[reqId!=INT]');
  if (count < 0) return;
  if (c.verbose) c.line.text += `R=${e.integer} `;
  length -= count;
  np += count;

  count = expect(c, np, length, e, BE_INT, '[errorStatus!=INT]');
  if (count < 0) return;
  const strict = pduId === GETREQ || pduId === GETNEXTREQ || pduId === SETREQ || pduId === INFORMREQ || pduId === V2TRAP || pduId === REPORT;
  let errorStatus = 0;
  if (strict && e.integer !== 0) {
    c.line.text += `[errorStatus(${errorStatusName(e.integer)})!=0]`;
  } else if (pduId === GETBULKREQ) {
    c.line.text += ` N=${e.integer}`;
  } else if (e.integer !== 0) {
    c.line.text += ' ' + errorStatusName(e.integer);
    errorStatus = e.integer;
  }
  length -= count;
  np += count;

  count = expect(c, np, length, e, BE_INT, '[errorIndex!=INT]');
  if (count < 0) return;
  if (strict && e.integer !== 0) {
    c.line.text += `[errorIndex(${e.integer})!=0]`;
  } else if (pduId === GETBULKREQ) {
    c.line.text += ` M=${e.integer}`;
  } else if (e.integer !== 0) {
    c.line.text += errorStatus ? `@${e.integer}` : `[errorIndex(${e.integer}) w/o errorStatus]`;
  } else if (errorStatus) {
    c.line.text += '[errorIndex==0]';
  }
  length -= count;
  np += count;
  printVarbinds(c, pduId, np, length);
}

function printTrapPdu(c: Ctx, np: number, length: number): void {
  const e = E_FIELD;
  c.line.text += ' ';
  let count = expect(c, np, length, e, BE_OID, '[enterprise!=OID]');
  if (count < 0 || print(c, e) < 0) return;
  length -= count;
  np += count;
  c.line.text += ' ';
  count = expect(c, np, length, e, BE_INETADDR, '[agent-addr!=INETADDR]');
  if (count < 0 || print(c, e) < 0) return;
  length -= count;
  np += count;
  count = expect(c, np, length, e, BE_INT, '[generic-trap!=INT]');
  if (count < 0) return;
  const generic = e.integer;
  c.line.text += ' ' + (generic >= 0 && generic < GENERIC_TRAP_NAMES.length ? GENERIC_TRAP_NAMES[generic] : `gt=${generic}`);
  length -= count;
  np += count;
  count = expect(c, np, length, e, BE_INT, '[specific-trap!=INT]');
  if (count < 0) return;
  if (generic !== GT_ENTERPRISE) {
    if (e.integer !== 0) c.line.text += `[specific-trap(${e.integer})!=0]`;
  } else {
    c.line.text += ` s=${e.integer}`;
  }
  length -= count;
  np += count;
  c.line.text += ' ';
  count = expect(c, np, length, e, BE_UNS, '[time-stamp!=TIMETICKS]');
  if (count < 0 || print(c, e) < 0) return;
  length -= count;
  np += count;
  printVarbinds(c, TRAP, np, length);
}

function printVarbinds(c: Ctx, pduId: number, np: number, length: number): void {
  const e = E_VARBIND;
  let count = expect(c, np, length, e, BE_SEQ, '[!SEQ of varbind]');
  if (count < 0) return;
  if (count < length) c.line.text += `[${length - count} extra after SEQ of varbind]`;
  length = e.asnlen;
  np = e.start;
  const request = pduId === GETREQ || pduId === GETNEXTREQ || pduId === GETBULKREQ;
  while (length) {
    c.line.text += ' ';
    count = expect(c, np, length, e, BE_SEQ, '[!varbind]');
    if (count < 0) return;
    const vbEnd = np + count;
    const vbLength = length - count;
    length = e.asnlen;
    np = e.start;
    count = expect(c, np, length, e, BE_OID, '[objName!=OID]');
    if (count < 0 || print(c, e) < 0) return;
    length -= count;
    np += count;
    if (!request) c.line.text += '=';
    count = parse(c, np, length, e);
    if (count < 0) return;
    if (request) {
      if (e.type !== BE_NULL) {
        c.line.text += '[objVal!=NULL]';
        if (print(c, e) < 0) return;
      }
    } else if (e.type !== BE_NULL && print(c, e) < 0) {
      return;
    }
    length = vbLength;
    np = vbEnd;
  }
}

function printV3Message(c: Ctx, np: number, length: number): void {
  const e = E_V3;
  const startNp = np;
  const startLength = length;
  let count = expect(c, np, length, e, BE_SEQ, '[!message]');
  if (count < 0) return;
  length = e.asnlen;
  np = e.start;
  if (c.verbose) c.line.text += '{ ';
  count = expect(c, np, length, e, BE_INT, '[msgID!=INT]');
  if (count < 0) return;
  length -= count;
  np += count;
  count = expect(c, np, length, e, BE_INT, '[msgMaxSize!=INT]');
  if (count < 0) return;
  length -= count;
  np += count;
  count = expect(c, np, length, e, BE_STR, '[msgFlags!=STR]');
  if (count < 0) return;
  if (e.asnlen !== 1) {
    c.line.text += `[msgFlags size ${e.asnlen}]`;
    return;
  }
  const flags = c.data[e.start]!;
  if (flags !== 0x00 && flags !== 0x01 && flags !== 0x03 && flags !== 0x04 && flags !== 0x05 && flags !== 0x07) {
    c.line.text += `[msgFlags=0x${HEX2[flags]!.toUpperCase()}]`;
    return;
  }
  length -= count;
  np += count;
  c.line.text += `F=${flags & 1 ? 'a' : ''}${flags & 2 ? 'p' : ''}${flags & 4 ? 'r' : ''} `;
  count = expect(c, np, length, e, BE_INT, '[msgSecurityModel!=INT]');
  if (count < 0) return;
  const model = e.integer;
  length -= count;
  np += count;
  if (count < length) c.line.text += `[${length - count} extra after message SEQ]`;
  if (c.verbose) c.line.text += '} ';
  if (model !== 3) {
    c.line.text += `[security model ${model}]`;
    return;
  }
  if (c.verbose) c.line.text += '{ USM ';
  // tcpdump goes on from the end of the last header field, with the length left in the whole message.
  length = startLength - (np - startNp);
  count = expect(c, np, length, e, BE_STR, '[msgSecurityParameters!=STR]');
  if (count < 0) return;
  length -= count;
  np += count;
  printUsm(c, e.start, e.asnlen);
  if (c.verbose) c.line.text += '} ';
  if (c.verbose) c.line.text += '{ ScopedPDU ';
  printScopedPdu(c, np, length, 3);
  if (c.verbose) c.line.text += '} ';
}

function printUsm(c: Ctx, np: number, length: number): void {
  const e = E_USM;
  let count = expect(c, np, length, e, BE_SEQ, '[!usm]');
  if (count < 0) return;
  length = e.asnlen;
  np = e.start;
  count = expect(c, np, length, e, BE_STR, '[msgAuthoritativeEngineID!=STR]');
  if (count < 0) return;
  length -= count;
  np += count;
  count = expect(c, np, length, e, BE_INT, '[msgAuthoritativeEngineBoots!=INT]');
  if (count < 0) return;
  if (c.verbose) c.line.text += `B=${e.integer} `;
  length -= count;
  np += count;
  count = expect(c, np, length, e, BE_INT, '[msgAuthoritativeEngineTime!=INT]');
  if (count < 0) return;
  if (c.verbose) c.line.text += `T=${e.integer} `;
  length -= count;
  np += count;
  count = expect(c, np, length, e, BE_STR, '[msgUserName!=STR]');
  if (count < 0) return;
  length -= count;
  np += count;
  c.line.text += 'U=';
  if (printString(c, e) === -1) return;
  c.line.text += ' ';
  count = expect(c, np, length, e, BE_STR, '[msgAuthenticationParameters!=STR]');
  if (count < 0) return;
  length -= count;
  np += count;
  count = expect(c, np, length, e, BE_STR, '[msgPrivacyParameters!=STR]');
  if (count < 0) return;
  length -= count;
  if (count < length) c.line.text += `[${length - count} extra after usm SEQ]`;
}

function printScopedPdu(c: Ctx, np: number, length: number, version: number): void {
  const e = E_SCOPED;
  let count = expect(c, np, length, e, BE_SEQ, '[!scoped PDU]');
  if (count < 0) return;
  length = e.asnlen;
  np = e.start;
  count = expect(c, np, length, e, BE_STR, '[contextEngineID!=STR]');
  if (count < 0) return;
  length -= count;
  np += count;
  c.line.text += 'E=';
  if (printOctets(c, e) === -1) return;
  c.line.text += ' ';
  count = expect(c, np, length, e, BE_STR, '[contextName!=STR]');
  if (count < 0) return;
  length -= count;
  np += count;
  c.line.text += 'C=';
  if (printString(c, e) === -1) return;
  c.line.text += ' ';
  printPdu(c, np, length, version);
}

function errorStatusName(e: number): string {
  return e >= 0 && e < ERROR_STATUS_NAMES.length ? ERROR_STATUS_NAMES[e]! : `err=${e >>> 0}`;
}

function u8(c: Ctx, at: number): number {
  if (at >= c.end) throw TRUNCATED;
  return c.data[at]!;
}
