/**
 * The CLI dispatcher: finds the command in argv (global flags may come
 * before or after it) in cli/command_index.ts, loads only that command's
 * module (help lists commands without loading any), parses its options strictly, and maps failures to one
 * clear line (ending with the paths of the fields a refusal concerns, e.g.
 * `(field capabilities.0)`) and an exit code (2 for bad input, 1 for other failures).
 *
 * @module
 */
import { isTalonError, type TalonErrorCode } from "../kernel/errors.ts";
import { VERSION } from "../kernel/version.ts";
import { COMMAND_INDEX, type CommandEntry, VALUE_FLAGS } from "./command_index.ts";
import type { Command, OptionSpec } from "./commands/command.ts";
import type { GlobalOptions } from "./connect.ts";
import { type CliIo, UsageError } from "./io.ts";

const GLOBAL_OPTIONS: Record<string, OptionSpec> = {
  "data-dir": {
    type: "string",
    value: "<dir>",
    help: "data dir (default ./data, or TALON_DATA_DIR)",
  },
  config: { type: "string", value: "<file>", help: "config file (default <data-dir>/config.toml)" },
  "log-level": {
    type: "string",
    value: "<level>",
    help: "debug, info, warn or error (or TALON_LOG)",
  },
  help: { type: "boolean", short: "h", help: "show help" },
  version: { type: "boolean", short: "V", help: "print the version" },
};

const GROUPS: Record<string, string> = {
  agent: "Manage agents",
  token: "Manage API tokens",
  audit: "Verify and read the hash-chained audit log",
  security: "Audit the security posture",
  budget: "Show and set spending caps",
  skill: "List, show, install and remove skills",
  "mcp-server": "List, add, remove, test and allow MCP servers",
  a2a: "Discover A2A peers' agent cards",
  schedule: "Schedule messages to agents (cron, every, at) and read their runs",
  approval: "List and decide the tool calls that wait for approval",
  session: "List, show, switch, label and export an agent's sessions",
  memory: "Read and write agents' memory: key-value entries, facts, search, stats",
  hand: "List, check and activate Hands; manage their instances",
  key: "Make signing key pairs for manifests",
  manifest: "Sign agent manifests",
  report: "List and read the reports Hand runs wrote",
};

const INPUT_CODES = new Set<TalonErrorCode>([
  "invalid_input",
  "invalid_config",
  "invalid_manifest",
  "name_taken",
  "capability_exceeded",
  "not_supported",
  "signature_invalid",
  "manifest_unsigned",
  "manifest_untrusted_key",
  "manifest_rollback",
]);

function valueFlags(): Set<string> {
  const names = new Set<string>(VALUE_FLAGS);
  for (const [name, opt] of Object.entries(GLOBAL_OPTIONS)) {
    if (opt.type === "string") {
      names.add(`--${name}`);
      if (opt.short) names.add(`-${opt.short}`);
    }
  }
  return names;
}

/** The words of argv that are not flags or flag values, in order. */
function positionalWords(argv: string[]): string[] {
  const takesValue = valueFlags();
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") {
      words.push(...argv.slice(i + 1));
      break;
    }
    if (arg.startsWith("-") && arg !== "-") {
      if (!arg.includes("=") && takesValue.has(arg)) i++;
      continue;
    }
    words.push(arg);
  }
  return words;
}

function optionHelp(options: Record<string, OptionSpec>): string[] {
  return Object.entries(options).map(([name, o]) => {
    const flag = `${o.short ? `-${o.short}, ` : ""}--${name}${o.value ? ` ${o.value}` : ""}`;
    return `  ${flag.padEnd(28)} ${o.help}`;
  });
}

function commandHelp(cmd: Command): string {
  const args = cmd.args.map((a) => (a.endsWith("?") ? `[${a.slice(0, -1)}]` : `<${a}>`));
  return [
    `${cmd.summary}.`,
    "",
    `Usage: talon ${[...cmd.words, ...args].join(" ")} [options]`,
    ...(cmd.notes ? ["", ...cmd.notes] : []),
    "",
    "Options:",
    ...optionHelp(cmd.options),
    ...optionHelp(GLOBAL_OPTIONS),
    "",
  ].join("\n");
}

function mainHelp(group?: string): string {
  const cmds = COMMAND_INDEX.filter((c) => !group || c.words[0] === group);
  return [
    `Talon ${VERSION} — an agent operating system.`,
    "",
    `Usage: talon ${group ?? "[command]"} <${group ? "subcommand" : "command"}> [options]`,
    "",
    "Commands:",
    ...cmds.map((c) => `  ${c.words.join(" ").padEnd(16)} ${c.summary}`),
    "",
    "Global options (before or after the command):",
    ...optionHelp(GLOBAL_OPTIONS),
    "",
    "Run `talon <command> --help` for a command's options.",
    "",
  ].join("\n");
}

