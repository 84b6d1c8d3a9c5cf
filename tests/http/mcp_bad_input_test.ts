import assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { relayMcpStdio } from "../../kernel/protocols/mod.ts";
import { type ApiFixture, call, withApi } from "./http_fixtures.ts";

const HEADERS = { accept: "application/json, text/event-stream" };

async function listsTools(f: ApiFixture): Promise<string[]> {
  const client = new Client({ name: "talon-test", version: "1.0.0" });
  await client.connect(
    new StreamableHTTPClientTransport(new URL("/mcp", f.server.url), {
      requestInit: { headers: { authorization: `Bearer ${f.tokens.operator}` } },
    }),
  );
  try {
    return (await client.listTools()).tools.map((t: { name: string }) => t.name);
  } finally {
    await client.close();
  }
}

/** POSTs `body` chunked (no Content-Length) over a raw connection; returns the response head. */
async function chunkedPost(f: ApiFixture, path: string, body: string, token: string) {
  const { hostname, port } = new URL(f.server.url);
  const conn = await Deno.connect({ hostname, port: Number(port) });
  try {
    const head = [
      `POST ${path} HTTP/1.1`,
      `host: ${hostname}:${port}`,
      `authorization: Bearer ${token}`,
      "content-type: application/json",
      `accept: ${HEADERS.accept}`,
      "transfer-encoding: chunked",
      "connection: close",
      "",
      "",
    ].join("\r\n");
    const writer = conn.writable.getWriter();
    const reading = (async () => {
      let text = "";
      const decoder = new TextDecoder();
      const buf = new Uint8Array(16 * 1024);
      while (!text.includes("\r\n\r\n")) {
        const n = await conn.read(buf);
        if (n === null) break;
        text += decoder.decode(buf.subarray(0, n));
      }
      return text;
    })();
    await writer.write(new TextEncoder().encode(head));
    const bytes = new TextEncoder().encode(body);
    try {
      for (let at = 0; at < bytes.length; at += 64 * 1024) {
        const piece = bytes.slice(at, at + 64 * 1024);
        await writer.write(new TextEncoder().encode(`${piece.length.toString(16)}\r\n`));
        await writer.write(piece);
        await writer.write(new TextEncoder().encode("\r\n"));
      }
      await writer.write(new TextEncoder().encode("0\r\n\r\n"));
    } catch {
      // the server may answer and close before the whole body is sent
    }
    writer.releaseLock();
    return (await reading).split("\r\n\r\n")[0]!;
  } finally {
    try {
      conn.close();
    } catch {
      // closed by the reader already
    }
  }
}

Deno.test("POST /mcp: an oversized payload is refused with 413 before any MCP runs, and Talon keeps serving", async () => {
  await withApi(async (f) => {
    f.kernel.agents.spawn({ name: "echo" });
    const huge = JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      method: "tools/call",
      params: { name: "talon_agent_echo", arguments: { text: "x".repeat(2 * 1024 * 1024) } },
    });
    const sized = await call(f, "POST", "/mcp", {
      token: f.tokens.operator,
      body: huge,
      headers: HEADERS,
    });
    assert.equal(sized.status, 413);
    assert.equal((sized.body.error as { code: string }).code, "payload_too_large");

    // Without a Content-Length, the limit applies to the stream as it arrives.
    const streamed = await chunkedPost(f, "/mcp", huge, f.tokens.operator);
    assert.match(streamed, /^HTTP\/1\.1 413 /);

    assert.equal(f.kernel.audit.list({ action: "agent.message", limit: 5 }).entries.length, 0);
    assert.ok((await listsTools(f)).includes("talon_agent_echo"), "Talon keeps serving");
  });
});

Deno.test("POST /mcp: a batch of malformed messages and a call to an unknown method get JSON-RPC errors", async () => {
  await withApi(async (f) => {
    const init = {
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: {
        protocolVersion: "2025-06-18",
        capabilities: {},
        clientInfo: { name: "raw", version: "1" },
      },
    };
    const wrongVersion = await call(f, "POST", "/mcp", {
      token: f.tokens.viewer,
      body: JSON.stringify({ ...init, jsonrpc: "1.0" }),
      headers: HEADERS,
    });
    assert.equal(wrongVersion.status, 400);
    assert.match(JSON.stringify(wrongVersion.body), /-32700|-32600/);
    const noAccept = await call(f, "POST", "/mcp", {
      token: f.tokens.viewer,
      body: JSON.stringify(init),
    });
    assert.equal(noAccept.status, 406, "a client that cannot take SSE is told so");
    const unknownMethod = await fetch(`${f.server.url}/mcp`, {
      method: "POST",
      headers: {
        ...HEADERS,
        authorization: `Bearer ${f.tokens.viewer}`,
        "content-type": "application/json",
      },
      body: JSON.stringify({ jsonrpc: "2.0", id: 7, method: "talon/explode", params: {} }),
    });
    assert.match(await unknownMethod.text(), /-32601|Method not found/i);
    assert.ok((await listsTools(f)).includes("talon_list_agents"), "Talon keeps serving");
  });
});

/** A stdio host over in-memory streams, talking to `relayMcpStdio`. */
function relayHost(url: string, credential: string) {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  let buffer = "";
  const waiting = new Map<number, (message: Record<string, unknown>) => void>();
  stdout.on("data", (chunk: Uint8Array | string) => {
    buffer += typeof chunk === "string" ? chunk : new TextDecoder().decode(chunk);
    let at: number;
    while ((at = buffer.indexOf("\n")) >= 0) {
      const message = JSON.parse(buffer.slice(0, at));
      buffer = buffer.slice(at + 1);
      waiting.get(message.id)?.(message);
    }
  });
  const done = relayMcpStdio(url, credential, { stdin, stdout });
  let id = 0;
  return {
    request(method: string, params: unknown): Promise<Record<string, unknown>> {
      const n = ++id;
      return new Promise((resolve) => {
        waiting.set(n, resolve);
        stdin.write(JSON.stringify({ jsonrpc: "2.0", id: n, method, params }) + "\n");
      });
    },
    async close(): Promise<void> {
      stdin.end();
      await done;
    },
  };
}

const INIT = {
  protocolVersion: "2025-06-18",
  capabilities: {},
  clientInfo: { name: "relay-test", version: "1" },
};

Deno.test("talon mcp's stdio relay: a bad credential is refused, a viewer's is refused a spawn naming operator", async () => {
  await withApi(async (f) => {
    const stranger = relayHost(f.server.url, "tln_not_a_real_token");
    try {
      const refused = await stranger.request("initialize", INIT);
      const error = refused.error as { code: number; message: string };
      assert.equal(error.code, -32603);
      assert.match(error.message, /refused/);
    } finally {
      await stranger.close();
    }

    const viewer = relayHost(f.server.url, f.tokens.viewer);
    try {
      const init = await viewer.request("initialize", INIT);
      assert.equal((init.result as { serverInfo: { name: string } }).serverInfo.name, "talon");
      const spawn = await viewer.request("tools/call", {
        name: "talon_spawn_agent",
        arguments: { name: "nope" },
      });
      assert.match(JSON.stringify(spawn), /operator/);
      assert.throws(() => f.kernel.agents.get("nope"), "nothing was spawned");
    } finally {
      await viewer.close();
    }
  });
});
