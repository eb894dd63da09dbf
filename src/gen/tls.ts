/**
 * TLS-looking payloads (RFC 8446 record layer): a ClientHello with SNI, a ServerHello, and opaque
 * application data records. Structurally valid enough for dissectors (Wireshark decodes them) but not a
 * real handshake: nothing here is cryptography.
 *
 *   record: 0 content type (1)   1 legacy version (2)   3 length (2)   5 fragment
 *   handshake: 0 type (1)   1 length (3)   4 body
 */
import type { Random } from './random.js';

export const TLS_CONTENT_CHANGE_CIPHER_SPEC = 20;
export const TLS_CONTENT_ALERT = 21;
export const TLS_CONTENT_HANDSHAKE = 22;
export const TLS_CONTENT_APPLICATION_DATA = 23;
export const TLS_HANDSHAKE_CLIENT_HELLO = 1;
export const TLS_HANDSHAKE_SERVER_HELLO = 2;
export const TLS_RECORD_HEADER_LEN = 5;

/** Wraps a fragment in a record header (legacy version 0x0303). */
export function tlsRecord(contentType: number, fragment: Uint8Array, version = 0x0303): Buffer {
  const b = Buffer.alloc(TLS_RECORD_HEADER_LEN + fragment.length);
  b[0] = contentType;
  b.writeUInt16BE(version, 1);
  b.writeUInt16BE(fragment.length, 3);
  b.set(fragment, TLS_RECORD_HEADER_LEN);
  return b;
}

function handshake(type: number, body: Buffer): Buffer {
  const h = Buffer.alloc(4);
  h[0] = type;
  h.writeUIntBE(body.length, 1, 3);
  return Buffer.concat([h, body]);
}

function u16(v: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(v);
  return b;
}

function ext(type: number, data: Buffer): Buffer {
  return Buffer.concat([u16(type), u16(data.length), data]);
}

/** Builds a ClientHello record naming serverName in the SNI extension. */
export function tlsClientHello(serverName: string, rng: Random): Buffer {
  const name = Buffer.from(serverName, 'ascii');
  const sni = Buffer.concat([u16(name.length + 3), Buffer.from([0]), u16(name.length), name]);
  const suites = [0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030];
  const groups = Buffer.concat([u16(4), u16(0x001d), u16(0x0017)]);
  const versions = Buffer.from([4, 0x03, 0x04, 0x03, 0x03]);
  const alpn = Buffer.concat([u16(12), Buffer.from([2]), Buffer.from('h2'), Buffer.from([8]), Buffer.from('http/1.1')]);
  const keyShare = Buffer.concat([u16(36), u16(0x001d), u16(32), rng.bytes(32)]);
  const exts = Buffer.concat([ext(0, sni), ext(10, groups), ext(16, alpn), ext(43, versions), ext(51, keyShare)]);
  const body = Buffer.concat([
    u16(0x0303),
    rng.bytes(32),
    Buffer.from([32]),
    rng.bytes(32),
    u16(suites.length * 2),
    ...suites.map(u16),
    Buffer.from([1, 0]),
    u16(exts.length),
    exts,
  ]);
  return tlsRecord(TLS_CONTENT_HANDSHAKE, handshake(TLS_HANDSHAKE_CLIENT_HELLO, body), 0x0301);
}

/** Builds a ServerHello record, a ChangeCipherSpec, and an opaque encrypted flight of about `extra` bytes. */
export function tlsServerHello(rng: Random, extra = 2400): Buffer {
  const keyShare = Buffer.concat([u16(0x001d), u16(32), rng.bytes(32)]);
  const exts = Buffer.concat([ext(43, u16(0x0304)), ext(51, keyShare)]);
  const body = Buffer.concat([u16(0x0303), rng.bytes(32), Buffer.from([32]), rng.bytes(32), u16(0x1301), Buffer.from([0]), u16(exts.length), exts]);
  return Buffer.concat([
    tlsRecord(TLS_CONTENT_HANDSHAKE, handshake(TLS_HANDSHAKE_SERVER_HELLO, body)),
    tlsRecord(TLS_CONTENT_CHANGE_CIPHER_SPEC, Buffer.from([1])),
    tlsApplicationData(extra, rng),
  ]);
}

/** Builds opaque application data records totalling `length` bytes of ciphertext (16 KiB per record at most). */
export function tlsApplicationData(length: number, rng: Random): Buffer {
  const parts: Buffer[] = [];
  for (let left = length; left > 0; left -= 16384) parts.push(tlsRecord(TLS_CONTENT_APPLICATION_DATA, rng.bytes(Math.min(left, 16384))));
  return Buffer.concat(parts);
}
