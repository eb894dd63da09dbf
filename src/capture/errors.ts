/**
 * A broken capture file: the first tier of errors. It names the file, the problem in libpcap's words and
 * the byte offset (in the decompressed stream) where reading stopped. Every packet before it has been
 * delivered.
 */
export class CaptureError extends Error {
  override readonly name = 'CaptureError';
  constructor(
    /** The file name as the user gave it (`-` for standard input). */
    readonly file: string,
    /** The problem, in libpcap's words where libpcap has words for it. */
    readonly problem: string,
    /** The byte offset in the (decompressed) capture where the problem lies, or -1 when not about bytes. */
    readonly offset: number,
  ) {
    super(offset >= 0 ? `${file}: ${problem} (at byte offset ${offset})` : `${file}: ${problem}`);
  }
}
