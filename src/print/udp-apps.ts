/**
 * The UDP application printers of this directory in the order tcpdump 4.99's udp_print tries them: the first
 * entry whose port is the source or the destination port wins (53 before 67/68 before 123 before 161/162
 * before 546/547 before 5353 before 17754; TFTP 69, Kerberos 88/750, ISAKMP 500/7500/8500 and syslog 514 at
 * their places). tcpdump tries printers for other ports in between (NetBIOS 137/138, ...), which pcapsift
 * does not decode; a datagram that pairs one of those with a port below is printed here by the later entry.
 */
import type { Line } from './line.js';
import type { PrintOptions } from './options.js';
import { printBootp } from './bootp.js';
import { printDhcp6 } from './dhcp6.js';
import { printDomain } from './dns.js';
import { printIsakmp } from './isakmp.js';
import { printKrb } from './krb.js';
import { printNtp } from './ntp.js';
import { printSnmp } from './snmp.js';
import { printSyslog } from './syslog.js';
import { printTftp } from './tftp.js';
import { printZep } from './zep.js';

/** An application printer with the contract of printNtp: (line, data, off, length, capEnd, opts). */
export type UdpApplicationPrinter = (line: Line, data: Buffer, off: number, length: number, capEnd: number, opts: PrintOptions) => void;

const printDns: UdpApplicationPrinter = (line, data, off, length, capEnd, opts) => printDomain(line, data, off, length, capEnd, opts, false, false);
const printMdns: UdpApplicationPrinter = (line, data, off, length, capEnd, opts) => printDomain(line, data, off, length, capEnd, opts, false, true);

/** [ports, printer] in tcpdump's order. */
export const UDP_APPLICATION_PRINTERS: readonly (readonly [readonly number[], UdpApplicationPrinter])[] = [
  [[53], printDns],
  [[67, 68], printBootp],
  [[69], printTftp],
  [[88], printKrb],
  [[123], printNtp],
  [[161, 162], printSnmp],
  [[500], printIsakmp],
  [[514], printSyslog],
  [[546, 547], printDhcp6],
  [[750], printKrb],
  [[5353], printMdns],
  [[7500, 8500], printIsakmp],
  [[17754], printZep],
];

/** Returns the printer tcpdump would use for a datagram between these ports, or null for `UDP, length N`. */
export function udpApplicationPrinter(sport: number, dport: number): UdpApplicationPrinter | null {
  for (const [ports, printer] of UDP_APPLICATION_PRINTERS) {
    for (const p of ports) if (p === sport || p === dport) return printer;
  }
  return null;
}
