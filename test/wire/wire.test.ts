/** The wire modules' tables and helpers: flag letters, bit names, VLAN tags, checksums. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checksumShouldBe, foldComplement, ipv4PseudoSum, sumBytes } from '../../src/wire/checksum.js';
import { ETHERTYPE_NAMES, isVlanTpid } from '../../src/wire/ethernet.js';
import { IP_FRAG_BITS } from '../../src/wire/ipv4.js';
import { NA_FLAG_BITS } from '../../src/wire/icmp6.js';
import { bitNames, nameOf } from '../../src/wire/names.js';
import { sll2InterfaceName } from '../../src/wire/sll2.js';
import { tcpFlagsString, TH_ACK, TH_CWR, TH_ECE, TH_FIN, TH_PUSH, TH_RST, TH_SYN, TH_URG } from '../../src/wire/tcp.js';
import { vlanTciString } from '../../src/wire/vlan.js';

test('TCP flag letters in tcpdump order', () => {
  assert.equal(tcpFlagsString(0), 'none');
  assert.equal(tcpFlagsString(TH_SYN), 'S');
  assert.equal(tcpFlagsString(TH_SYN | TH_ACK), 'S.');
  assert.equal(tcpFlagsString(TH_FIN | TH_PUSH | TH_URG), 'FPU');
  assert.equal(tcpFlagsString(TH_SYN | TH_ECE | TH_CWR), 'SEW');
  assert.equal(tcpFlagsString(TH_FIN | TH_SYN | TH_RST | TH_PUSH | TH_ACK), 'FSRP.');
});

test('names and bit names', () => {
  assert.equal(nameOf(ETHERTYPE_NAMES, 0x0800, 'Unknown'), 'IPv4');
  assert.equal(nameOf(ETHERTYPE_NAMES, 0x88b5, 'Unknown'), 'Unknown');
  assert.equal(nameOf(new Map(), 7, 'unknown-%u'), 'unknown-7');
  assert.equal(bitNames(IP_FRAG_BITS, 0x4000, 'none', ', '), 'DF');
  assert.equal(bitNames(IP_FRAG_BITS, 0x0000, 'none', ', '), 'none');
  assert.equal(bitNames(IP_FRAG_BITS, 0xe000, 'none', ', '), '+, DF, rsvd');
  // Bit 31 must compare unsigned.
  assert.equal(bitNames(NA_FLAG_BITS, 0xe0000000 >>> 0, 'none', ', '), 'router, solicited, override');
});

test('VLAN tags and TPIDs', () => {
  assert.equal(vlanTciString(0x000a), 'vlan 10, p 0');
  assert.equal(vlanTciString(0xb014), 'vlan 20, p 5, DEI');
  assert.ok(isVlanTpid(0x8100) && isVlanTpid(0x88a8) && isVlanTpid(0x9100) && !isVlanTpid(0x0800));
  assert.equal(sll2InterfaceName(1), 'lo');
  assert.equal(sll2InterfaceName(2), '?');
});

test('Internet checksum and tcpdump\'s should-be value', () => {
  // An IPv4 header with a correct checksum sums to zero.
  const ip = Buffer.from('450000730000400040110000c0a80001c0a800c7', 'hex');
  const sum = foldComplement(sumBytes(ip, 0, 20));
  ip.writeUInt16BE(sum, 10);
  assert.equal(ip.readUInt16BE(10), 0xb861);
  assert.equal(foldComplement(sumBytes(ip, 0, 20)), 0);
  // With the field zeroed, in_cksum_shouldbe(0, computed) gives the right field value.
  ip.writeUInt16BE(0, 10);
  assert.equal(checksumShouldBe(0, foldComplement(sumBytes(ip, 0, 20))), 0xb861);
  // Odd lengths pad with a zero octet; the pseudo-header adds addresses, protocol and length.
  assert.equal(sumBytes(Buffer.from([1, 2, 3]), 0, 3), 0x0102 + 0x0300);
  assert.equal(ipv4PseudoSum(ip, 0, 17, 8), 0xc0a8 + 0x0001 + 0xc0a8 + 0x00c7 + 17 + 8);
});
