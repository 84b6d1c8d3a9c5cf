import assert from "node:assert/strict";
import { collect, settle, withKernel, writeScript } from "../../fixtures.ts";
import { callTools } from "../fixtures.ts";
import type { TalonEvent } from "../../../../kernel/types.ts";

const FILES = {
  tools: ["file_read", "file_write", "file_list", "apply_patch"],
  capabilities: ["file_read", "file_write"],
};

Deno.test("an offline agent writes a file with file_write and reads it back with file_read", async () => {
  await withKernel(async (kernel, dir) => {
    const script = await writeScript(dir, {
      turns: [{
        match: "notes",
        steps: [
          {
            tool_calls: [{
              name: "file_write",
              args: { path: "notes/today.md", content: "buy milk\n" },
            }],
          },
          { tool_calls: [{ name: "file_read", args: { path: "notes/today.md" } }] },
          { text: "saved" },
        ],
      }],
    });
    const agent = kernel.agents.spawn({ name: "writer", model: `script:${script}`, ...FILES });
    const handle = kernel.agents.send(agent.id, "keep my notes");
    const events = await settle(collect(handle.events()), "turn", 60_000);
    const result = await handle.result;
    assert.equal(result.status, "completed");
    assert.equal(result.reply, "saved");
    const ends = events.filter((e) => e.type === "tool_end") as TalonEvent<"tool_end">[];
    assert.deepEqual(ends.map((e) => [e.data.name, e.data.ok, e.data.output]), [
      ["file_write", true, "wrote 9 bytes to notes/today.md"],
      ["file_read", true, "buy milk\n"],
    ]);
    const onDisk = await Deno.readTextFile(`${dir}/workspaces/${agent.id}/notes/today.md`);
    assert.equal(onDisk, "buy milk\n");
  });
});

Deno.test("file tools keep each agent inside its own workspace", async () => {
  await withKernel(async (kernel, dir) => {
    const other = kernel.agents.spawn({ name: "other" });
    await Deno.mkdir(`${dir}/workspaces/${other.id}`, { recursive: true });
    await Deno.writeTextFile(`${dir}/workspaces/${other.id}/private.txt`, "theirs");
    const { ends } = await callTools(kernel, dir, {
      manifest: FILES,
      calls: [
        { name: "file_read", args: { path: `../${other.id}/private.txt` } },
        { name: "file_read", args: { path: `${dir}/workspaces/${other.id}/private.txt` } },
        { name: "file_read", args: { path: "/etc/passwd" } },
        { name: "file_write", args: { path: "../../talon.db", content: "x" } },
        { name: "file_read", args: { path: "..%2f..%2ftalon.db" } },
      ],
    });
    for (const end of ends) {
      assert.equal(end.data.ok, false, end.data.output);
      assert.match(end.data.output, /is refused/);
    }
  });
});

Deno.test("file_read cuts at max_read_bytes, pages with offset, and refuses binary files", async () => {
  await withKernel(async (kernel, dir) => {
    const { ends } = await callTools(kernel, dir, {
      manifest: FILES,
      before: async (id) => {
        await Deno.mkdir(`${dir}/workspaces/${id}`, { recursive: true });
        await Deno.writeTextFile(`${dir}/workspaces/${id}/big.txt`, "abcdefghij");
        await Deno.writeFile(`${dir}/workspaces/${id}/bin.dat`, new Uint8Array([1, 0, 2]));
      },
      calls: [
        { name: "file_read", args: { path: "big.txt" } },
        { name: "file_read", args: { path: "big.txt", offset: 8 } },
        { name: "file_read", args: { path: "bin.dat" } },
      ],
    });
    assert.deepEqual(ends.map((e) => e.data.output), [
      "abcd\n[file_read: bytes 0-4 of 10; call again with offset 4 for more]",
      "ij",
      'tool "file_read" failed: "bin.dat" is a binary file (3 bytes); file_read returns text only',
    ]);
  }, { config: "[tools.files]\nmax_read_bytes = 4\n" });
});

Deno.test("file_list lists the workspace, recursively on request, without following symlinks", async () => {
  await withKernel(async (kernel, dir) => {
    const { ends } = await callTools(kernel, dir, {
      manifest: FILES,
      before: async (id) => {
        const ws = `${dir}/workspaces/${id}`;
        await Deno.mkdir(`${ws}/sub`, { recursive: true });
        await Deno.writeTextFile(`${ws}/a.txt`, "aa");
        await Deno.writeTextFile(`${ws}/sub/b.txt`, "b");
        await Deno.symlink("/etc", `${ws}/etc`);
      },
      calls: [
        { name: "file_list", args: { recursive: true } },
        { name: "file_list" },
        { name: "file_list", args: { path: "etc" } },
      ],
    });
    assert.deepEqual(JSON.parse(ends[0]!.data.output), {
      entries: [
        { path: "a.txt", type: "file", size: 2 },
        { path: "etc", type: "symlink" },
        { path: "sub", type: "dir" },
        { path: "sub/b.txt", type: "file", size: 1 },
      ],
    });
    assert.equal(JSON.parse(ends[1]!.data.output).entries.length, 3);
    assert.equal(ends[2]!.data.ok, false);
    assert.match(ends[2]!.data.output, /points outside the workspace/);
  });
});

