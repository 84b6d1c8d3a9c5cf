import assert from "node:assert/strict";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { bootQuiet, serveDataDir, talon } from "./cli_fixtures.ts";

/**
 * Closes the client, then outlasts the unref'd 2 s timer that the SDK's
 * StdioClientTransport.close() races against the child's exit and never
 * clears, so the op sanitizer sees it complete (not a timing assertion).
 */
async function closeClient(client: Client): Promise<void> {
  await client.close();
  await new Promise((resolve) => setTimeout(resolve, 2_100));
}

const MAIN = new URL("../../main.ts", import.meta.url).pathname;
const ROOT = new URL("../../", import.meta.url).pathname;

async function stdioClient(dataDir: string): Promise<Client> {
  const transport = new StdioClientTransport({
    command: Deno.execPath(),
    args: ["run", "-A", "--unstable-no-legacy-abort", MAIN, "mcp", "--data-dir", dataDir],
    cwd: ROOT,
    env: Deno.env.toObject(),
    stderr: "inherit",
  });
  const client = new Client({ name: "talon-test", version: "1.0.0" });
  await client.connect(transport);
  return client;
}

function textOf(result: unknown): string {
  const content = (result as { content: { type: string; text: string }[] }).content;
  return content.map((c) => c.text).join("");
}

async function initializeListCall(client: Client): Promise<void> {
  assert.equal(client.getServerVersion()?.name, "talon");
  const { tools } = await client.listTools();
  assert.deepEqual(tools.map((t: { name: string }) => t.name).sort(), [
    "talon_agent_echo",
    "talon_list_agents",
    "talon_schedule_add",
    "talon_spawn_agent",
  ]);
  const reply = await client.callTool({ name: "talon_agent_echo", arguments: { text: "hi" } });
  assert.notEqual(reply.isError, true, textOf(reply));
  assert.ok(textOf(reply).length > 0);
  await assert.rejects(
    client.callTool({ name: "nope", arguments: {} }),
    /unknown tool "nope"/,
  );
}

Deno.test({
  name:
    "talon mcp over stdio without a server: the SDK client initializes, lists and calls an agent under the data dir's lock",
}, async () => {
  const dir = await Deno.makeTempDir({ prefix: "talon-mcp-stdio-" });
  try {
    assert.equal((await talon(dir, "agent", "spawn", "--name", "echo")).code, 0);
    const client = await stdioClient(dir);
    try {
      await initializeListCall(client);
      const serve = await talon(dir, "agent", "list");
      assert.notEqual(serve.code, 0, "the data dir is held while the host keeps talon mcp open");
      assert.match(serve.err, /data dir/);
    } finally {
      await closeClient(client);
    }
    const after = await talon(dir, "agent", "list");
    assert.equal(after.code, 0, after.err);
    assert.match(after.out, /echo/, "the lock is released when the host closes");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name: "talon mcp over stdio with a running server relays to its /mcp with the local credential",
}, async () => {
  const dir = await Deno.makeTempDir({ prefix: "talon-mcp-relay-" });
  try {
    const kernel = await bootQuiet(dir);
    const stop = await serveDataDir(kernel, dir);
    try {
      kernel.agents.spawn({ name: "echo" });
      const client = await stdioClient(dir);
      try {
        await initializeListCall(client);
        const audit = kernel.audit.list({ action: "agent.message", limit: 5 }).entries;
        assert.equal(audit.length, 1, "the running server took the message");
        assert.match(audit[0]!.actor, /^local:/);
      } finally {
        await closeClient(client);
      }
    } finally {
      await stop();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("talon mcp over stdio answers a malformed line with a parse error and keeps serving", async () => {
  const dir = await Deno.makeTempDir({ prefix: "talon-mcp-bad-" });
  try {
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--unstable-no-legacy-abort", MAIN, "mcp", "--data-dir", dir],
      cwd: ROOT,
      stdin: "piped",
      stdout: "piped",
      stderr: "null",
    }).spawn();
    const writer = child.stdin.getWriter();
    const encoder = new TextEncoder();
    await writer.write(encoder.encode("{this is not json\n"));
    await writer.write(
      encoder.encode(
        JSON.stringify({
          jsonrpc: "2.0",
          id: 1,
          method: "initialize",
          params: {
            protocolVersion: "2025-06-18",
            capabilities: {},
            clientInfo: { name: "raw", version: "1" },
          },
        }) + "\n",
      ),
    );
    await writer.close();
    const output = await child.output();
    const lines = new TextDecoder().decode(output.stdout).trim().split("\n").map((l) =>
      JSON.parse(l) as { id: unknown; error?: { code: number; message: string }; result?: unknown }
    );
    assert.equal(output.code, 0, "talon mcp exits cleanly when the host closes stdin");
    const parseError = lines.find((l) => l.error);
    assert.equal(parseError?.error?.code, -32700);
    assert.match(parseError!.error!.message, /not a JSON-RPC message/);
    const init = lines.find((l) => l.id === 1);
    assert.equal((init?.result as { serverInfo: { name: string } }).serverInfo.name, "talon");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
