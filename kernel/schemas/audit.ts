/**
 * The hash-chained audit log: actions, entries, verification and listing.
 *
 * @module
 */
import { z } from "zod";
import { AUDIT_ACTIONS } from "../vocabulary.ts";
import { PageQuery } from "./common.ts";

export { AUDIT_ACTIONS };
/** One audit action. */
export const AuditAction = z.enum(AUDIT_ACTIONS);
/** An audit action name. */
export type AuditAction = z.infer<typeof AuditAction>;

/** One entry of the hash-chained audit log, `detail` already redacted. */
export const AuditEntryView = z.object({
  id: z.number().int().positive(),
  ts: z.string(),
  action: z.string(),
  actor: z.string(),
  agent_id: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()),
  /** SHA-256 (hex) of the previous entry; 64 zeros for the first. */
  prev_hash: z.string(),
  /** SHA-256 (hex) of this entry's RFC 8785 canonical JSON (without `hash`). */
  hash: z.string(),
});
/** An audit entry. */
export type AuditEntryView = z.infer<typeof AuditEntryView>;

/** `POST /api/audit/verify`: whether the chain is intact, and where it breaks. */
export const AuditVerification = z.object({
  ok: z.boolean(),
  /** Entries in the log. */
  entries: z.number().int().nonnegative(),
  /** The newest entry; note its hash elsewhere to detect a truncated tail later. */
  head: z.object({ id: z.number().int(), hash: z.string() }).nullable(),
  /** The first entry that does not verify, and why. */
  first_broken: z.object({ id: z.number().int(), reason: z.string() }).optional(),
  /** The anchors checked against the chain (absent when none were given). */
  anchors: z.object({
    checked: z.number().int().nonnegative(),
    /** The newest anchored head. */
    newest: z.object({ id: z.number().int(), hash: z.string() }).nullable(),
  }).optional(),
});
/** An audit verification result. */
export type AuditVerification = z.infer<typeof AuditVerification>;

/** Query of `GET /api/audit`: newest first, paged by an entry id. */
export const AuditListQuery = PageQuery.extend({
  before: z.coerce.number().int().positive().optional(),
  /** An agent id, or the name of an agent still on record. */
  agent_id: z.string().min(1).max(100).optional(),
  action: AuditAction.optional(),
});
/** Audit list options. */
export type AuditListQuery = z.infer<typeof AuditListQuery>;

/** `GET /api/audit/recent` response; `next_before` pages on when more entries exist. */
export const AuditList = z.object({
  entries: z.array(AuditEntryView),
  next_before: z.number().int().nullable(),
});
/** A page of audit entries. */
export type AuditList = z.infer<typeof AuditList>;
