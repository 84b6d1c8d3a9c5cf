import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { isTalonError, type TalonError } from "../../../kernel/mod.ts";
import { boot, withKernel, withTempDir } from "../fixtures.ts";

/** The TalonError `fn` throws (fails when it throws nothing or something else). */
function refusalOf(fn: () => unknown): TalonError {
  try {
    fn();
  } catch (error) {
    if (isTalonError(error)) return error;
    throw error;
  }
  assert.fail("expected a refusal");
}

/** Each reserved value, the path it is refused at, and a word of its message. */
const RESERVED: [Record<string, unknown>, string, RegExp][] = [
  [{ module: "builtin:research" }, "module", /modules other than builtin:chat/],
];

Deno.test("spawn refuses every reserved field with not_supported and its path, writing nothing", async () => {
  await withKernel((kernel) => {
    for (const [fields, path, message] of RESERVED) {
      const error = refusalOf(() => kernel.agents.spawn({ name: "r", ...fields }));
      assert.equal(error.code, "not_supported", path);
      assert.deepEqual(Object.keys(error.fields ?? {}), [path]);
      assert.match(error.fields![path]!, message);
      assert.match(error.message, /does not do yet/);
    }
    assert.deepEqual(kernel.agents.list(), []);
    // The defaults are no request for anything.
    const plain = kernel.agents.spawn({
      name: "plain",
      mcp_servers: [],
      module: "builtin:chat",
    });
    assert.equal(plain.state, "running");
  });
});

Deno.test("spawn names every reserved field at once", async () => {
  await withKernel((kernel) => {
    const error = refusalOf(() =>
      kernel.agents.spawn({
        name: "r",
        module: "builtin:x",
        capabilities: ["memory_read", "browser_control"],
      })
    );
    assert.deepEqual(Object.keys(error.fields!).sort(), ["module"]);
  });
});

Deno.test("PATCH refuses a new reserved value with not_supported and leaves the agent unchanged", async () => {
  await withKernel((kernel) => {
    const agent = kernel.agents.spawn({ name: "ed", capabilities: ["file_read"] });
    const patches: [Record<string, unknown>, string][] = [
      [{ module: "builtin:research" }, "module"],
    ];
    for (const [patch, path] of patches) {
      const error = refusalOf(() => kernel.agents.update(agent.id, patch));
      assert.equal(error.code, "not_supported", path);
      assert.deepEqual(Object.keys(error.fields ?? {}), [path]);
    }
    // mcp_servers is built: an unknown server is an invalid manifest, naming the entry.
    const unknown = refusalOf(() => kernel.agents.update(agent.id, { mcp_servers: ["x"] }));
    assert.equal(unknown.code, "invalid_manifest");
    assert.deepEqual(Object.keys(unknown.fields ?? {}), ["mcp_servers.0"]);
    assert.deepEqual(kernel.agents.get(agent.id).manifest, agent.manifest);
  });
});

Deno.test("browser_control and media_process are no longer reserved: their tools exist", async () => {
  await withKernel((kernel) => {
    const agent = kernel.agents.spawn({
      name: "b",
      capabilities: ["browser_control", "media_process"],
    });
    assert.deepEqual(agent.manifest.capabilities, ["browser_control", "media_process"]);
  });
});

Deno.test("an agent stored with reserved values still loads, and edits keep what it has", async () => {
  await withTempDir(async (dir) => {
    const first = await boot(dir);
    const agent = first.agents.spawn({ name: "old", capabilities: ["file_read"] });
    await first.close();
    // A row written before these fields were refused.
    const db = new DatabaseSync(`${dir}/talon.db`);
    const manifest = {
      ...agent.manifest,
      module: "builtin:legacy",
      mcp_servers: ["github"],
      capabilities: ["file_read", "browser_control"],
    };
    db.prepare("UPDATE agents SET manifest = ? WHERE id = ?").run(
      JSON.stringify(manifest),
      agent.id,
    );
    db.close();

    const second = await boot(dir);
    try {
      const loaded = second.agents.get("old");
      assert.equal(loaded.state, "running");
      assert.deepEqual(loaded.manifest.mcp_servers, ["github"]);
      assert.equal(loaded.manifest.module, "builtin:legacy");
      assert.deepEqual(second.agents.list().map((a) => a.name), ["old"]);
      // Editing another field, or re-sending what it holds, is not a new request.
      const edited = second.agents.update("old", { description: "still here" });
      assert.equal(edited.description, "still here");
      second.agents.update("old", {
        capabilities: ["browser_control", "file_read"],
      });
      // A server it was stored with stays; naming an unknown one is refused.
      const error = refusalOf(() =>
        second.agents.update("old", { mcp_servers: ["github", "gitlab"] })
      );
      assert.equal(error.code, "invalid_manifest");
      assert.deepEqual(Object.keys(error.fields!), ["mcp_servers.1"]);
      // Back to the default is always allowed.
      const reset = second.agents.update("old", { mcp_servers: [] });
      assert.deepEqual(reset.manifest.mcp_servers, []);
    } finally {
      await second.close();
    }
  });
});
