/**
 * Fuzz pass over the CLI's argument parser (fast-check, fixed seed): every
 * command but the ones that serve, restore or write files outside the data
 * dir, with hostile positionals and random known and unknown flags, run
 * through a served kernel (fake clock, so nothing scheduled fires). Each run
 * ends with exit 0, 1 or 2 and never throws; a 2 (bad input) leaves every
 * table's row count and the audit head unchanged; no answer is a 500.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { COMMAND_INDEX } from "../../cli/command_index.ts";
import { bootKernel, createLogger } from "../../kernel/mod.ts";
import { serveDataDir, talon } from "../cli/cli_fixtures.ts";
import { FakeClock } from "../fakes/fake_clock.ts";
import { hostileString, SEED, settle, snapshot, watchRejections } from "./fuzz_fixtures.ts";

/** Commands that serve, hold stdio, restore, or read or write paths they are given. */
const SKIPPED = new Set([
  "serve",
  "mcp",
  "migrate",
  "backup",
  "restore",
  "session export",
  "skill install",
  "mcp-server add",
  "mcp-server test",
  "key create",
  "manifest sign",
]);

const COMMANDS = [...new Set((await Promise.all(COMMAND_INDEX.map((e) => e.load()))).flat())];
const commands = COMMANDS.map((c) => c.words.join(" ")).filter((w) => !SKIPPED.has(w));

/** Positionals: names that exist (to get past lookups) or hostile text, never a path. */
const positional = fc.oneof(
  fc.constantFrom("fuzzer", "1", "0", "-1"),
  hostileString.filter((s) => !s.includes("/") && !s.startsWith("-") && s.length < 5000),
);

/** A flag of any command (or an unknown one), with or without a value. */
const flagNames = [
  ...new Set(COMMANDS.flatMap((c) => Object.keys(c.options))),
  "json",
  "help",
  "bogus",
].filter((n) => n !== "data-dir" && n !== "config" && n !== "out");
const flag = fc.tuple(fc.constantFrom(...flagNames), fc.option(positional, { nil: undefined }))
  .map(([name, value]) => (value === undefined ? [`--${name}`] : [`--${name}`, value]));

Deno.test("fuzz: the CLI exits 0, 1 or 2 on any argv, and a refusal changes nothing", async () => {
  const dir = await Deno.makeTempDir({ prefix: "talon-fuzz-cli-" });
  const kernel = await bootKernel({
    dataDir: dir,
    env: () => undefined,
    log: createLogger("error", { sink: () => {} }),
    clock: new FakeClock(),
  });
  kernel.agents.spawn({ name: "fuzzer", capabilities: ["memory_read", "memory_write"] });
  await kernel.identity.identity.settle();
  const stop = await serveDataDir(kernel, dir);
  try {
    const rejections = await watchRejections(async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...commands),
          fc.array(positional, { maxLength: 3 }),
          fc.array(flag, { maxLength: 3 }),
          async (command, args, flags) => {
            const argv = [...command.split(" "), ...args, ...flags.flat()];
            const before = snapshot(kernel);
            const res = await talon(dir, ...argv);
            const label = `talon ${JSON.stringify(argv).slice(0, 300)} → ${res.code}: ${
              res.err.slice(0, 300)
            }`;
            assert.ok([0, 1, 2].includes(res.code), label);
            assert.doesNotMatch(res.err, /internal error/, label);
            if (res.code === 2) assert.deepEqual(snapshot(kernel), before, label);
            else await settle(kernel);
          },
        ),
        { seed: SEED + 10, numRuns: 150 },
      );
    });
    assert.deepEqual(rejections, [], "no unhandled rejections");
  } finally {
    await stop();
    await Deno.remove(dir, { recursive: true });
  }
});
