/**
 * NTP message layout (RFC 5905 section 7.3; v1-v3 in RFC 1059/1119/1305 share it) and the mode 6 control
 * message header (RFC 1305 appendix B, draft-ietf-ntp-mode-6-cmds). No printing here.
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |LI | VN  |Mode |    Stratum    |     Poll      |   Precision   |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                          Root Delay                           |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                       Root Dispersion                         |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                     Reference Identifier                      |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                   Reference Timestamp (64)                    |
 *   |                   Originate Timestamp (64)                    |
 *   |                    Receive Timestamp (64)                     |
 *   |                    Transmit Timestamp (64)                    |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                 Key Identifier (optional) (32)                |
 *   |                 Message Digest (optional) (128 or 160)        |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Control message (mode 6):
 *
 *   |LI |  VN |Mode |R|E|M| OpCode  |       Sequence Number         |
 *   |            Status             |       Association ID          |
 *   |            Offset             |            Count              |
 *   /                    Data (up to 468 bytes)                     /
 *
 * Root delay and dispersion are 16.16 fixed point; timestamps are 32.32 fixed point seconds since 1900.
 */

export const NTP_STATUS = 0;
export const NTP_STRATUM = 1;
export const NTP_POLL = 2;
export const NTP_PRECISION = 3;
export const NTP_ROOT_DELAY = 4;
export const NTP_ROOT_DISPERSION = 8;
export const NTP_REFID = 12;
export const NTP_REF_TIMESTAMP = 16;
export const NTP_ORIGIN_TIMESTAMP = 24;
export const NTP_RECEIVE_TIMESTAMP = 32;
export const NTP_TRANSMIT_TIMESTAMP = 40;
export const NTP_KEY_ID = 48;
export const NTP_DIGEST = 52;
/** A time message without key id and digest. */
export const NTP_TIME_MIN_LEN = 48;

export const NTP_CONTROL_FLAGS = 1;
export const NTP_CONTROL_SEQUENCE = 2;
export const NTP_CONTROL_STATUS = 4;
export const NTP_CONTROL_ASSOC = 6;
export const NTP_CONTROL_OFFSET = 8;
export const NTP_CONTROL_COUNT = 10;
export const NTP_CONTROL_DATA = 12;
export const NTP_CONTROL_MIN_LEN = 12;
export const CONTROL_RESPONSE = 0x80;
export const CONTROL_ERROR = 0x40;
export const CONTROL_MORE = 0x20;
export const CONTROL_OPCODE_MASK = 0x1f;

/** Leap indicator bits, left in place (tcpdump prints the unshifted value: `(192)`). */
export const LEAP_MASK = 0xc0;
export const VERSION_MASK = 0x38;
export const VERSION_SHIFT = 3;
export const MODE_MASK = 0x07;

export const MODE_UNSPECIFIED = 0;
export const MODE_SYMMETRIC_ACTIVE = 1;
export const MODE_SYMMETRIC_PASSIVE = 2;
export const MODE_CLIENT = 3;
export const MODE_SERVER = 4;
export const MODE_BROADCAST = 5;
export const MODE_CONTROL = 6;
export const MODE_RESERVED = 7;

export const STRATUM_UNSPECIFIED = 0;
export const STRATUM_PRIMARY = 1;
/** Implementation-specific strata that tcpdump decodes as an address plus a word. */
export const STRATUM_INFO_QUERY = 62;
export const STRATUM_INFO_REPLY = 63;

/** Seconds from 1900-01-01 (NTP era 0) to 1970-01-01. */
export const NTP_UNIX_EPOCH_OFFSET = 2208988800;

/** tcpdump's mode names, indexed by mode. */
export const NTP_MODE_NAMES: readonly string[] = [
  'unspecified', 'symmetric active', 'symmetric passive', 'Client', 'Server', 'Broadcast', 'Control Message',
  'Reserved',
];

/** Returns tcpdump's word for the (unshifted) leap indicator bits. */
export function leapIndicatorName(leap: number): string {
  switch (leap) {
    case 0x00: return '';
    case 0x40: return '+1s';
    case 0x80: return '-1s';
    default: return 'clock unsynchronized';
  }
}

/** Returns tcpdump's description of a stratum. */
export function stratumName(stratum: number): string {
  if (stratum === STRATUM_UNSPECIFIED) return 'unspecified';
  if (stratum === STRATUM_PRIMARY) return 'primary reference';
  return stratum >= 2 && stratum <= 15 ? 'secondary reference' : 'reserved';
}
