/**
 * tcpdump 4.99's ISAKMP/IKE text (print-isakmp.c `isakmp_print`, `ikev1_print`, `ikev2_print`): the fixed
 * header line at every verbosity (`isakmp: phase 1 I ident`, `isakmp: parent_sa ikev2_init[I]`), with -v the
 * version and message id, with -vv the cookies, and the length cross-check.
 *
 * Known gap: the payload chain tcpdump prints with -v (SA proposals, transforms, KE, nonces, notifications...)
 * is printed only when the chain is empty, flagged encrypted or its first payload is cut (` [|sa]`); a
 * complete first payload is not described. tcpdump also remembers initiator cookies with the
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
  ISAKMP_VERSION, ISAKMP_VERSION_MAJOR_MASK, ISAKMP_VERSION_MAJOR_SHIFT, ISAKMP_VERSION_MINOR_MASK, PAYLOAD_HEADER_LEN,
  PAYLOAD_LENGTH, exchangeTypeName, payloadName,
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
    // tcpdump's sub-payload walk first checks the generic header and then the whole payload it announces.
    const first = off + ISAKMP_HEADER_LEN;
    if (first + PAYLOAD_HEADER_LEN > capEnd || first + readU16(data, first + PAYLOAD_LENGTH) > capEnd) {
      line.text += ` [|${payloadName(np)}]`;
    }
  }
  const declared = readU32(data, off + ISAKMP_LENGTH);
  if (declared !== length) line.text += ` (len mismatch: isakmp ${declared}/ip ${length})`;
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
