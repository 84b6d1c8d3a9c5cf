/**
 * `talon serve`: boot the kernel, serve HTTP, publish `server.json` for local
 * CLI commands, and shut down gracefully on SIGINT/SIGTERM.
 *
 * @module
 */
import { type RunningServer, startServer } from "../../http/server.ts";
import {
  bootKernel,
  findLiveServer,
  isLoopback,
  type Kernel,
  randomCredential,
  removeServerInfo,
  type ServerInfo,
  TalonError,
  VERSION,
  writeServerInfo,
} from "../../kernel/mod.ts";
import { cliLogLevel, resolveDataDir } from "../connect.ts";
import { UsageError } from "../io.ts";
import type { Command, CommandContext } from "./command.ts";

function parsePort(raw: unknown): number | undefined {
  if (raw === undefined) return undefined;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(`--port must be an integer from 0 to 65535; got "${raw}"`);
  }
  return port;
}

/**
 * Whether this is a first run that gets an admin token (none exists yet);
 * refuses a first run bound beyond loopback.
 */
function isFirstRun(kernel: Kernel, host: string, dataDir: string): boolean {
  if (kernel.tokens.activeCount() > 0) return false;
  if (!isLoopback(host)) {
    throw new TalonError(
      "invalid_config",
      `refusing to listen on ${host} with no API token; create one first with \`talon token create --role admin --data-dir ${dataDir}\`, or bind to 127.0.0.1`,
    );
  }
  return true;
}

function banner(
  kernel: Kernel,
  url: string,
  dataDir: string,
  token: string | undefined,
): string {
  const lines = [`Talon ${VERSION} serving on ${url}`, `Data dir: ${dataDir}`];
  if (token) {
    lines.push(
      `First run: open ${url}/login#token=${token} to log in.`,
      "Admin token (shown only now; store it somewhere safe):",
      token,
    );
  }
  const provider = kernel.providers.defaultProvider;
  lines.push(
    provider.kind === "offline"
      ? "LLM: offline driver (no API key set). Set OPENAI_API_KEY or ANTHROPIC_API_KEY and restart to use a real model."
      : `LLM: default provider ${provider.name} (${provider.default_model}).`,
    "Press Ctrl+C to stop.",
  );
  return lines.join("\n") + "\n";
}

/** What `server.json` says about a server of this process. */
export function serverInfo(kernel: Kernel, server: RunningServer, credential: string): ServerInfo {
  return {
    pid: Deno.pid,
    host: server.host,
    port: server.port,
    url: server.url,
    credential,
    started_at: kernel.startedAt,
    version: VERSION,
  };
}

async function serve(ctx: CommandContext): Promise<number> {
  const dataDir = resolveDataDir(ctx.globals);
  const port = parsePort(ctx.values.port);
  const live = await findLiveServer(dataDir);
  if (live) {
    throw new TalonError("data_dir_locked", `Talon is already serving ${dataDir} at ${live.url}`);
  }
  const kernel = await bootKernel({
    dataDir,
    configPath: ctx.globals.config,
    flags: {
      host: ctx.values.host as string | undefined,
      port,
      logLevel: ctx.globals.logLevel,
    },
  });
  const { host } = kernel.config.server;
  let server;
  let token: string | undefined;
  const credential = randomCredential();
  try {
    const firstRun = isFirstRun(kernel, host, dataDir);
    server = await startServer(kernel, {
      host,
      port: kernel.config.server.port,
      localCredential: credential,
    });
    // Minted once listening (scrypt loads node:crypto): the banner still waits for it.
    if (firstRun) {
      token = (await kernel.tokens.create({ role: "admin", name: "first-run", actor: "system" }))
        .token;
    }
  } catch (error) {
    await server?.shutdown(1000);
    await kernel.close("failed to start");
    if (error instanceof Deno.errors.AddrInUse) {
      throw new TalonError(
        "invalid_config",
        `port ${kernel.config.server.port} on ${host} is already in use; pass --port <n> (0 picks a free one)`,
        { cause: error },
      );
    }
    throw error;
  }
  const stopped = new Promise<string>((resolve) => {
    for (const sig of ["SIGINT", "SIGTERM"] as const) {
      Deno.addSignalListener(sig, () => resolve(sig));
    }
    server.finished.then(() => resolve("server stopped"));
  });
  await writeServerInfo(dataDir, serverInfo(kernel, server, credential));
  ctx.io.out(banner(kernel, server.url, dataDir, token));
  kernel.log.info("serving", { url: server.url, data_dir: dataDir });

  const signal = await stopped;
  const hardStop = setTimeout(() => {
    kernel.log.error("shutdown took too long; exiting");
    Deno.exit(1);
  }, kernel.config.shutdown.timeout_ms + 5_000);
  Deno.unrefTimer(hardStop);
  kernel.log.info("shutting down", { signal });
  await removeServerInfo(dataDir);
  const closing = server.shutdown(kernel.config.shutdown.timeout_ms);
  await kernel.close(signal);
  await closing;
  clearTimeout(hardStop);
  ctx.io.out("Talon stopped.\n");
  return 0;
}

/** The serve command (also what `talon` alone runs). */
export const serveCommand: Command = {
  words: ["serve"],
  summary: "Serve the dashboard, API and kernel (the default command)",
  args: [],
  options: {
    host: { type: "string", value: "<host>", help: "address to bind (default 127.0.0.1)" },
    port: { type: "string", value: "<port>", help: "port (default 4200; 0 picks a free one)" },
  },
  notes: [
    "On the first start bound to loopback, an admin token is created and a one-time login link printed.",
    "Bound to any other address, an API token must exist first (talon token create).",
  ],
  run: (ctx) => {
    cliLogLevel(ctx.globals);
    return serve(ctx);
  },
};
