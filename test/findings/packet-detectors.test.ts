/**
 * The worker that runs the packet detectors (odd flags, NXDOMAIN, weird) on every packet decodes another
 * share's packet only when `quietPacket` says a detector may have something to say of it: the detectors must
 * count exactly what they count with every packet decoded, on real captures and on damaged packets.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { readCapture } from '../../src/capture/reader.js';
import type { PacketRecord } from '../../src/capture/packet.js';
import { decodeRecord } from '../../src/decode/decoder.js';
import { DecodedPacket } from '../../src/decode/packet.js';
import { lastRecord, recordShare } from '../../src/flows/record-share.js';
import { shareBounds } from '../../src/flows/share-plan.js';
import { PacketDetectors } from '../../src/analyze/findings/packet-detectors.js';
import { resolveOptions } from '../../src/analyze/findings/options.js';
import { writeBenchCapture } from '../../src/gen/bench-capture.js';
import { buildBeaconCapture, buildScanCapture, buildVlanIpv6Captures, buildWebCapture } from '../../src/gen/samples.js';
import { HAVE_CORPUS, PCAPS, writeCapture } from './helpers.js';
import { tempDir } from '../temp.js';

const bounds = shareBounds(2, 1);
const options = resolveOptions({});

/** Two detector sets fed the same records: one decodes every packet, the other skips the quiet ones as the worker does. */
class Pair {
  readonly every = new PacketDetectors(options);
  readonly skipping = new PacketDetectors(options);
  /** Records the skipping set was given without their headers decoded (recordShare placed them in a share). */
  placed = 0;
  private readonly p = new DecodedPacket();
  private readonly q = new DecodedPacket();

  record(rec: PacketRecord): void {
    decodeRecord(this.p, rec);
    this.every.packet(this.p);
    // Every record recordShare places is taken as another share's (the worker's path for most packets).
    if (recordShare(rec, bounds) >= 0) {
      this.placed++;
      this.skipping.otherShare(rec, lastRecord, this.q);
    } else {
      decodeRecord(this.q, rec);
      this.skipping.packet(this.q);
    }
  }

  assertSame(what: string): void {
    assert.deepEqual(this.skipping.counts(), this.every.counts(), what);
  }
}

async function checkFile(file: string): Promise<Pair> {
  const pair = new Pair();
  await readCapture(file, { onPacket: (rec) => pair.record(rec) }).catch((err: unknown) => {
    if (!(err instanceof Error) || err.name !== 'CaptureError') throw err;
  });
  pair.assertSame(path.basename(file));
  return pair;
}

test('skipping quiet packets counts what decoding every packet counts (bench capture, samples, every corpus capture)', async () => {
  const dir = tempDir('packet-detectors-');
  const bench = path.join(dir, 'bench.pcap');
  const fd = fs.openSync(bench, 'w');
  writeBenchCapture(fd, { packets: 40_000 });
  fs.closeSync(fd);
  const b = await checkFile(bench);
  assert.ok(b.placed > 30_000, 'most bench packets take the quiet path');
  const counts = b.every.counts();
  assert.ok(counts.nxdomain.size > 0, 'the bench capture has NXDOMAIN answers for the detectors to find');
  const [vlan, vlan6] = buildVlanIpv6Captures();
  for (const [cap, name] of [
    [buildWebCapture(), 'pd-web'],
    [buildScanCapture(), 'pd-scan'],
    [buildBeaconCapture(), 'pd-beacon'],
    [vlan, 'pd-vlan'],
    [vlan6, 'pd-vlan6'],
  ] as const) {
    await checkFile(writeCapture(cap, name));
  }
  if (!HAVE_CORPUS) return;
  let files = 0;
  for (const name of fs.readdirSync(PCAPS)) {
    const file = path.join(PCAPS, name);
    if (!fs.statSync(file).isFile()) continue;
    await checkFile(file);
    files++;
  }
  assert.ok(files > 50, 'the corpus was read');
});

test('skipping quiet packets counts what decoding counts on damaged headers (property)', async () => {
  // Whole packets of every kind the detectors look at, to damage: records copied out of built captures.
  const originals: { bytes: Buffer; wirelen: number; linkType: number }[] = [];
  const [vlan] = buildVlanIpv6Captures();
  for (const [cap, name] of [
    [buildWebCapture(), 'pd-src-web'],
    [buildScanCapture(), 'pd-src-scan'],
    [vlan, 'pd-src-vlan'],
  ] as const) {
    await readCapture(writeCapture(cap, name), {
      onPacket: (r) => void originals.push({ bytes: Buffer.from(r.data.subarray(r.offset, r.offset + r.caplen)), wirelen: r.wirelen, linkType: r.linkType }),
    });
  }
  assert.ok(originals.length > 100);
  const damage = fc.record({
    which: fc.nat({ max: originals.length - 1 }),
    // Bytes from the Ethernet type through the IP and transport headers, set to chosen values.
    edits: fc.array(fc.tuple(fc.integer({ min: 12, max: 14 + 60 + 24 }), fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0, 0x45, 0x50, 0x35, 0xff))), { minLength: 1, maxLength: 4 }),
    // Some frames claim less or more on the wire than they carry.
    wireDelta: fc.oneof(fc.constant(0), fc.integer({ min: -40, max: 40 })),
    cut: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 40 })),
  });
  fc.assert(
    fc.property(damage, ({ which, edits, wireDelta, cut }) => {
      const o = originals[which]!;
      const bytes = Buffer.from(o.bytes);
      for (const [at, v] of edits) if (at < bytes.length) bytes[at] = v;
      const caplen = Math.max(0, bytes.length - cut);
      const rec: PacketRecord = {
        data: bytes,
        offset: 0,
        caplen,
        wirelen: Math.max(caplen, o.wirelen + wireDelta),
        tsSec: 1_770_000_000,
        tsNsec: 0,
        linkType: o.linkType,
        snaplen: 65535,
        interfaceId: 0,
        globalInterfaceId: 0,
        frame: 1,
        recordOffset: 0,
      };
      const pair = new Pair();
      pair.record(rec);
      pair.assertSame(`packet ${which} with ${JSON.stringify({ edits, wireDelta, cut })}`);
    }),
    { numRuns: 3000, seed: 0x5eed },
  );
});
