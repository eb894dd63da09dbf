/**
 * tcpdump 4.99's ISAKMP/IKE text (print-isakmp.c `isakmp_print`, `ikev1_print`, `ikev2_print`): the fixed
 * header line at every verbosity (`isakmp: phase 1 I ident`, `isakmp: parent_sa ikev2_init[I]`), with -v the
 * version and message id, with -vv the cookies, and the length cross-check.
 *
 * Known gap: the payload chain tcpdump prints with -v (SA proposals, transforms, KE, nonces, notifications...)
 * is printed for the simple IKEv1 payloads only (KE, HASH, SIG, VID, NONCE, CERT, CR, see printPayloadChain);
 * the text ends at the first SA, ID, N, D or IKEv2 payload. tcpdump also remembers initiator cookies with the
 * initiator's address to label later packets ` R`; these printers see no addresses, so a packet with a
 * responder cookie prints ` ?` (tcpdump's label for a cookie it has not seen).
 */
import { readU16, readU32 } from './context.js';
import { TRUNCATED, type Line } from './line.js';
import type { PrintOptions } from './options.js';
import { HEX2 } from './context.js';
import {
  IKEV1_MAJOR_VERSION, IKEV2_MAJOR_VERSION, ISAKMP_EXCHANGE_TYPE, ISAKMP_FLAG_COMMIT, ISAKMP_FLAG_ENCRYPTED,
  ISAKMP_FLAG_INITIATOR, ISAKMP_FLAG_RESPONSE, ISAKMP_FLAG_VERSION, ISAKMP_FLAGS, ISAKMP_HEADER_LEN,
  ISAKMP_INITIATOR_COOKIE, ISAKMP_LENGTH, ISAKMP_MESSAGE_ID, ISAKMP_NEXT_PAYLOAD, ISAKMP_RESPONDER_COOKIE,
  ISAKMP_VERSION, ISAKMP_VERSION_MAJOR_MASK, ISAKMP_VERSION_MAJOR_SHIFT, ISAKMP_VERSION_MINOR_MASK, PAYLOAD_CERT, PAYLOAD_CR,
  PAYLOAD_HASH, PAYLOAD_HEADER_LEN, PAYLOAD_KE, PAYLOAD_LENGTH, PAYLOAD_NEXT, PAYLOAD_NONCE, PAYLOAD_SIG, PAYLOAD_VID,
  exchangeTypeName, payloadName,
} from '../wire/isakmp.js';

/** Appends tcpdump's isakmp_print text; throws TRUNCATED (protocol 'isakmp') where tcpdump prints ` [|isakmp]`. */
export function printIsakmp(line: Line, data: Buffer, off: number, length: number, capEnd: number, opts: PrintOptions): void {
  line.protocol = 'isakmp';
  // tcpdump wants the whole fixed header captured before printing anything.
  if (off + ISAKMP_HEADER_LEN > capEnd) throw TRUNCATED;
  const vers = data[off + ISAKMP_VERSION]!;
  const major = (vers & ISAKMP_VERSION_MAJOR_MASK) >> ISAKMP_VERSION_MAJOR_SHIFT;
  const minor = vers & ISAKMP_VERSION_MINOR_MASK;
  line.text += 'isakmp';
  if (opts.verbose) {
    line.text += ` ${major}.${minor} msgid ${hex(data, off + ISAKMP_MESSAGE_ID, 4)}`;
  }
  if (opts.verbose > 1) {
    line.text += ` cookie ${hex(data, off + ISAKMP_INITIATOR_COOKIE, 8)}->${hex(data, off + ISAKMP_RESPONDER_COOKIE, 8)}`;
  }
  line.text += ':';
  if (major !== IKEV1_MAJOR_VERSION && major !== IKEV2_MAJOR_VERSION) return;
  const phase1 = readU32(data, off + ISAKMP_MESSAGE_ID) === 0;
  const flags = data[off + ISAKMP_FLAGS]!;
  const etype = exchangeTypeName(data[off + ISAKMP_EXCHANGE_TYPE]!);
  if (major === IKEV1_MAJOR_VERSION) {
    line.text += phase1 ? ' phase 1' : ' phase 2/others';
    line.text += isZero(data, off + ISAKMP_RESPONDER_COOKIE, 8) ? ' I' : ' ?';
    line.text += ` ${etype}`;
    if (flags) {
      line.text += `[${flags & ISAKMP_FLAG_ENCRYPTED ? 'E' : ''}${flags & ISAKMP_FLAG_COMMIT ? 'C' : ''}]`;
    }
  } else {
    line.text += phase1 ? ' parent_sa' : ' child_sa ';
    line.text += ` ${etype}`;
    if (flags) {
      line.text += `[${flags & ISAKMP_FLAG_INITIATOR ? 'I' : ''}${flags & ISAKMP_FLAG_VERSION ? 'V' : ''}` +
        `${flags & ISAKMP_FLAG_RESPONSE ? 'R' : ''}]`;
    }
  }
  if (!opts.verbose) return;
  line.text += ':';
  const np = data[off + ISAKMP_NEXT_PAYLOAD]!;
  // Both versions test bit 0x01 (IKEv1 "encrypted"; reserved in IKEv2) before walking payloads.
  if (flags & ISAKMP_FLAG_ENCRYPTED) {
    line.text += ` [encrypted ${payloadName(np)}]`;
  } else if (np !== 0) {
    printPayloadChain(line, data, off + ISAKMP_HEADER_LEN, np, capEnd, opts.verbose, major === IKEV1_MAJOR_VERSION);
  }
  const declared = readU32(data, off + ISAKMP_LENGTH);
  if (declared !== length) line.text += ` (len mismatch: isakmp ${declared}/ip ${length})`;
}

