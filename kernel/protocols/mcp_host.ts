/**
 * The transports of Talon's MCP server: one streamable-HTTP request
 * (`POST /mcp`, stateless), stdio in-process, and stdio relayed to a running
 * server's `/mcp`. The SDK and kernel/protocols/mcp_server.ts load here on
 * first use, never on serve's boot path.
 *
 * @module
 */
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import type { Kernel } from "../kernel.ts";
import type { Role } from "../types.ts";

/** Who calls the MCP server: the role gates tools, the actor goes to the audit log. */
export interface McpCaller {
  role: Role;
  /** As the audit log names callers: `token:<id>` or `local:<id>`. */
  actor: string;
}

/** Answers one streamable-HTTP MCP request (stateless: a server per request, answers as SSE). */
export async function handleMcpRequest(
  kernel: Kernel,
  request: Request,
  caller: McpCaller,
): Promise<Response> {
  const [{ WebStandardStreamableHTTPServerTransport }, { createMcpServer }] = await Promise.all([
    import("@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js"),
    import("./mcp_server.ts"),
  ]);
  const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined });
  // The transport ends the stream once every answer is sent; the server goes with it.
  await createMcpServer(kernel, caller).connect(transport);
  return await transport.handleRequest(request);
}

/** Where stdio MCP messages come from and go (the process's own by default). */
export interface McpStdio {
  stdin?: NodeJS.ReadableStream;
  stdout?: NodeJS.WritableStream;
}

const PARSE_ERROR = -32700;

/**
 * Serves MCP over stdio in-process until the host closes stdin. A line that
 * is not JSON-RPC gets a parse error and the server keeps reading.
 */
export async function serveMcpStdio(
  kernel: Kernel,
  caller: McpCaller,
  io: McpStdio = {},
): Promise<void> {
  const [{ StdioServerTransport }, { createMcpServer }, process] = await Promise.all([
    import("@modelcontextprotocol/sdk/server/stdio.js"),
    import("./mcp_server.ts"),
    import("node:process"),
  ]);
  const stdin = io.stdin ?? process.stdin;
  const transport = new StdioServerTransport(
    stdin as never,
    (io.stdout ?? process.stdout) as never,
  );
  const server = createMcpServer(kernel, caller);
  const closed = new Promise<void>((resolve) => {
    server.onclose = () => resolve();
  });
  await server.connect(transport);
  // After connect: the SDK's Protocol wraps the transport's handlers.
  const onerror = transport.onerror;
  transport.onerror = (error: Error) => {
    onerror?.(error);
    void transport.send({
      jsonrpc: "2.0",
      id: null as unknown as string,
      error: { code: PARSE_ERROR, message: `not a JSON-RPC message: ${error.message}` },
    }).catch(() => {});
  };
  const end = () => void server.close();
  stdin.once("end", end);
  try {
    await closed;
  } finally {
    stdin.off("end", end);
  }
}

/**
 * Relays MCP between stdio and a running server's `POST /mcp`, with the
 * server's local credential, until the host closes stdin. A request the
 * server cannot take gets a JSON-RPC error naming why.
 */
export async function relayMcpStdio(
  baseUrl: string,
  credential: string,
  io: McpStdio = {},
): Promise<void> {
  const [{ StdioServerTransport }, { StreamableHTTPClientTransport }, process] = await Promise
    .all([
      import("@modelcontextprotocol/sdk/server/stdio.js"),
      import("@modelcontextprotocol/sdk/client/streamableHttp.js"),
      import("node:process"),
    ]);
  const stdin = io.stdin ?? process.stdin;
  const local = new StdioServerTransport(stdin as never, (io.stdout ?? process.stdout) as never);
  const remote = new StreamableHTTPClientTransport(new URL("/mcp", baseUrl), {
    requestInit: { headers: { authorization: `Bearer ${credential}` } },
  });
  const closed = new Promise<void>((resolve) => {
    local.onclose = () => resolve();
  });
  remote.onmessage = (message: JSONRPCMessage) => void local.send(message).catch(() => {});
  local.onmessage = (message: JSONRPCMessage) => {
    remote.send(message).catch((error: Error) => {
      if (!("id" in message) || !("method" in message)) return;
      void local.send({
        jsonrpc: "2.0",
        id: message.id,
        error: {
          code: -32603,
          message: `the Talon server at ${baseUrl} refused: ${error.message}`,
        },
      }).catch(() => {});
    });
  };
  local.onerror = (error: Error) => {
    void local.send({
      jsonrpc: "2.0",
      id: null as unknown as string,
      error: { code: PARSE_ERROR, message: `not a JSON-RPC message: ${error.message}` },
    }).catch(() => {});
  };
  await remote.start();
  await local.start();
  const end = () => void local.close();
  stdin.once("end", end);
  try {
    await closed;
  } finally {
    stdin.off("end", end);
    await remote.close();
  }
}
