import { test } from 'node:test';
import assert from 'node:assert/strict';
import { udpApplicationPrinter, UDP_APPLICATION_PRINTERS } from '../../src/print/udp-apps.js';

test('UDP application dispatch follows tcpdump\'s port order', () => {
  const printerFor = (port: number) => UDP_APPLICATION_PRINTERS.find(([ports]) => ports.includes(port))![1];
  assert.equal(udpApplicationPrinter(40000, 53), printerFor(53));
  assert.equal(udpApplicationPrinter(5353, 123), printerFor(123)); // NTP is tried before mDNS
  assert.equal(udpApplicationPrinter(68, 53), printerFor(53));
  assert.equal(udpApplicationPrinter(547, 161), printerFor(161));
  assert.equal(udpApplicationPrinter(17754, 5353), printerFor(5353));
  assert.equal(udpApplicationPrinter(40000, 40001), null);
});