/** The IKEv1 payloads whose text is only a length (tcpdump's ikev1_ke/hash/sig/vid_print). */
const LENGTH_ONLY_PAYLOADS = new Set([PAYLOAD_KE, PAYLOAD_HASH, PAYLOAD_SIG, PAYLOAD_VID]);
/** sizeof tcpdump's ikev1_pl_cert: generic header, encoding octet, first certificate octet. */
const CERT_FIXED_LEN = 6;
const CERT_ENCODING_NAMES: readonly string[] = [
  'none', 'pkcs7', 'pgp', 'dns', 'x509sign', 'x509ke', 'kerberos', 'crl', 'arl', 'spki', 'x509attr',
];

/**
 * Walks the payload chain as tcpdump's ikev1_sub_print does: each payload's generic header and whole length
 * must be captured (else ` [|name]`), then `\n    (text)`; a length of 4 or less ends the walk after `()`.
 * The payloads described: KE, HASH, SIG, VID, NONCE, CERT, CR in IKEv1 messages, and the unnamed types
 * tcpdump only names. Any other payload (SA, ID, N, D, IKEv2's) ends the text there: the known gap.
 */
function printPayloadChain(line: Line, data: Buffer, p: number, np: number, capEnd: number, verbose: number, v1: boolean): void {
  while (np !== 0) {
    // The generic header, then the whole payload it announces, must be captured.
    if (p + PAYLOAD_HEADER_LEN > capEnd) {
      line.text += ` [|${payloadName(np)}]`;
      return;
    }
    const itemLen = readU16(data, p + PAYLOAD_LENGTH);
    if (p + itemLen > capEnd) {
      line.text += ` [|${payloadName(np)}]`;
      return;
    }
    if (!v1) return; // ikev2_sub_print's payload texts are not described
    const described = itemLen <= PAYLOAD_HEADER_LEN || (np >= 14 && np <= 32) || np > 48 ||
      LENGTH_ONLY_PAYLOADS.has(np) || np === PAYLOAD_NONCE || np === PAYLOAD_CERT || np === PAYLOAD_CR;
    if (!described) return;
    line.text += '\n    (';
    if (itemLen <= PAYLOAD_HEADER_LEN) {
      line.text += ')';
      return;
    }
    const name = payloadName(np);
    const body = p + PAYLOAD_HEADER_LEN;
    const bodyLen = itemLen - PAYLOAD_HEADER_LEN;
    let ok = true;
    if ((np >= 14 && np <= 32) || np > 48) {
      line.text += name;
    } else if (np === PAYLOAD_NONCE) {
      line.text += `${name}: n len=${bodyLen}`;
      if (verbose > 2) ok = rawHex(line, data, body, bodyLen, capEnd);
      else if (verbose > 1) line.text += ' ' + someData(data, body, capEnd);
    } else if (np === PAYLOAD_CERT || np === PAYLOAD_CR) {
      line.text += `${name}:`;
      // tcpdump checks its whole struct (generic header, encoding and one data octet) is captured, even
      // beyond a shorter payload.
      if (p + CERT_FIXED_LEN > capEnd) ok = false;
      else {
        const encoding = data[body]!;
        line.text += ` len=${bodyLen} type=${CERT_ENCODING_NAMES[encoding] ?? `#${encoding}`}`;
        if (verbose > 2) ok = rawHex(line, data, body, bodyLen, capEnd);
      }
    } else {
      line.text += `${name}: ${np === PAYLOAD_KE ? 'key ' : ''}len=${bodyLen}`;
      if (verbose > 2) ok = rawHex(line, data, body, bodyLen, capEnd);
    }
    if (!ok) {
      line.text += ` [|${name}])`;
      return;
    }
    line.text += ')';
    np = data[p + PAYLOAD_NEXT]!;
    p += itemLen;
  }
}

/** Appends ` HEX` of n captured bytes (tcpdump's rawprint after a space); false, appending nothing, if cut. */
function rawHex(line: Line, data: Buffer, at: number, n: number, capEnd: number): boolean {
  if (at + n > capEnd) {
    line.text += ' ';
    return false;
  }
  line.text += ' ' + hex(data, at, n);
  return true;
}

/** Returns tcpdump's ike_show_somedata text: ` data=(first 10 bytes...last up-to-20 bytes of the capture)`. */
function someData(data: Buffer, at: number, capEnd: number): string {
  const len = Math.min(capEnd - at, 10);
  let end = capEnd - 20;
  let elen = 20;
  if (end < at + len) {
    end = at + len;
    elen = capEnd - end;
  }
  return ` data=(${hex(data, at, len)}...${elen ? hex(data, end, elen) : ''})`;
}

function hex(data: Buffer, at: number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += HEX2[data[at + i]!];
  return s;
}

function isZero(data: Buffer, at: number, n: number): boolean {
  for (let i = 0; i < n; i++) if (data[at + i] !== 0) return false;
  return true;
}
