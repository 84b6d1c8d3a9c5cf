/**
 * Structured logs: one JSON line per event on stderr, with a level filter
 * (`--log-level`, `TALON_LOG`) and secrets redacted before anything is written.
 *
 * @module
 */
import type { LogLevel } from "./types.ts";
import { redactSecrets } from "./security/mod.ts";

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Where log lines go; stderr by default. */
export type LogSink = (line: string) => void;

/** A levelled, structured logger. */
export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  /** A logger that adds `fields` to every line. */
  child(fields: Record<string, unknown>): Logger;
}

const encoder = new TextEncoder();

/** Writes one line to stderr synchronously, so lines never interleave. */
export function stderrSink(line: string): void {
  Deno.stderr.writeSync(encoder.encode(line + "\n"));
}

/** Creates a logger writing JSON lines at `level` and above. */
export function createLogger(
  level: LogLevel,
  options: { sink?: LogSink; fields?: Record<string, unknown> } = {},
): Logger {
  const sink = options.sink ?? stderrSink;
  const base = options.fields ?? {};
  const write = (at: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    if (ORDER[at] < ORDER[level]) return;
    const record = redactSecrets({
      ts: new Date().toISOString(),
      level: at,
      msg,
      ...base,
      ...fields,
    });
    sink(JSON.stringify(record));
  };
  return {
    debug: (msg, fields) => write("debug", msg, fields),
    info: (msg, fields) => write("info", msg, fields),
    warn: (msg, fields) => write("warn", msg, fields),
    error: (msg, fields) => write("error", msg, fields),
    child: (fields) => createLogger(level, { sink, fields: { ...base, ...fields } }),
  };
}

/**
 * `log` with every line's message and fields also passed through `redact`
 * first — the kernel's configured secret values (provider keys, `env_read`
 * values), which key-shape matching alone cannot know.
 */
export function redactingLogger(log: Logger, redact: <T>(value: T) => T): Logger {
  const clean = (fields?: Record<string, unknown>) =>
    fields === undefined ? undefined : redact(fields);
  return {
    debug: (msg, fields) => log.debug(redact(msg), clean(fields)),
    info: (msg, fields) => log.info(redact(msg), clean(fields)),
    warn: (msg, fields) => log.warn(redact(msg), clean(fields)),
    error: (msg, fields) => log.error(redact(msg), clean(fields)),
    child: (fields) => redactingLogger(log.child(redact(fields)), redact),
  };
}
