/**
 * The shape of a CLI command: its words, arguments, options and runner.
 *
 * @module
 */
import type { GlobalOptions } from "../connect.ts";
import type { CliIo } from "../io.ts";

/** A `node:util` parseArgs option, with help text. */
export interface OptionSpec {
  type: "string" | "boolean";
  short?: string;
  multiple?: boolean;
  /** Placeholder for the value in help, e.g. `<name>`. */
  value?: string;
  help: string;
}

/** What a command receives. */
export interface CommandContext {
  args: string[];
  values: Record<string, string | boolean | string[] | undefined>;
  globals: GlobalOptions;
  io: CliIo;
}

/** One CLI command. */
export interface Command {
  /** Words after `talon`, e.g. `["agent", "spawn"]`. */
  words: string[];
  summary: string;
  /** Argument names; a trailing `?` marks optional ones. */
  args: string[];
  options: Record<string, OptionSpec>;
  /** Extra help lines. */
  notes?: string[];
  /** Returns the exit code. */
  run(ctx: CommandContext): Promise<number>;
}
