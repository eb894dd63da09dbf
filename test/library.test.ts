// The README's library example, run for real against the shipped sample: the promise stays true.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readCapture, compileFilter, handshakes, services, CaptureError } from '../src/index.js';
import { buildWebCapture, WEB_CLIENT, WEB_CONNECTIONS, WEB_REJECTED } from '../src/gen/samples.js';
import { tempDir } from './temp.js';

const dir = tempDir('lib-');
const web = path.join(dir, 'web.pcap');
fs.writeFileSync(web, buildWebCapture().toPcap());

test('the README example: a compiled filter over the reader, handshakes and services', async () => {
  const synAck = compileFilter('tcp[tcpflags] == (tcp-syn|tcp-ack)', 1);
  let n = 0;
  await readCapture(web, { onPacket: (p) => void (synAck(p.data, p.offset, p.caplen, p.wirelen) && n++) });
  const h = await handshakes(web);
  assert.equal(h.synAcks, n);
  assert.equal(h.established, WEB_CONNECTIONS.length);
  assert.ok(h.connections.some((c) => c.outcome === 'rejected' && c.serverPort === WEB_REJECTED.sport));
  const s = await services(web, { host: WEB_CLIENT.ip });
  assert.ok(s.services.length > 0);
  assert.ok(s.services.every((r) => r.packets > 0));
});

test('the library reports a broken capture as a CaptureError', async () => {
  const bad = path.join(dir, 'bad.pcap');
  fs.writeFileSync(bad, fs.readFileSync(web).subarray(0, 1000));
  await assert.rejects(readCapture(bad, { onPacket: () => {} }), CaptureError);
});
