/**
 * ISAKMP / IKE (RFC 2408 for IKEv1, RFC 7296 for IKEv2): the fixed header and name tables.
 *
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  !                          Initiator                            !
 *  !                            Cookie                             !
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  !                          Responder                            !
 *  !                            Cookie                             !
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  !  Next Payload ! MjVer ! MnVer ! Exchange Type !     Flags     !
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  !                          Message ID                           !
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  !                            Length                             !
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */

export const ISAKMP_INITIATOR_COOKIE = 0;
export const ISAKMP_RESPONDER_COOKIE = 8;
export const ISAKMP_COOKIE_LEN = 8;
export const ISAKMP_NEXT_PAYLOAD = 16;
export const ISAKMP_VERSION = 17;
export const ISAKMP_EXCHANGE_TYPE = 18;
export const ISAKMP_FLAGS = 19;
export const ISAKMP_MESSAGE_ID = 20;
export const ISAKMP_LENGTH = 24;
export const ISAKMP_HEADER_LEN = 28;

export const ISAKMP_VERSION_MAJOR_MASK = 0xf0;
export const ISAKMP_VERSION_MAJOR_SHIFT = 4;
export const ISAKMP_VERSION_MINOR_MASK = 0x0f;
export const IKEV1_MAJOR_VERSION = 1;
export const IKEV2_MAJOR_VERSION = 2;

/** IKEv1 flags. */
export const ISAKMP_FLAG_ENCRYPTED = 0x01;
export const ISAKMP_FLAG_COMMIT = 0x02;
/** IKEv2 flags. */
export const ISAKMP_FLAG_INITIATOR = 0x08;
export const ISAKMP_FLAG_VERSION = 0x10;
export const ISAKMP_FLAG_RESPONSE = 0x20;

/** Exchange type -> tcpdump's etypestr name (IKEv1 0-5, 32-33; IKEv2 34-37). */
export const ISAKMP_EXCHANGE_NAMES: ReadonlyMap<number, string> = new Map([
  [0, 'none'], [1, 'base'], [2, 'ident'], [3, 'auth'], [4, 'agg'], [5, 'inf'], [32, 'oakley-quick'],
  [33, 'oakley-newgroup'], [34, 'ikev2_init'], [35, 'ikev2_auth'], [36, 'child_sa'], [37, 'inf2'],
]);

/** Returns tcpdump's ETYPESTR text: the name, or `#N`. */
export function exchangeTypeName(t: number): string {
  return ISAKMP_EXCHANGE_NAMES.get(t) ?? `#${t}`;
}

/** Next-payload number -> tcpdump's npstr name (IKEv1 0-13, IKEv2 33-48; see payloadName for 14-32). */
export const ISAKMP_PAYLOAD_NAMES: ReadonlyMap<number, string> = new Map([
  [0, 'none'], [1, 'sa'], [2, 'p'], [3, 't'], [4, 'ke'], [5, 'id'], [6, 'cert'], [7, 'cr'], [8, 'hash'], [9, 'sig'],
  [10, 'nonce'], [11, 'n'], [12, 'd'], [13, 'vid'],
  [33, 'v2sa'], [34, 'v2ke'], [35, 'v2IDi'], [36, 'v2IDr'], [37, 'v2cert'], [38, 'v2cr'], [39, 'v2auth'],
  [40, 'v2nonce'], [41, 'v2n'], [42, 'v2d'], [43, 'v2vid'], [44, 'v2TSi'], [45, 'v2TSr'], [46, 'v2e'], [47, 'v2cp'],
  [48, 'v2eap'],
]);

/** Returns tcpdump's NPSTR text: the name, or `#N`. */
export function payloadName(np: number): string {
  // tcpdump's npstr fills the unassigned 14-32 with `payN`.
  return ISAKMP_PAYLOAD_NAMES.get(np) ?? (np >= 14 && np <= 32 ? `pay${np}` : `#${np}`);
}

/** Generic payload header: next payload, reserved (IKEv2: critical bit), payload length. */
export const PAYLOAD_NEXT = 0;
export const PAYLOAD_LENGTH = 2;
export const PAYLOAD_HEADER_LEN = 4;

/** Payload types (next-payload values) described in detail. */
export const PAYLOAD_KE = 4;
export const PAYLOAD_CERT = 6;
export const PAYLOAD_CR = 7;
export const PAYLOAD_HASH = 8;
export const PAYLOAD_SIG = 9;
export const PAYLOAD_NONCE = 10;
export const PAYLOAD_VID = 13;
