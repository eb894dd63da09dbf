// The shipped web-browsing sample: ordinary browsing yields no scan or beacon, and the one NTP server that
// never answers is named (the lab's "was the NTP request answered?").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findings } from '../../src/analyze/findings/index.js';
import { buildWebCapture, WEB_CLIENT, WEB_NTP_POLLS, WEB_NTP_SILENT } from '../../src/gen/samples.js';
import { tempDir } from '../temp.js';

test('web.pcap: exactly one finding, the silent NTP server', async () => {
  const dir = tempDir('web-');
  const file = path.join(dir, 'web.pcap');
  fs.writeFileSync(file, buildWebCapture().toPcap());
  const found = await findings(file);
  assert.deepEqual(
    found.map((f) => [f.kind, f.source, f.targets, f.ports, f.packets]),
    [['unanswered-udp', WEB_CLIENT.ip, [WEB_NTP_SILENT], [123], WEB_NTP_POLLS]],
  );
  assert.match(found[0]!.filter, /udp dst port 123/);
});
