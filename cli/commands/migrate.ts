/**
 * `talon migrate`: bring the database schema up to date.
 *
 * @module
 */
import { findLiveServer, migrateDataDir } from "../../kernel/mod.ts";
import { HttpClient } from "../http_client.ts";
import { resolveDataDir } from "../connect.ts";
import { json } from "../format.ts";
import type { Command } from "./command.ts";

/** The migrate command. */
export const migrateCommand: Command = {
  words: ["migrate"],
  summary: "Apply pending database migrations",
  args: [],
  options: { json: { type: "boolean", help: "print JSON" } },
  run: async (ctx) => {
    const dataDir = resolveDataDir(ctx.globals);
    const live = await findLiveServer(dataDir);
    if (live) {
      const status = await new HttpClient(live.url, live.credential).status();
      const report = { from: status.schema_version, to: status.schema_version, applied: [] };
      ctx.io.out(
        ctx.globals.json
          ? json(report)
          : `Schema is at version ${status.schema_version}; the running server migrated it when it started.\n`,
      );
      return 0;
    }
    const report = await migrateDataDir(dataDir, { lockWaitMs: 10_000 });
    ctx.io.out(
      ctx.globals.json
        ? json(report)
        : report.applied.length
        ? `Migrated schema from version ${report.from} to ${report.to}: ${
          report.applied.join(", ")
        }.\n`
        : `Schema is up to date (version ${report.to}).\n`,
    );
    return 0;
  },
};
