/**
 * IEEE 802.2 LLC as far as pcapsift decodes it: SNAP frames carrying an EtherType are handed on; anything
 * else is left to the caller's raw dump (tcpdump's llc_print returning 0).
 */
import { u16, u8, type PrintContext } from './context.js';
import { printEthertype } from './ethernet.js';

/** Prints an LLC frame; returns false when it is not one pcapsift decodes. */
export function printLlc(c: PrintContext, at: number, length: number, caplen: number): boolean {
  if (caplen < 3 || length < 3) return false;
  const dsap = u8(c, at);
  const ssap = u8(c, at + 1);
  const control = u8(c, at + 2);
  if (dsap === 0xaa && ssap === 0xaa && control === 0x03 && caplen >= 8) {
    const oui = (u8(c, at + 3) << 16) | u16(c, at + 4);
    const type = u16(c, at + 6);
    if (oui === 0) return printEthertype(c, type, at + 8, length - 8, caplen - 8);
  }
  return false;
}
