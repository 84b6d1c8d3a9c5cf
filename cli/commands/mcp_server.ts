/**
 * `talon mcp-server list|add|remove|test|allow`: the MCP servers agents use.
 *
 * @module
 */
import { TalonError } from "../../kernel/mod.ts";
import type { McpServerAddBody, McpServerView } from "../../kernel/types.ts";
import { withClient } from "../connect.ts";
import { json, table } from "../format.ts";
import { UsageError } from "../io.ts";
import type { Command } from "./command.ts";

const JSON_OPTION = { json: { type: "boolean", help: "print JSON" } } as const;

/** Every `talon mcp-server` command. */
export const mcpServerCommands: Command[] = [
  {
    words: ["mcp-server", "list"],
    summary: "List MCP servers, their status and tools",
    args: [],
    options: JSON_OPTION,
    run: (ctx) =>
      withClient(ctx.globals, async (client) => {
        const servers = await client.listMcpServers();
        if (ctx.globals.json) ctx.io.out(json(servers));
        else if (servers.length === 0) ctx.io.out("No MCP servers.\n");
        else {
          ctx.io.out(table(
            ["NAME", "TRANSPORT", "SOURCE", "STATUS", "TOOLS"],
            servers.map((s) => [
              s.name,
              s.config.transport,
              s.source,
              s.status + (s.error ? ` (${s.error})` : ""),
              s.tools.map((t) => t.name).join(", ") || "-",
            ]),
          ));
        }
        return 0;
      }),
  },
  {
    words: ["mcp-server", "add"],
    summary: "Add an MCP server: --command <path> [--arg <a>]... [--env <KEY>]... or --url <url>",
    args: ["name"],
    options: {
      ...JSON_OPTION,
      command: { type: "string", value: "<path>", help: "stdio: the program to run" },
      arg: { type: "string", multiple: true, value: "<a>", help: "stdio: one argument (repeat)" },
      env: { type: "string", multiple: true, value: "<KEY>", help: "stdio: a variable to pass" },
      cwd: { type: "string", value: "<dir>", help: "stdio: working directory" },
      url: { type: "string", value: "<url>", help: "http: the server's URL" },
      "header-env": {
        type: "string",
        multiple: true,
        value: "<Header>=<VAR>",
        help: "http: a header whose value comes from an environment variable",
      },
      timeout: { type: "string", value: "<s>", help: "seconds per call (default 60)" },
    },
    notes: [
      "A stdio server runs its command with an argv only and a cleared environment (only --env names).",
      "Talon must be started with --allow-run=<command> for stdio servers; deno task start does not grant it.",
      "An argument starting with '-' is written --arg=<a>, e.g. --arg=-y.",
    ],
    run: (ctx) =>
      withClient(ctx.globals, async (client) => {
        const server = await client.addMcpServer(addBody(ctx.args[0]!, ctx.values));
        ctx.io.out(
          ctx.globals.json
            ? json(server)
            : `Added MCP server ${server.name} (${server.config.transport}).${
              server.config.transport === "stdio"
                ? ` Talon needs --allow-run=${server.config.command} to start it.`
                : ""
            }\n`,
        );
        return 0;
      }),
  },
  {
    words: ["mcp-server", "remove"],
    summary: "Remove an MCP server added at run time, stopping it",
    args: ["name"],
    options: JSON_OPTION,
    run: (ctx) =>
      withClient(ctx.globals, async (client) => {
        await client.removeMcpServer(ctx.args[0]!);
        ctx.io.out(
          ctx.globals.json
            ? json({ removed: ctx.args[0] })
            : `Removed MCP server ${ctx.args[0]}.\n`,
        );
        return 0;
      }),
  },
  {
    words: ["mcp-server", "test"],
    summary: "Start an MCP server, list its tools and stop it",
    args: ["name"],
    options: JSON_OPTION,
    run: (ctx) =>
      withClient(ctx.globals, async (client) => {
        const tools = await client.testMcpServer(ctx.args[0]!);
        if (ctx.globals.json) ctx.io.out(json(tools));
        else {
          ctx.io.out(table(
            ["TOOL", "ORIGINAL", "DESCRIPTION"],
            tools.map((t) => [t.name, t.original, t.description.split("\n")[0]!.slice(0, 80)]),
          ));
        }
        return 0;
      }),
  },
  {
    words: ["mcp-server", "allow"],
    summary: "Offer a flagged MCP server's tools after all (audited)",
    args: ["name"],
    options: JSON_OPTION,
    run: (ctx) =>
      withClient(ctx.globals, async (client) => {
        const server: McpServerView = await client.allowMcpServer(ctx.args[0]!);
        ctx.io.out(ctx.globals.json ? json(server) : `Allowed MCP server ${server.name}.\n`);
        return 0;
      }),
  },
];

function addBody(name: string, values: Record<string, unknown>): McpServerAddBody {
  const list = (key: string) => (values[key] as string[] | undefined) ?? [];
  const timeout = values.timeout === undefined ? undefined : Number(values.timeout);
  const common = timeout === undefined ? {} : { timeout_s: timeout };
  if ((values.command === undefined) === (values.url === undefined)) {
    throw new UsageError("give either --command (a stdio server) or --url (an http server)");
  }
  if (typeof values.url === "string") {
    const headers: Record<string, string> = {};
    for (const pair of list("header-env")) {
      const at = pair.indexOf("=");
      if (at <= 0) {
        throw new TalonError("invalid_input", `--header-env takes <Header>=<VAR>, got "${pair}"`, {
          fields: { headers_env: "use <Header>=<VAR>" },
        });
      }
      headers[pair.slice(0, at)] = pair.slice(at + 1);
    }
    return { name, transport: "http", url: values.url, headers_env: headers, ...common };
  }
  return {
    name,
    transport: "stdio",
    command: values.command as string,
    args: list("arg"),
    env: list("env"),
    ...(typeof values.cwd === "string" ? { cwd: values.cwd } : {}),
    ...common,
  };
}
