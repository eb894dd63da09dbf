import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { readCapture } from '../../src/capture/reader.js';
import { PcapWriter, pcapBytes } from '../../src/capture/pcap-writer.js';
import { PcapngWriter } from '../../src/capture/pcapng-writer.js';
import { tempDir } from '../temp.js';

const TCPDUMP = '/usr/bin/tcpdump';
const haveTcpdump = fs.existsSync(TCPDUMP);
const CORPUS = path.resolve('..', 'shared', 'corpus');
const haveCorpus = fs.existsSync(path.join(CORPUS, 'manifest.json'));

function tmp(name: string): string {
  const dir = tempDir('writer-');
  return path.join(dir, name);
}

interface Rec {
  bytes: Buffer;
  caplen: number;
  wirelen: number;
  tsSec: number;
  tsNsec: number;
  linkType: number;
  snaplen: number;
  interfaceId: number;
}

async function readAll(file: string) {
  const recs: Rec[] = [];
  const r = await readCapture(file, {
    onPacket: (p) =>
      void recs.push({
        bytes: Buffer.from(p.data.subarray(p.offset, p.offset + p.caplen)),
        caplen: p.caplen,
        wirelen: p.wirelen,
        tsSec: p.tsSec,
        tsNsec: p.tsNsec,
        linkType: p.linkType,
        snaplen: p.snaplen,
        interfaceId: p.interfaceId,
      }),
  });
  return { info: r.info, recs };
}

function packet(i: number, len: number): Buffer {
  const b = Buffer.alloc(len);
  for (let k = 0; k < len; k++) b[k] = (i * 31 + k * 7) & 0xff;
  return b;
}

test('pcapBytes writes the 2.4 header tcpdump writes', () => {
  const f = pcapBytes([], { linkType: 113, snaplen: 65535 });
  assert.equal(f.toString('hex'), 'd4c3b2a1' + '02000400' + '00000000' + '00000000' + 'ffff0000' + '71000000');
  const nano = pcapBytes([], { linkType: 1, precision: 'nano', byteOrder: 'big' });
  assert.equal(nano.toString('hex'), 'a1b23c4d' + '00020004' + '00000000' + '00000000' + '00040000' + '00000001');
});

test('pcap writer round-trips through the reader in both orders and precisions', async () => {
  for (const byteOrder of ['little', 'big'] as const) {
    for (const precision of ['micro', 'nano'] as const) {
      const file = tmp(`rt-${byteOrder}-${precision}.pcap`);
      const fd = fs.openSync(file, 'w');
      // A small buffer forces many flushes and the larger-than-buffer path.
      const w = new PcapWriter(fd, { linkType: 101, snaplen: 9000, precision, byteOrder, bufferSize: 4096 });
      const want: Array<[number, number, number, number]> = [];
      for (let i = 0; i < 300; i++) {
        const len = i === 7 ? 6000 : 20 + ((i * 37) % 1400);
        const data = packet(i, len + 10);
        const wirelen = len + (i % 3);
        w.writePacket(data, 5, len, wirelen, 1700000000 + i, (i * 123456789) % 1e9);
        want.push([len, wirelen, 1700000000 + i, (i * 123456789) % 1e9]);
      }
      w.close(true);
      const { info, recs } = await readAll(file);
      assert.equal(info?.linkType, 101);
      assert.equal(info?.snaplen, 9000);
      assert.equal(info?.byteOrder, byteOrder);
      assert.equal(info?.precision, precision);
      assert.equal(recs.length, 300);
      recs.forEach((r, i) => {
        const [len, wirelen, sec, nsec] = want[i]!;
        assert.equal(r.caplen, len);
        assert.equal(r.wirelen, wirelen);
        assert.equal(r.tsSec, sec);
        assert.equal(r.tsNsec, precision === 'nano' ? nsec : Math.floor(nsec / 1000) * 1000);
        assert.ok(r.bytes.equals(packet(i, len + 10).subarray(5, 5 + len)));
      });
    }
  }
});

