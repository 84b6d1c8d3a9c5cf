/**
 * Where CLI output goes: real stdout/stderr, or buffers in tests.
 *
 * @module
 */

/** Output channels of a CLI run. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

const encoder = new TextEncoder();

function writeAllSync(target: { writeSync(p: Uint8Array): number }, text: string): void {
  let bytes = encoder.encode(text);
  while (bytes.length > 0) bytes = bytes.subarray(target.writeSync(bytes));
}

/** The process's stdout and stderr, written synchronously so streams interleave correctly. */
export const processIo: CliIo = {
  out: (text) => writeAllSync(Deno.stdout, text),
  err: (text) => writeAllSync(Deno.stderr, text),
};

/** A usage error: printed as one line, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}
