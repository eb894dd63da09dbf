import type { CaptureInfo, PacketRecord } from './packet.js';

/** Where parsed records go. */
export interface RecordSink {
  /** Called once, when the file header (and for pcapng the first interface) is known. */
  onInfo(info: CaptureInfo): void;
  /** Called for each packet; returning false stops reading. */
  onPacket(record: PacketRecord): boolean | void;
}

/**
 * A capture format's record parser, fed from a buffer the reader owns. It consumes only whole records and
 * says how many bytes it needs to make progress, so the reader can stream a file of any size through a
 * bounded buffer.
 */
export interface FormatParser {
  /**
   * Parses complete records in buf[pos, end) (stream offset `streamPos` at `pos`) and returns the position
   * after the last byte consumed. Throws a CaptureError for a corrupt record.
   */
  parse(buf: Buffer, pos: number, end: number, streamPos: number): number;
  /** Bytes needed at the position `parse` returned before it can go on (valid after `parse`). */
  readonly need: number;
  /** True once the sink asked to stop, or a record began at or after `stopAt` (the reader clears it to read another range). */
  stopped: boolean;
  /** Stream offset at which to stop: a record that starts there or later is not read (Infinity: none). */
  stopAt: number;
  /**
   * Called at the end of the stream with the `end - pos` bytes `parse` left; throws a CaptureError when they
   * are a truncated record (or the file ended before its header was complete).
   */
  finish(buf: Buffer, pos: number, end: number, streamPos: number): void;
}
