/**
 * The report's baseline agrees with the analyses' own commands: each client's ports, destination port
 * totals and services are what `ports`, `dports` and `services --host` give, and the handshake outcomes
 * what `handshakes` gives, on the shipped sample and on corpus captures.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { dports } from '../../src/analyze/dports.js';
import { handshakes } from '../../src/analyze/handshakes.js';
import { ports } from '../../src/analyze/ports.js';
import { services } from '../../src/analyze/services.js';
import { buildReportModel } from '../../src/report/build.js';

const corpus = path.resolve('..', 'shared', 'corpus', 'pcaps');
const captures = [
  'samples/web.pcap',
  'samples/beacon.pcap',
  path.join(corpus, 'lo_web-lo.pcap'),
  path.join(corpus, 'ppa_tcp_handshake.pcapng'),
].filter((f) => existsSync(f));

const key = (r: { proto: string; port: number; packets: number; ip?: string }) => `${r.proto} ${r.ip ?? ''} ${r.port} ${r.packets}`;

describe('report baseline agrees with the analyses', { skip: captures.length === 0 ? 'no sample or corpus captures' : false }, () => {
  for (const file of captures) {
    it(path.basename(file), async () => {
      const model = await buildReportModel(file, { topPerClient: 100_000, topClients: 4 });
      const h = await handshakes(file);
      assert.deepEqual(
        [model.handshakes.attempts, model.handshakes.established, model.handshakes.synAckOnly, model.handshakes.rejected, model.handshakes.unanswered, model.handshakes.synAcks],
        [h.attempts, h.established, h.synAckOnly, h.rejected, h.unanswered, h.synAcks],
      );
      assert.ok(model.clients.length > 0, 'a capture with clients');
      for (const c of model.clients) {
        const p = await ports(file, { host: c.ip });
        assert.deepEqual(c.ports.map(key).sort(), p.ports.map(key).sort(), `ports of ${c.ip}`);
        assert.equal(c.portsDistinct, p.ports.length);
        const d = await dports(file, { host: c.ip });
        assert.deepEqual(c.portTotals.map(key).sort(), d.ports.map(key).sort(), `dports of ${c.ip}`);
        const s = await services(file, { host: c.ip });
        // The report lists what the client sent in the flows it opened; `services --host` every packet it
        // sent: the same for a host that is only a client, a subset otherwise.
        const all = new Set(s.services.map(key));
        for (const row of c.services) assert.ok(all.has(key(row)) || s.services.some((r) => r.ip === row.ip && r.port === row.port && r.packets >= row.packets), `service ${key(row)} of ${c.ip}`);
      }
    });
  }
});
