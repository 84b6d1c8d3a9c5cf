/**
 * One live connection to an MCP server through the official SDK's `Client`:
 * stdio (kernel/protocols/mcp_stdio.ts) or streamable HTTP. This module and
 * the SDK load on first use, never on serve's boot path.
 *
 * @module
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { TalonError } from "../errors.ts";
import type { McpServerConfig } from "../types.ts";
import { VERSION } from "../version.ts";
import { StdioProcessTransport } from "./mcp_stdio.ts";

/** A tool as the server lists it. */
export interface RawMcpTool {
  name: string;
  description?: string;
  inputSchema: Record<string, unknown>;
}

/** One content item of a tool result. */
export interface McpContent {
  type: string;
  text?: string;
  mimeType?: string;
  data?: string;
  uri?: string;
  resource?: { uri?: string; text?: string; mimeType?: string };
}

/** What a call returned. */
export interface McpCallResult {
  content: McpContent[];
  isError: boolean;
  structuredContent?: unknown;
}

/** An open connection. */
export interface McpSession {
  readonly tools: RawMcpTool[];
  call(
    name: string,
    args: Record<string, unknown>,
    options: { signal: AbortSignal; timeoutMs: number },
  ): Promise<McpCallResult>;
  close(): Promise<void>;
}

/** Options for {@link openMcpSession}. */
export interface OpenSessionOptions {
  /** Values of the variables the entry names (`env`, `headers_env`). */
  env: (key: string) => string | undefined;
  timeoutMs: number;
  /** Called once when the connection ends other than by `close()`. */
  onClosed: (reason: string) => void;
  onStderr?: (line: string) => void;
  /**
   * Checks every HTTP request before it is sent (the exfiltration guard);
   * a throw refuses it and fails the call.
   */
  outbound?: (request: { url: URL; headers: Headers; body?: string }) => void;
}

/** Connects, initializes and lists the server's tools; throws `mcp_unavailable` saying why not. */
export async function openMcpSession(
  config: McpServerConfig,
  options: OpenSessionOptions,
): Promise<McpSession> {
  const transport = transportOf(config, options);
  const client = new Client({ name: "talon", version: VERSION }, { capabilities: {} });
  let closing = false;
  let lastError = "";
  client.onerror = (error: Error) => {
    lastError = error.message;
  };
  client.onclose = () => {
    if (!closing) options.onClosed(lastError || "the connection closed");
  };
  const signal = AbortSignal.timeout(options.timeoutMs);
  try {
    await client.connect(transport, { signal, timeout: options.timeoutMs });
    const tools: RawMcpTool[] = [];
    let cursor: string | undefined;
    do {
      const page = await client.listTools(cursor ? { cursor } : undefined, {
        signal,
        timeout: options.timeoutMs,
      });
      for (const t of page.tools) {
        tools.push({
          name: t.name,
          description: t.description,
          inputSchema: t.inputSchema as Record<string, unknown>,
        });
      }
      cursor = page.nextCursor;
    } while (cursor && tools.length < 10_000);
    return {
      tools,
      async call(name, args, { signal, timeoutMs }) {
        const result = await client.callTool({ name, arguments: args }, undefined, {
          signal,
          timeout: timeoutMs,
        });
        return {
          content: Array.isArray(result.content) ? result.content as McpContent[] : [],
          isError: result.isError === true,
          ...(result.structuredContent === undefined
            ? {}
            : { structuredContent: result.structuredContent }),
        };
      },
      async close() {
        closing = true;
        await client.close().catch(() => {});
        await transport.close().catch(() => {});
      },
    };
  } catch (cause) {
    closing = true;
    await client.close().catch(() => {});
    await transport.close().catch(() => {});
    if (cause instanceof TalonError) throw cause;
    const why = signal.aborted
      ? `it did not answer within ${options.timeoutMs} ms`
      : `${(cause as Error).message}${lastError ? ` (${lastError})` : ""}`;
    throw new TalonError("mcp_unavailable", `could not connect: ${why}`, { cause });
  }
}

function transportOf(config: McpServerConfig, options: OpenSessionOptions): Transport {
  if (config.transport === "stdio") {
    const env: Record<string, string> = {};
    for (const key of config.env) {
      const value = options.env(key);
      if (value !== undefined) env[key] = value;
    }
    return new StdioProcessTransport({
      command: config.command,
      args: config.args,
      env,
      cwd: config.cwd,
      onStderr: options.onStderr,
    });
  }
  const headers: Record<string, string> = {};
  for (const [header, key] of Object.entries(config.headers_env)) {
    const value = options.env(key);
    if (value === undefined) {
      throw new TalonError(
        "mcp_unavailable",
        `header ${header} needs the environment variable ${key}, which is not set`,
      );
    }
    headers[header] = value;
  }
  const outbound = options.outbound;
  return new StreamableHTTPClientTransport(new URL(config.url), {
    requestInit: { headers },
    ...(outbound === undefined ? {} : {
      fetch: (input: string | URL, init?: RequestInit) => {
        const body = typeof init?.body === "string" ? init.body : undefined;
        outbound({ url: new URL(String(input)), headers: new Headers(init?.headers), body });
        return fetch(input, init);
      },
    }),
  });
}
