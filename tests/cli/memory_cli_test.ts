import assert from "node:assert/strict";
import { withTempDir } from "../kernel/fixtures.ts";
import { bootQuiet, serveDataDir, talon } from "./cli_fixtures.ts";

async function session(dir: string): Promise<string[]> {
  const outputs: string[] = [];
  const run = async (...args: string[]) => {
    const r = await talon(dir, ...args);
    assert.equal(r.code, 0, `${args.join(" ")}: ${r.err}`);
    outputs.push(r.out);
    return r.out;
  };
  await run("memory", "set", "mem", "user/lang", "English");
  assert.equal(await run("memory", "get", "mem", "user/lang"), "English\n");
  await run("memory", "remember", "mem", "The user speaks English and French");
  await run("memory", "search", "mem", "french speaker");
  await run("memory", "stats", "mem");
  const listed = JSON.parse(await run("memory", "list", "mem", "--json"));
  await run("memory", "forget", "mem", String(listed.facts[0].id));
  await run("memory", "delete", "mem", "user/lang");
  await run("memory", "list", "mem");
  return outputs;
}

Deno.test("talon memory prints the same in-process and through a running server", async () => {
  await withTempDir(async (root) => {
    const outputs: string[][] = [];
    for (const mode of ["local", "remote"]) {
      const dir = `${root}/${mode}`;
      await Deno.mkdir(dir);
      const kernel = await bootQuiet(dir);
      kernel.agents.spawn({ name: "mem", capabilities: ["memory_read"] });
      if (mode === "local") {
        await kernel.close();
        outputs.push(await session(dir));
      } else {
        const stop = await serveDataDir(kernel, dir);
        try {
          outputs.push(await session(dir));
        } finally {
          await stop();
        }
      }
    }
    const mask = (texts: string[]) =>
      texts.map((t) =>
        t.replace(/\d{4}-\d\d-\d\dT[\d:.]+Z?/g, "T").replace(/[0-9a-f-]{36}/g, "ID")
          .replace(/ +/g, " ")
      );
    assert.deepEqual(mask(outputs[1]!), mask(outputs[0]!));
    assert.match(outputs[0]![3]!, /Recall: BM25 only/);
    assert.match(outputs[0]![4]!, /BM25 only \(no \[memory\] embedding model is configured\)/);
    assert.match(outputs[0]![8]!, /No facts\.[\s\S]*No key-value entries\./);
  });
});

Deno.test("talon memory refuses bad input with a clear error and writes nothing", async () => {
  await withTempDir(async (dir) => {
    const kernel = await bootQuiet(dir);
    kernel.agents.spawn({ name: "mem" });
    await kernel.close();
    const cases: [string[], RegExp][] = [
      [["memory", "forget", "mem", "abc"], /fact-id must be a positive integer/],
      [["memory", "remember", "mem", "   "], /text/],
      [["memory", "set", "mem", "k".repeat(201), "v"], /key/],
      [["memory", "search", "mem", " "], /query must not be empty/],
      [["memory", "list", "mem", "--limit", "0"], /--limit must be an integer/],
      [["memory", "get", "nobody", "k"], /no agent with id or name "nobody"/],
      [["memory", "forget", "mem", "7"], /no fact 7/],
    ];
    for (const [args, message] of cases) {
      const r = await talon(dir, ...args);
      assert.notEqual(r.code, 0, args.join(" "));
      assert.match(r.err, message, args.join(" "));
    }
    const stats = JSON.parse((await talon(dir, "memory", "stats", "mem", "--json")).out);
    assert.equal(stats.agents[0].facts + stats.agents[0].kv_entries, 0);
  });
});