function findEntry(words: string[]): CommandEntry | string {
  if (words.length === 0) return COMMAND_INDEX[0]!;
  const [first, second] = words;
  if (first! in GROUPS) {
    if (second === undefined) return `group:${first}`;
    const entry = COMMAND_INDEX.find((c) => c.words[0] === first && c.words[1] === second);
    if (!entry) {
      throw new UsageError(
        `unknown command "talon ${first} ${second}"; run \`talon ${first} --help\``,
      );
    }
    return entry;
  }
  const entry = COMMAND_INDEX.find((c) => c.words.length === 1 && c.words[0] === first);
  if (!entry) throw new UsageError(`unknown command "${first}"; run \`talon --help\``);
  return entry;
}

/** Loads the module of `entry` and returns its command. */
async function loadCommand(entry: CommandEntry): Promise<Command> {
  const cmd = (await entry.load()).find((c) => c.words.join(" ") === entry.words.join(" "));
  if (!cmd) {
    throw new Error(
      `cli/command_index.ts lists "${entry.words.join(" ")}" but its module does not define it`,
    );
  }
  return cmd;
}

type ParsedValues = Record<string, string | boolean | string[] | undefined>;

async function parse(
  cmd: Command,
  argv: string[],
): Promise<{ values: ParsedValues; positionals: string[] }> {
  const { parseArgs } = await import("node:util");
  const options: Record<string, OptionSpec> = {
    ...GLOBAL_OPTIONS,
    json: { type: "boolean", help: "print JSON" },
    ...cmd.options,
  };
  try {
    const parsed = parseArgs({
      args: argv,
      options: Object.fromEntries(
        Object.entries(options).map(([k, o]) => [k, {
          type: o.type,
          ...(o.short ? { short: o.short } : {}),
          ...(o.multiple ? { multiple: true } : {}),
        }]),
      ),
      allowPositionals: true,
      strict: true,
    });
    return { values: parsed.values as ParsedValues, positionals: parsed.positionals };
  } catch (cause) {
    const message = (cause as Error).message.split("\n")[0]!.replace(
      /\. To specify a positional.*$/,
      "",
    );
    throw new UsageError(`${message}; run \`talon ${cmd.words.join(" ")} --help\``);
  }
}

/** Runs the CLI with `argv` and returns the exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  try {
    const words = positionalWords(argv);
    if (words.length === 0 && (argv.includes("--version") || argv.includes("-V"))) {
      io.out(`talon ${VERSION}\n`);
      return 0;
    }
    const found = findEntry(words);
    if (typeof found === "string") {
      io.out(mainHelp(found.slice("group:".length)));
      return argv.includes("--help") || argv.includes("-h") ? 0 : 2;
    }
    if ((argv.includes("--help") || argv.includes("-h")) && words.length === 0) {
      io.out(mainHelp());
      return 0;
    }
    const cmd = await loadCommand(found);
    const { values, positionals } = await parse(cmd, argv);
    if (values.help) {
      io.out(commandHelp(cmd));
      return 0;
    }
    const args = positionals.slice(words.length === 0 ? 0 : cmd.words.length);
    const required = cmd.args.filter((a) => !a.endsWith("?")).length;
    if (args.length < required) {
      throw new UsageError(
        `missing <${cmd.args[args.length]}>; usage: talon ${cmd.words.join(" ")} ${
          cmd.args.map((a) => (a.endsWith("?") ? `[${a.slice(0, -1)}]` : `<${a}>`)).join(" ")
        }`,
      );
    }
    if (args.length > cmd.args.length) {
      throw new UsageError(
        `unexpected argument "${args[cmd.args.length]}"; quote text that contains spaces`,
      );
    }
    const globals: GlobalOptions = {
      dataDir: values["data-dir"] as string | undefined,
      config: values.config as string | undefined,
      logLevel: values["log-level"] as string | undefined,
      json: values.json === true,
    };
    return await cmd.run({ args, values, globals, io });
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`error: ${error.message}\n`);
      return 2;
    }
    if (isTalonError(error)) {
      const fields = Object.keys(error.fields ?? {});
      const named = fields.length > 0
        ? ` (${fields.length > 1 ? "fields" : "field"} ${fields.join(", ")})`
        : "";
      io.err(`error: ${error.message}${named}\n`);
      return INPUT_CODES.has(error.code) ? 2 : 1;
    }
    throw error;
  }
}
