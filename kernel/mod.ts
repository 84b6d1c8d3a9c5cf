/**
 * The kernel's public surface for routes, the CLI and tests.
 *
 * @module
 */
export { bootKernel, type BootOptions, migrateDataDir } from "./boot.ts";
export { Kernel } from "./kernel.ts";
export {
  type BackupCheck,
  type BackupSnapshot,
  checkBackup,
  restoreDatabase,
  type RestoreReport,
  writeBackupFile,
} from "./backup.ts";
export { type FieldErrors, isTalonError, TalonError, type TalonErrorCode } from "./errors.ts";
export { type ConfigFlags, denoEnv, type EnvReader, loadConfig } from "./config.ts";
export { DEFAULT_MAX_CAPABILITIES, LogLevel, type RateLimitConfig, TalonConfig } from "./types.ts";
export {
  DATA_FILES,
  type DataDirLock,
  dataPath,
  ensureDataDir,
  findLiveServer,
  lockDataDir,
  readServerInfo,
  removeServerInfo,
  ServerInfo,
  tryLockDataDir,
  writeServerInfo,
} from "./data_dir.ts";
export {
  type ManifestFormat,
  manifestFormatOf,
  type ParseManifestOptions,
  parseManifestText,
} from "./manifest_text.ts";
export { createLogger, type Logger, type LogSink } from "./log.ts";
export { VERSION } from "./version.ts";
export { type Clock, type ClockTimer, systemClock } from "./clock.ts";
export type { EphemeralTurn, TurnHandle } from "./agent/mod.ts";
export {
  type A2aCaller,
  assertCompleted,
  cardUrlOf,
  chunkOf,
  type CompletionMeta,
  completionOf,
  conversationOf,
  handleA2aRequest,
  handleMcpRequest,
  type McpCaller,
  modelListOf,
  offeredAgentCard,
  relayMcpStdio,
  serveMcpStdio,
  talonAgentCard,
} from "./protocols/mod.ts";
export {
  APPROVALS_UNAVAILABLE,
  type AuditSink,
  defineTool,
  type Tool,
  type ToolOutcome,
  ToolRegistry,
  type ToolRisk,
  type ToolRunContext,
  type ToolSpec,
} from "./tools/mod.ts";
export {
  AUDIT_ACTIONS,
  type AuditAction,
  AuditChain,
  type AuditEntry,
  type AuditRecord,
  generateSigningKeyPair,
  isLoopback,
  type PayloadSignature,
  randomCredential,
  sha256Hex,
  signManifestDocument,
  signPayload,
  toBase64Url,
  type TokenView,
  verifyPayload,
} from "./security/mod.ts";
