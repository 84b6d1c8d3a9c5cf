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
export {
  type ExfiltrationFinding,
  ExfiltrationGuard,
  findExfiltration,
  type OutboundOrigin,
  type OutboundRequest,
} from "./exfiltration.ts";
export {
  describeTaint,
  TAINT_KINDS,
  type TaintKind,
  type TaintSource,
  type TaintView,
  TurnTaint,
} from "./taint.ts";
export { type QuarantineAudit, screenOutsideContent } from "./quarantine.ts";
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
export { assessPosture, isLoopback, type PostureContext, type PostureFacts } from "./posture.ts";
export {
  canonicalBytes,
  generateSigningKeyPair,
  keyIdOf,
  type PayloadSignature,
  type SigningKeyPair,
  signPayload,
  toBase64Url,
  verifyPayload,
} from "./signing.ts";
export { KeySealer, type KeySealerOptions } from "./key_sealing.ts";
export {
  AgentIdentity,
  type AgentIdentityDeps,
  type AgentMessageFields,
  agentMessagePayload,
  type AgentPublicKey,
  type MessageCheck,
} from "./agent_identity.ts";
export {
  type Admitted,
  ManifestGate,
  type ManifestGateDeps,
  manifestPayload,
  patchPayload,
  signManifestDocument,
} from "./manifest_signing.ts";
