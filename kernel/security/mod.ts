/**
 * Security primitives: capabilities, secret redaction, API tokens and the
 * dashboard sessions they log in, the audit chain.
 *
 * @module
 */
export { capabilityCovers, missingCapabilities } from "./capabilities.ts";
export {
  INJECTION_FAMILIES,
  type InjectionFamily,
  type InjectionFinding,
  normalizeForScan,
  quarantine,
  scanForInjection,
} from "./injection_scan.ts";
export { REDACTED, redactSecrets, redactText } from "./redact.ts";
export { sha256Hex } from "./sha256.ts";
export {
  configuredSecrets,
  MIN_SECRET_CHARS,
  SecretSet,
  type SecretSources,
  StreamRedactor,
} from "./secret_set.ts";
export {
  constantTimeEqual,
  type MintedToken,
  mintToken,
  parseToken,
  randomCredential,
  verifyTokenSecret,
} from "./tokens.ts";
export { type TokenPrincipal, TokenService, type TokenView } from "./token_service.ts";
export {
  type NewWebSession,
  type WebSession,
  type WebSessionOptions,
  WebSessionService,
} from "./web_sessions.ts";
export { type AuditAnchor, AuditAnchors, type AuditAnchorsOptions } from "./audit_anchors.ts";
export {
  type AnchoredHead,
  AUDIT_ACTIONS,
  AUDIT_DETAIL_MAX_CHARS,
  type AuditAction,
  AuditChain,
  type AuditEntry,
  auditEntryHash,
  type AuditRecord,
  GENESIS_HASH,
} from "./audit.ts";
export {
  effectivePort,
  type GuardedRequest,
  type GuardedResponse,
  isTextual,
  type Resolver,
  SsrfGuard,
  type SsrfGuardOptions,
  systemResolver,
} from "./ssrf_guard.ts";