test('pcap writer streams to a Writable and reports back-pressure', async () => {
  const out = new PassThrough({ highWaterMark: 1024 });
  const chunks: Buffer[] = [];
  const w = new PcapWriter(out, { linkType: 1, bufferSize: 4096 });
  for (let i = 0; i < 50; i++) w.writePacket(packet(i, 200), 0, 200, 200, i, 0);
  w.flush();
  let drained = false;
  const d = w.drained().then(() => (drained = true));
  out.on('data', (c: Buffer) => chunks.push(c));
  await d;
  out.end();
  await new Promise((r) => out.on('end', r));
  assert.ok(drained);
  const whole = Buffer.concat(chunks);
  assert.equal(whole.length, 24 + 50 * (16 + 200));
  assert.ok(whole.equals(pcapBytes(Array.from({ length: 50 }, (_, i) => ({ data: packet(i, 200), tsSec: i })))));
});

test('pcapng writer round-trips interfaces, resolutions, offsets and sections', async () => {
  const w = new PcapngWriter({ comment: 'made by a test' });
  const a = w.addInterface({ linkType: 1, snaplen: 65535, name: 'eth0' });
  const b = w.addInterface({ linkType: 101, tsresol: 9 });
  w.writePacket(a, packet(1, 60), 1600000000, 123456789);
  w.writePacket(b, packet(2, 61), 1600000001, 987654321, 100);
  w.section({ byteOrder: 'big' });
  const c = w.addInterface({ linkType: 113, tsresol: 0x80 | 20, tsOffset: 10 });
  w.writePacket(c, packet(3, 63), 1600000002, 500000000);
  w.writeRawBlock(0x0bad, Buffer.from('skip me'));
  w.writeSimplePacket(packet(4, 42));
  const file = tmp('rt.pcapng');
  fs.writeFileSync(file, w.toBuffer());
  const { info, recs } = await readAll(file);
  assert.equal(info?.format, 'pcapng');
  assert.equal(info?.interfaces[0]?.name, 'eth0');
  assert.equal(recs.length, 4);
  assert.deepEqual(
    recs.map((r) => [r.linkType, r.caplen, r.wirelen, r.tsSec, r.interfaceId]),
    [
      [1, 60, 60, 1600000000, 0],
      [101, 61, 100, 1600000001, 1],
      [113, 63, 63, 1600000012, 0],
      [113, 42, 42, recs[3]!.tsSec, 0],
    ],
  );
  assert.equal(recs[0]!.tsNsec, 123456000);
  assert.equal(recs[1]!.tsNsec, 987654321);
  assert.ok(Math.abs(recs[2]!.tsNsec - 500000000) < 2000);
  assert.ok(recs[2]!.bytes.equals(packet(3, 63)));
});

test('tcpdump reads our pcap and rewrites it byte for byte', { skip: !haveTcpdump }, () => {
  const recs = Array.from({ length: 20 }, (_, i) => ({ data: packet(i, 64 + i), tsSec: 1700000000 + i, tsNsec: i * 1000 }));
  const file = tmp('ours.pcap');
  fs.writeFileSync(file, pcapBytes(recs, { linkType: 101, snaplen: 262144 }));
  const out = tmp('theirs.pcap');
  const r = spawnSync(TCPDUMP, ['-r', file, '-w', out], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.ok(fs.readFileSync(out).equals(fs.readFileSync(file)));
});

test('re-writing corpus captures matches tcpdump -r IN -w OUT', { skip: !haveTcpdump || !haveCorpus }, async () => {
  const names = ['td_tcp-handshake-nano.pcap', 'mk_tcp-handshake-nano_be.pcap', 'mk_multi-interface.pcapng', 'lo_web-lo.pcap'];
  for (const name of names) {
    const input = path.join(CORPUS, 'pcaps', name);
    if (!fs.existsSync(input)) continue;
    for (const nano of [false, true]) {
      const theirs = tmp('t.pcap');
      const r = spawnSync(TCPDUMP, [...(nano ? ['--nano'] : []), '-r', input, '-w', theirs], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      const ours = tmp('o.pcap');
      const fd = fs.openSync(ours, 'w');
      let w: PcapWriter | undefined;
      await readCapture(input, {
        onInfo: (info) => {
          w = new PcapWriter(fd, { linkType: info.linkType, snaplen: info.snaplen, precision: nano ? 'nano' : 'micro' });
        },
        onPacket: (p) => w!.writePacket(p.data, p.offset, p.caplen, p.wirelen, p.tsSec, p.tsNsec),
      });
      w!.close(true);
      assert.ok(fs.readFileSync(ours).equals(fs.readFileSync(theirs)), `${name} nano=${nano}`);
    }
  }
});
