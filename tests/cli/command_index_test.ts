import assert from "node:assert/strict";
import { COMMAND_INDEX, VALUE_FLAGS } from "../../cli/command_index.ts";
import type { Command } from "../../cli/commands/command.ts";

async function loadedCommands(): Promise<Command[]> {
  const seen = new Set<Command>();
  for (const entry of COMMAND_INDEX) for (const c of await entry.load()) seen.add(c);
  return [...seen];
}

Deno.test("the command index lists exactly the commands the modules define, each under its own module", async () => {
  const loaded = await loadedCommands();
  assert.deepEqual(
    COMMAND_INDEX.map((e) => [e.words.join(" "), e.summary]),
    loaded.map((c) => [c.words.join(" "), c.summary]),
  );
  for (const entry of COMMAND_INDEX) {
    const own = await entry.load();
    assert.ok(
      own.some((c) => c.words.join(" ") === entry.words.join(" ")),
      `${entry.words.join(" ")} is defined by the module its entry loads`,
    );
  }
});

Deno.test("VALUE_FLAGS names every command option that takes a value, and nothing else", async () => {
  const derived = new Set<string>();
  for (const c of await loadedCommands()) {
    for (const [name, opt] of Object.entries(c.options)) {
      if (opt.type !== "string") continue;
      derived.add(`--${name}`);
      if (opt.short) derived.add(`-${opt.short}`);
    }
  }
  assert.deepEqual([...VALUE_FLAGS].sort(), [...derived].sort());
});
