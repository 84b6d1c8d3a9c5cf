/**
 * `talon mcp`: Talon as an MCP server over stdio, for an MCP host that
 * starts it as a subprocess. With a running server of the data dir it
 * relays to that server's `POST /mcp` with the local credential; otherwise
 * it boots the kernel in-process under the data dir's lock and holds it for
 * as long as the host keeps stdin open (meanwhile `serve` cannot start and
 * no schedule fires). Stdout carries only JSON-RPC; logs go to stderr.
 *
 * @module
 */
import {
  bootKernel,
  createLogger,
  ensureDataDir,
  findLiveServer,
  relayMcpStdio,
  serveMcpStdio,
  TalonError,
  tryLockDataDir,
} from "../../kernel/mod.ts";
import { cliLogLevel, resolveDataDir } from "../connect.ts";
import type { Command } from "./command.ts";

/** The mcp command. */
export const mcpCommand: Command = {
  words: ["mcp"],
  summary: "Serve Talon's agents and management to an MCP host over stdio",
  args: [],
  options: {},
  notes: [
    "Tools: talon_agent_<name> per agent that is not killed, talon_list_agents, talon_spawn_agent, talon_schedule_add.",
    "With a running server it relays to it; otherwise it holds the data dir's lock until the host closes stdin (serve cannot start and no schedule fires meanwhile).",
  ],
  run: async (ctx) => {
    const dataDir = resolveDataDir(ctx.globals);
    const level = cliLogLevel(ctx.globals);
    await ensureDataDir(dataDir);
    const live = await findLiveServer(dataDir);
    if (live) {
      await relayMcpStdio(live.url, live.credential);
      return 0;
    }
    const lock = await tryLockDataDir(dataDir);
    if (!lock) {
      throw new TalonError(
        "data_dir_locked",
        `another Talon process holds the data dir ${dataDir} without serving it; wait for it to finish or stop it`,
      );
    }
    const kernel = await bootKernel({
      dataDir,
      configPath: ctx.globals.config,
      lock,
      log: createLogger(level),
      ephemeral: true,
    });
    try {
      await serveMcpStdio(kernel, { role: "admin", actor: "local:mcp" });
    } finally {
      await kernel.close();
    }
    return 0;
  },
};
