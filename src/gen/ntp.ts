/**
 * NTP version 4 packets (RFC 5905), 48 bytes without extensions:
 *
 *   0 LI (2 bits) VN (3) mode (3)   1 stratum   2 poll   3 precision (signed)   4 root delay (4)
 *   8 root dispersion (4)   12 reference id (4)   16 reference ts (8)   24 origin ts (8)   32 receive ts (8)
 *   40 transmit ts (8)
 * Timestamps: seconds since 1900 (32 bits) and a binary fraction (32 bits).
 */
import {
  MODE_CLIENT, MODE_SERVER, NTP_ORIGIN_TIMESTAMP, NTP_POLL, NTP_PRECISION, NTP_RECEIVE_TIMESTAMP,
  NTP_REF_TIMESTAMP, NTP_REFID, NTP_ROOT_DELAY, NTP_ROOT_DISPERSION, NTP_STATUS, NTP_STRATUM, NTP_TIME_MIN_LEN,
  NTP_TRANSMIT_TIMESTAMP, NTP_UNIX_EPOCH_OFFSET, VERSION_SHIFT,
} from '../wire/ntp.js';

export interface NtpSpec {
  mode: number;
  version?: number;
  leap?: number;
  stratum?: number;
  poll?: number;
  precision?: number;
  rootDelay?: number;
  rootDispersion?: number;
  /** Reference id: 4 ASCII letters for stratum 1 ('GPS'), an IPv4 address otherwise, or a number. */
  refId?: string | number;
  /** Timestamps as Unix seconds (fractional); 0 writes zero. */
  reference?: number;
  origin?: number;
  receive?: number;
  transmit?: number;
}

function writeTimestamp(b: Buffer, at: number, unix: number): void {
  if (unix === 0) return;
  const secs = Math.floor(unix);
  b.writeUInt32BE((secs + NTP_UNIX_EPOCH_OFFSET) >>> 0, at);
  b.writeUInt32BE(Math.floor((unix - secs) * 4294967296) >>> 0, at + 4);
}

/** Builds an NTP packet. */
export function ntpPacket(spec: NtpSpec): Buffer {
  const b = Buffer.alloc(NTP_TIME_MIN_LEN);
  b[NTP_STATUS] = ((spec.leap ?? 0) << 6) | ((spec.version ?? 4) << VERSION_SHIFT) | (spec.mode & 7);
  b[NTP_STRATUM] = spec.stratum ?? 0;
  b[NTP_POLL] = spec.poll ?? 6;
  b.writeInt8(spec.precision ?? -20, NTP_PRECISION);
  b.writeUInt32BE(Math.round((spec.rootDelay ?? 0) * 65536) >>> 0, NTP_ROOT_DELAY);
  b.writeUInt32BE(Math.round((spec.rootDispersion ?? 0) * 65536) >>> 0, NTP_ROOT_DISPERSION);
  const ref = spec.refId ?? 0;
  if (typeof ref === 'number') b.writeUInt32BE(ref >>> 0, NTP_REFID);
  else if (/^\d+\.\d+\.\d+\.\d+$/.test(ref)) ref.split('.').forEach((p, i) => (b[NTP_REFID + i] = Number(p)));
  else b.write(ref.slice(0, 4), NTP_REFID, 'latin1');
  writeTimestamp(b, NTP_REF_TIMESTAMP, spec.reference ?? 0);
  writeTimestamp(b, NTP_ORIGIN_TIMESTAMP, spec.origin ?? 0);
  writeTimestamp(b, NTP_RECEIVE_TIMESTAMP, spec.receive ?? 0);
  writeTimestamp(b, NTP_TRANSMIT_TIMESTAMP, spec.transmit ?? 0);
  return b;
}

/** Builds a client request as chrony/ntpd send it: mode 3, transmit time set. */
export function ntpClientRequest(transmit: number): Buffer {
  return ntpPacket({ mode: MODE_CLIENT, poll: 6, precision: -20, transmit });
}

/** Builds a server reply to a request sent at `origin`, received at `receive`, sent back at `transmit`. */
export function ntpServerReply(origin: number, receive: number, transmit: number, stratum = 2, refId: string | number = 0): Buffer {
  return ntpPacket({
    mode: MODE_SERVER, stratum, poll: 6, precision: -23, rootDelay: 0.015, rootDispersion: 0.02,
    refId: refId === 0 && stratum === 1 ? 'GPS' : refId, reference: transmit - 64, origin, receive, transmit,
  });
}