Deno.test("apply_patch changes, creates and deletes files, all or nothing", async () => {
  await withKernel(async (kernel, dir) => {
    const good = [
      "--- a/poem.txt",
      "+++ b/poem.txt",
      "@@ -1,2 +1,2 @@",
      " roses are red",
      "-violets are blue",
      "+violets are violet",
      "--- /dev/null",
      "+++ b/new/file.txt",
      "@@ -0,0 +1 @@",
      "+fresh",
      "--- a/old.txt",
      "+++ /dev/null",
      "@@ -1 +0,0 @@",
      "-bye",
      "",
    ].join("\n");
    const bad = [
      "--- a/poem.txt",
      "+++ b/poem.txt",
      "@@ -1 +1 @@",
      "-roses are red",
      "+roses are pink",
      "--- a/other.txt",
      "+++ b/other.txt",
      "@@ -1 +1 @@",
      "-not what is there",
      "+x",
      "",
    ].join("\n");
    const escape = "--- a/../x.txt\n+++ b/../x.txt\n@@ -1 +1 @@\n-a\n+b\n";
    let ws = "";
    const { ends } = await callTools(kernel, dir, {
      manifest: FILES,
      before: async (id) => {
        ws = `${dir}/workspaces/${id}`;
        await Deno.mkdir(ws, { recursive: true });
        await Deno.writeTextFile(`${ws}/poem.txt`, "roses are red\nviolets are blue\n");
        await Deno.writeTextFile(`${ws}/old.txt`, "bye\n");
        await Deno.writeTextFile(`${ws}/other.txt`, "something else\n");
      },
      calls: [{ name: "apply_patch", args: { patch: good } }],
    });
    assert.equal(ends[0]!.data.output, "patched poem.txt\npatched new/file.txt\ndeleted old.txt");
    assert.equal(await Deno.readTextFile(`${ws}/poem.txt`), "roses are red\nviolets are violet\n");
    assert.equal(await Deno.readTextFile(`${ws}/new/file.txt`), "fresh\n");
    await assert.rejects(Deno.stat(`${ws}/old.txt`), Deno.errors.NotFound);

    const second = await callTools(kernel, dir, {
      manifest: { ...FILES, name: "patcher" },
      before: async (id) => {
        ws = `${dir}/workspaces/${id}`;
        await Deno.mkdir(ws, { recursive: true });
        await Deno.writeTextFile(`${ws}/poem.txt`, "roses are red\n");
        await Deno.writeTextFile(`${ws}/other.txt`, "something else\n");
      },
      calls: [
        { name: "apply_patch", args: { patch: bad } },
        { name: "apply_patch", args: { patch: escape } },
        { name: "apply_patch", args: { patch: "hello" } },
      ],
    });
    assert.match(second.ends[0]!.data.output, /does not apply to "other.txt"/);
    assert.equal(await Deno.readTextFile(`${ws}/poem.txt`), "roses are red\n");
    assert.match(second.ends[1]!.data.output, /is refused: '..' is not allowed/);
    assert.match(second.ends[2]!.data.output, /no hunks/);
  });
});

Deno.test("a secret in tool output is redacted before the model, the session or events see it", async () => {
  await withKernel(async (kernel, dir) => {
    const key = "sk-" + "a1b2c3d4e5f6g7h8i9j0k1l2";
    const { ends, agentId } = await callTools(kernel, dir, {
      manifest: FILES,
      before: async (id) => {
        await Deno.mkdir(`${dir}/workspaces/${id}`, { recursive: true });
        await Deno.writeTextFile(`${dir}/workspaces/${id}/.env`, `OPENAI_API_KEY=${key}\n`);
      },
      calls: [{ name: "file_read", args: { path: ".env" } }],
    });
    assert.equal(ends[0]!.data.output, "OPENAI_API_KEY=[REDACTED]\n");
    const stored = JSON.stringify(kernel.agents.session(agentId, { limit: 50 }));
    assert.ok(!stored.includes(key), "the session does not hold the key");
    assert.match(stored, /OPENAI_API_KEY=\[REDACTED\]/);
  });
});
