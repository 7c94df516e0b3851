/**
 * The bytes a streaming reader has not consumed yet: the unfinished token of earlier chunks followed by
 * the newest chunk. Only that token is carried over, so memory does not grow with the reply, up to a
 * limit past which one token is refused rather than buffered.
 */

/** One unfinished tag, text or CSV row may span chunks up to this size. */
export const MAX_TOKEN_BYTES = 8 * 1024 * 1024;

const NO_BYTES: Buffer = Buffer.alloc(0);

export interface ChunkScanner {
  /** Consumes what it can of `bytes` (all of it when `final`) and returns how far it got. */
  scan(bytes: Buffer, final: boolean): number;
  /** The error that stopped the scanner, if any. */
  failure(): string | null;
  /** Checks the whole reply once everything is consumed. */
  finish(): string | null;
}

export interface ChunkReader {
  /** Feeds the next bytes; returns the first error, then the same error for every later call. */
  write(chunk: Uint8Array): string | null;
  end(): string | null;
}

/**
 * Feeds `scanner` chunk by chunk, past a UTF-8 byte order mark; a UTF-16 one is refused (its bytes cannot
 * be scanned for ASCII markup). `token` names what would be too long in the error.
 */
export function readChunks(scanner: ChunkScanner, token: string): ChunkReader {
  let carried: Buffer = NO_BYTES;
  let started = false;
  let refused: string | null = null;
  const failed = () => refused ?? scanner.failure();
  function step(all: Buffer, final: boolean): void {
    let bytes = all;
    if (!started) {
      if (bytes.length < 3 && !final) {
        carried = bytes;
        return;
      }
      started = true;
      if ((bytes[0] === 0xfe && bytes[1] === 0xff) || (bytes[0] === 0xff && bytes[1] === 0xfe)) {
        refused = 'unsupported charset: UTF-16';
        return;
      }
      if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
    }
    const pos = scanner.scan(bytes, final);
    carried = pos >= bytes.length ? NO_BYTES : bytes.subarray(pos);
    if (carried.length > MAX_TOKEN_BYTES) refused = `${token} longer than ${MAX_TOKEN_BYTES} bytes`;
  }
  return {
    write(chunk) {
      if (failed() !== null) return failed();
      const incoming = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      step(carried.length === 0 ? incoming : Buffer.concat([carried, incoming]), false);
      return failed();
    },
    end() {
      if (failed() === null) step(carried, true);
      return failed() ?? scanner.finish();
    },
  };
}
