/**
 * Booting a kernel over a data dir: config → data dir and lock → SQLite and
 * migrations → the {@link Kernel} and its subsystems → restore agents →
 * `kernel.started`; and applying migrations alone (`talon migrate`).
 *
 * @module
 */
import { MIGRATIONS } from "../migrations/mod.ts";
import { type ToolExecutor } from "./tools/mod.ts";
import { type ConfigFlags, denoEnv, type EnvReader, loadConfig } from "./config.ts";
import { DATA_FILES, type DataDirLock, dataPath, ensureDataDir, lockDataDir } from "./data_dir.ts";
import { type Clock } from "./clock.ts";
import { type FetchGuarded } from "./skills/mod.ts";
import { ProviderRegistry } from "./llm/mod.ts";
import { createLogger, type Logger } from "./log.ts";
import { type Resolver } from "./security/mod.ts";
import * as store from "./store/mod.ts";
import type { TalonConfig } from "./types.ts";
import { VERSION } from "./version.ts";

import { Kernel } from "./kernel.ts";
/** Options for {@link bootKernel}. */
export interface BootOptions {
  /** Data dir; created 0700 when missing. */
  dataDir: string;
  /** Explicit config file (`--config`). */
  configPath?: string;
  /** Command-line overrides. */
  flags?: ConfigFlags;
  /** Environment reader (tests inject one). */
  env?: EnvReader;
  /** Logger; one at the configured level on stderr otherwise. */
  log?: Logger;
  /** How long to wait for another process to release the data dir. */
  lockWaitMs?: number;
  /** A lock on the data dir the caller already holds (released on close). */
  lock?: DataDirLock;
  /** Tool executor for the agent loop instead of `kernel.tools` (tests). */
  tools?: ToolExecutor;
  /** DNS resolver of the SSRF guard (tests inject one); the system's otherwise. */
  resolver?: Resolver;
  /** Network access for skills' `net_fetch`, through the SSRF guard; none when unset. */
  fetchGuarded?: FetchGuarded;
  /**
   * A short-lived kernel for one CLI command: it publishes no
   * `kernel.started` and leaves Running agents Running when it closes, since
   * nothing was interrupted.
   */
  ephemeral?: boolean;
  /** Time and timers of the scheduler, approvals and budgets; the system clock otherwise. */
  clock?: Clock;
}

/** Boots a kernel over a data dir; throws a `TalonError` saying what to fix. */
export async function bootKernel(options: BootOptions): Promise<Kernel> {
  const env = options.env ?? denoEnv;
  let config: TalonConfig;
  try {
    config = await loadConfig({
      path: options.configPath,
      defaultPath: dataPath(options.dataDir, DATA_FILES.config),
      flags: options.flags,
      env,
    });
  } catch (error) {
    options.lock?.release();
    throw error;
  }
  const log = options.log ?? createLogger(config.log_level);
  if (!options.lock) await ensureDataDir(options.dataDir);
  const lock = options.lock ??
    await lockDataDir(options.dataDir, { waitMs: options.lockWaitMs });
  let db: store.Database | undefined;
  try {
    db = store.openDatabase(dataPath(options.dataDir, DATA_FILES.database));
    const report = store.migrate(db, MIGRATIONS);
    if (report.applied.length > 0) log.info("migrations applied", { ...report });
    const providers = new ProviderRegistry(config, env);
    const kernel = new Kernel({
      config,
      dataDir: options.dataDir,
      db,
      log,
      lock,
      providers,
      tools: options.tools,
      ephemeral: options.ephemeral,
      env,
      resolver: options.resolver,
      fetchGuarded: options.fetchGuarded,
      clock: options.clock,
    });
    await kernel.skills.preload();
    const restored = { ...kernel.agents.restore(), expired: kernel.approvals.expireStale() };
    const interruptedRuns = kernel.schedules.recover();
    kernel.pruneEvents();
    if (!kernel.ephemeral) {
      const counts = store.countAgentsByState(db);
      kernel.bus.publish("kernel.started", {
        version: VERSION,
        agents: counts.running + counts.paused + counts.created,
      });
    }
    // Only the lock holder that serves fires schedules; CLI kernels manage rows.
    if (!kernel.ephemeral) {
      kernel.schedules.start();
      kernel.hands.start();
      kernel.startMemoryDecay();
    }
    log.debug("kernel started", { data_dir: options.dataDir, ...restored, interruptedRuns });
    return kernel;
  } catch (error) {
    db?.close();
    lock.release();
    throw error;
  }
}

/**
 * Applies pending migrations to a data dir's database without booting the
 * rest of the kernel (`talon migrate`). Waits briefly for the lock.
 */
export async function migrateDataDir(
  dataDir: string,
  options: { lockWaitMs?: number } = {},
): Promise<store.MigrationReport> {
  await ensureDataDir(dataDir);
  const lock = await lockDataDir(dataDir, { waitMs: options.lockWaitMs });
  let db: store.Database | undefined;
  try {
    db = store.openDatabase(dataPath(dataDir, DATA_FILES.database));
    return store.migrate(db, MIGRATIONS);
  } finally {
    db?.close();
    lock.release();
  }
}
