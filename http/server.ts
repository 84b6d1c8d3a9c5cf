/**
 * Serves the app with `Deno.serve` on a host and port (port 0 picks a free
 * one) and stops gracefully.
 *
 * @module
 */
import type { Kernel } from "../kernel/mod.ts";
import { createApp } from "./app.ts";
import { loadAssets } from "./assets.ts";
import { errorBody } from "./errors.ts";

/** A listening server. */
export interface RunningServer {
  /** Base URL, e.g. `http://127.0.0.1:4200`. */
  url: string;
  host: string;
  port: number;
  /** Stops accepting connections and waits for open ones up to `timeoutMs`. */
  shutdown(timeoutMs?: number): Promise<void>;
  /** Resolves when the server has stopped. */
  finished: Promise<void>;
}

/** Starts serving `kernel` over HTTP (pages with client bundles when they are built). */
export async function startServer(
  kernel: Kernel,
  options: { host: string; port: number; localCredential?: string },
): Promise<RunningServer> {
  const assets = await loadAssets((message) => kernel.log.warn(message));
  const app = createApp(kernel, { localCredential: options.localCredential, assets });
  return new Promise((resolve, reject) => {
    try {
      const server = Deno.serve({
        hostname: options.host,
        port: options.port,
        onListen: () => {},
        onError: (error) => {
          kernel.log.error("server error", { error });
          return new Response(
            JSON.stringify(errorBody("internal", "internal error")),
            { status: 500, headers: { "content-type": "application/json" } },
          );
        },
      }, (request, info) => app.fetch(request, { remoteAddr: info.remoteAddr }));
      const addr = server.addr as Deno.NetAddr;
      const host = addr.hostname.includes(":") ? `[${addr.hostname}]` : addr.hostname;
      resolve({
        url: `http://${host}:${addr.port}`,
        host: addr.hostname,
        port: addr.port,
        finished: server.finished,
        async shutdown(timeoutMs = 5000) {
          let timer: ReturnType<typeof setTimeout> | undefined;
          const graceful = server.shutdown();
          const expired = new Promise<"expired">((r) => {
            timer = setTimeout(() => r("expired"), timeoutMs);
          });
          const outcome = await Promise.race([graceful, expired]);
          clearTimeout(timer);
          if (outcome === "expired") {
            kernel.log.warn("connections still open at shutdown; closing them");
          }
        },
      });
    } catch (error) {
      reject(error);
    }
  });
}
