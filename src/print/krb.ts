/**
 * tcpdump 4.99's Kerberos text (print-krb.c `krb_print`): the protocol version, and for Kerberos 4 the
 * byte order, message type and principal names. Kerberos 5 (ASN.1, first octet 106/107) prints only ` v5`.
 *
 * Kerberos 4 message layout (Athena Technical Plan E.2.1): pvno, type (low bit = little-endian sender), then
 * per type NUL-terminated name, instance and realm strings and integers in the sender's byte order.
 */
import { u8At } from './context.js';
import { TRUNCATED, type Line } from './line.js';
import type { PrintOptions } from './options.js';
import { PRINTABLE } from './dns.js';

export const KRB_PVNO = 0;
export const KRB_TYPE = 1;
/** Low bit of the type octet: the sender is little-endian. */
export const KRB_TYPE_LITTLE_ENDIAN = 0x01;

export const AUTH_MSG_KDC_REQUEST = 1 << 1;
export const AUTH_MSG_KDC_REPLY = 2 << 1;
export const AUTH_MSG_APPL_REQUEST = 3 << 1;
export const AUTH_MSG_ERR_REPLY = 5 << 1;

const KRB4_TYPE_NAMES: ReadonlyMap<number, string> = new Map([
  [1 << 1, 'KDC_REQUEST'], [2 << 1, 'KDC_REPLY'], [3 << 1, 'APPL_REQUEST'], [4 << 1, 'APPL_REQUEST_MUTUAL'],
  [5 << 1, 'ERR_REPLY'], [6 << 1, 'PRIVATE'], [7 << 1, 'SAFE'], [8 << 1, 'APPL_ERR'], [63 << 1, 'DIE'],
]);

const KRB4_ERROR_NAMES: readonly string[] = [
  'OK', 'NAME_EXP', 'SERVICE_EXP', 'AUTH_EXP', 'PKT_VER', 'NAME_MAST_KEY_VER', 'SERV_MAST_KEY_VER', 'BYTE_ORDER',
  'PRINCIPAL_UNKNOWN', 'PRINCIPAL_NOT_UNIQUE', 'NULL_KEY',
];

/** Appends tcpdump's krb_print text for the message at `off`; throws TRUNCATED (protocol 'krb') at ` [|krb]`. */
export function printKrb(line: Line, data: Buffer, off: number, _length: number, capEnd: number, _opts: PrintOptions): void {
  line.protocol = 'krb';
  const pvno = u8At(data, off + KRB_PVNO, capEnd);
  switch (pvno) {
    case 1:
    case 2:
    case 3:
      line.text += ` v${pvno}`;
      break;
    case 4:
      line.text += ` v${pvno}`;
      printKrb4(line, data, off, capEnd);
      break;
    case 106:
    case 107:
      line.text += ' v5';
      break;
  }
}

function printKrb4(line: Line, data: Buffer, off: number, end: number): void {
  const typeOctet = u8At(data, off + KRB_TYPE, end);
  const little = (typeOctet & KRB_TYPE_LITTLE_ENDIAN) !== 0;
  const type = typeOctet & 0xfe;
  line.text += ` ${little ? 'le' : 'be'} ${KRB4_TYPE_NAMES.get(type) ?? `#${type}`}: `;
  const u16 = (at: number): number => {
    if (at + 2 > end) throw TRUNCATED;
    return little ? data[at]! | (data[at + 1]! << 8) : (data[at]! << 8) | data[at + 1]!;
  };
  let cp = off;
  switch (type) {
    case AUTH_MSG_KDC_REQUEST:
      cp = printPrincipal(line, data, cp + 2, end);
      cp += 4; // ctime
      line.text += ` ${u8At(data, cp, end) * 5}min `;
      cp++;
      cp = printCounted(line, data, cp, end);
      line.text += '.';
      printCounted(line, data, cp, end);
      break;
    case AUTH_MSG_APPL_REQUEST:
      cp += 2;
      line.text += `v${u8At(data, cp, end)} `;
      cp++;
      cp = printCounted(line, data, cp, end);
      line.text += ` (${u8At(data, cp, end)})`;
      cp++;
      line.text += ` (${u8At(data, cp, end)})`;
      break;
    case AUTH_MSG_KDC_REPLY:
      cp = printPrincipal(line, data, cp + 2, end);
      cp += 10; // timestamp, n, exp, kvno
      line.text += ` (${u16(cp)})`;
      break;
    case AUTH_MSG_ERR_REPLY: {
      cp = printPrincipal(line, data, cp + 2, end);
      cp += 4; // timestamp
      const code = u16(cp);
      line.text += ` ${KRB4_ERROR_NAMES[code] ?? `#${code}`} `;
      cp += 4;
      printCounted(line, data, cp, end);
      break;
    }
    default:
      line.text += '(unknown)';
      break;
  }
}

/** Prints `name.instance@realm` (krb4_print_hdr); returns the offset after the realm's NUL. */
function printPrincipal(line: Line, data: Buffer, cp: number, end: number): number {
  cp = printCounted(line, data, cp, end);
  line.text += '.';
  cp = printCounted(line, data, cp, end);
  line.text += '@';
  return printCounted(line, data, cp, end);
}

/** Prints a NUL-terminated string (c_print); returns the offset after the NUL, or throws TRUNCATED without one. */
function printCounted(line: Line, data: Buffer, cp: number, end: number): number {
  let s = '';
  while (cp < end) {
    const c = data[cp++]!;
    if (c === 0) {
      line.text += s;
      return cp;
    }
    s += PRINTABLE[c];
  }
  line.text += s;
  throw TRUNCATED;
}
