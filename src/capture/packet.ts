/**
 * One record of a capture, as the reader hands it to its caller. The reader reuses a single instance for
 * every packet and the bytes live in the reader's buffer: both are valid only during the callback, so
 * copy out (`Buffer.from(data.subarray(...))`) whatever must outlive it.
 */
export interface PacketRecord {
  /** The buffer that holds the packet's bytes (shared with other packets: read only [offset, offset+caplen)). */
  data: Buffer;
  /** Where the packet's first byte is in `data`. */
  offset: number;
  /** Captured length: the bytes present in `data`. */
  caplen: number;
  /** Length on the wire (the record's original length). */
  wirelen: number;
  /** Seconds since the epoch (after pcapng's if_tsoffset). */
  tsSec: number;
  /**
   * The fraction of the second in nanoseconds, as stored: a pcap file with microseconds gives usec*1000.
   * Not normalised: a broken file's 1000000 usec stays 1000000000 here, as tcpdump prints it unnormalised.
   */
  tsNsec: number;
  /** The packet's link-layer header type (the interface's, for pcapng). */
  linkType: number;
  /** The snapshot length of the packet's interface. */
  snaplen: number;
  /** Interface number within the current pcapng section (0 for pcap). */
  interfaceId: number;
  /** Interface number counted across all pcapng sections (0 for pcap). */
  globalInterfaceId: number;
  /** 1-based record number in the file, as Wireshark's frame.number. */
  frame: number;
  /** Byte offset of the record (its header) in the (decompressed) capture stream. */
  recordOffset: number;
}

/** Creates an empty record for a reader to fill. */
export function newPacketRecord(): PacketRecord {
  return {
    data: Buffer.alloc(0),
    offset: 0,
    caplen: 0,
    wirelen: 0,
    tsSec: 0,
    tsNsec: 0,
    linkType: 0,
    snaplen: 0,
    interfaceId: 0,
    globalInterfaceId: 0,
    frame: 0,
    recordOffset: 0,
  };
}

/** One interface of a capture: pcap files have one, pcapng files one per Interface Description Block. */
export interface InterfaceInfo {
  linkType: number;
  snaplen: number;
  /** Timestamp resolution as units per second (1e6 for microseconds). */
  unitsPerSecond: number;
  /** Seconds added to every timestamp (pcapng if_tsoffset). */
  tsOffset: number;
  /** if_name, when the block carries one. */
  name?: string;
  /** Which pcapng section the interface belongs to (0-based). */
  section: number;
}

/** What the file header says: known once the first interface is known. */
export interface CaptureInfo {
  format: 'pcap' | 'pcapng';
  /** Byte order of the file (of the first section for pcapng). */
  byteOrder: 'little' | 'big';
  /** 'nano' for nanosecond pcap files and pcapng interfaces finer than microseconds, else 'micro'. */
  precision: 'micro' | 'nano';
  /** Link type of the first interface: what tcpdump reports as the file's link type. */
  linkType: number;
  /** Snapshot length of the first interface (libpcap's default 262144 where the file says 0). */
  snaplen: number;
  /** pcap version `major.minor` (pcapng: the first section's version). */
  version: string;
  /** Every interface seen so far. */
  interfaces: InterfaceInfo[];
}
