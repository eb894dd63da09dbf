/** Reads captures into memory for the filter tests. */
import { readCapture } from '../../src/capture/reader.js';

interface Packet {
  data: Buffer;
  caplen: number;
  wirelen: number;
  linkType: number;
}

/** Reads a whole capture into memory (copies: the reader reuses its buffers). */
export async function loadCapture(file: string): Promise<{ packets: Packet[]; linkType: number; bigEndian: boolean }> {
  const packets: Packet[] = [];
  let linkType = -1;
  let bigEndian = false;
  try {
    await readCapture(file, {
      onInfo: (info) => {
        linkType = info.linkType;
        bigEndian = info.byteOrder === 'big';
      },
      onPacket: (r) => {
        packets.push({ data: Buffer.from(r.data.subarray(r.offset, r.offset + r.caplen)), caplen: r.caplen, wirelen: r.wirelen, linkType: r.linkType });
      },
    });
  } catch {
    // Files libpcap cannot read to the end: tcpdump's frames are those read before the error.
  }
  return { packets, linkType, bigEndian };
}

