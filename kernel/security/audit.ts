/**
 * The hash-chained audit log over `audit_entries`.
 *
 * Each entry stores `prev_hash`, the `hash` of the entry before it (64 zeros
 * for the first), and its own `hash`: the SHA-256 (hex) of the RFC 8785
 * canonical JSON of `{ id, ts, action, actor, agent_id, detail, prev_hash }`.
 * `detail` is redacted ({@link redactSecrets}) before it is hashed or stored,
 * so secrets never reach the log. Appends read the last entry and insert the
 * next one inside `BEGIN IMMEDIATE`, so two writers — two connections, two
 * processes — cannot both extend the same entry and fork the chain; ids are
 * assigned by the chain (last id + 1), so a gap means a removed entry.
 *
 * {@link AuditChain.verify} walks the log in id order and reports the first
 * entry whose contents do not match its hash (edited), whose `prev_hash` does
 * not match the entry before it (reordered or replaced), or whose id does not
 * follow the previous one (removed).
 *
 * What the chain cannot detect on its own: **truncating the tail** (deleting
 * the newest entries) leaves a shorter chain that is still valid, and so does
 * rewriting every entry from some point on with freshly computed hashes.
 * Both are caught by anchors (audit_anchors.ts): the head is appended to a
 * file periodically and at shutdown (and optionally POSTed elsewhere), and
 * {@link AuditChain.verifyInSteps} checks every anchored entry is still there
 * with the same hash. It walks the log in batches, yielding between them, so
 * a large log never blocks the server.
 *
 * `detail` is capped at {@link AUDIT_DETAIL_MAX_CHARS} of canonical JSON; a
 * larger one is stored as a marked preview.
 *
 * @module
 */
import { sha256Hex } from "./sha256.ts";
import canonicalize from "canonicalize";
import { isTalonError, TalonError } from "../errors.ts";
import * as store from "../store/mod.ts";
import {
  AUDIT_ACTIONS,
  type AuditAction,
  type AuditEntryView,
  type AuditList,
  AuditListQuery,
  type AuditVerification,
  describeIssues,
} from "../types.ts";
import { redactSecrets } from "./redact.ts";
import type { SecretSet } from "./secret_set.ts";

export { AUDIT_ACTIONS, type AuditAction };

/** An entry of the chain, `detail` parsed. */
export type AuditEntry = AuditEntryView;

/** What a caller records; the chain adds id, time and hashes. */
export interface AuditRecord {
  action: AuditAction;
  /** Who acted: `local`, a token id, `agent:<id>`, `kernel`, … */
  actor: string;
  /** The agent the entry is about, if any. */
  agent_id?: string | null;
  /** Structured detail; secrets are redacted before hashing. */
  detail?: Record<string, unknown>;
}

/** Largest `detail` stored whole (canonical JSON characters). */
export const AUDIT_DETAIL_MAX_CHARS = 16_384;
const DETAIL_PREVIEW_CHARS = 2_000;

/** A head recorded outside the chain (see audit_anchors.ts). */
export interface AnchoredHead {
  id: number;
  hash: string;
}

/** `prev_hash` of the first entry. */
export const GENESIS_HASH: string = "0".repeat(64);

/**
 * {@link auditEntryHash} of an entry whose `detail` is already canonical JSON
 * (`detailText`): the same canonical text (keys in JCS order), built without
 * serialising the detail again.
 */
function auditEntryHashOf(
  entry: Omit<AuditEntry, "hash" | "detail">,
  detailText: string,
): string {
  const c = (value: string | number | null): string => canonicalize(value)!;
  const canonical = `{"action":${c(entry.action)},"actor":${c(entry.actor)},"agent_id":${
    c(entry.agent_id)
  },"detail":${detailText},"id":${c(entry.id)},"prev_hash":${c(entry.prev_hash)},"ts":${
    c(entry.ts)
  }}`;
  return sha256Hex(canonical);
}

/** The SHA-256 (hex) of an entry's canonical JSON, `hash` itself excluded. */
export function auditEntryHash(entry: Omit<AuditEntry, "hash">): string {
  const canonical = canonicalize({
    id: entry.id,
    ts: entry.ts,
    action: entry.action,
    actor: entry.actor,
    agent_id: entry.agent_id,
    detail: entry.detail,
    prev_hash: entry.prev_hash,
  })!;
  return sha256Hex(canonical);
}

/** The audit log: append, verify, list. */
export class AuditChain {
  readonly #db: store.Database;
  readonly #secrets: SecretSet | undefined;

  /** `secrets`: configured secret values, redacted from every detail too (key shapes always are). */
  constructor(db: store.Database, options: { secrets?: SecretSet } = {}) {
    this.#db = db;
    this.#secrets = options.secrets;
  }

  /**
   * Appends an entry after the current last one, inside `BEGIN IMMEDIATE`
   * (or the caller's open transaction, which it joins). An unknown action or
   * an empty actor is a programming error (`TypeError`).
   */
  append(record: AuditRecord): AuditEntry {
    if (!(AUDIT_ACTIONS as readonly string[]).includes(record.action)) {
      throw new TypeError(
        `unknown audit action "${record.action}"; add it to AUDIT_ACTIONS in kernel/types.ts`,
      );
    }
    if (typeof record.actor !== "string" || record.actor.length === 0) {
      throw new TypeError("an audit entry needs a non-empty actor");
    }
    const plain = plainDetail(record.detail ?? {});
    const { detail, text: detailText } = cappedDetail(
      this.#secrets ? this.#secrets.redactValue(plain) : plain,
    );
    const db = this.#db;
    return store.transaction(db, () => {
      const last = store.lastAuditEntry(db);
      const unsigned = {
        id: (last?.id ?? 0) + 1,
        ts: store.nowIso(),
        action: record.action,
        actor: record.actor,
        agent_id: record.agent_id ?? null,
        detail,
        prev_hash: last?.hash ?? GENESIS_HASH,
      };
      const entry = { ...unsigned, hash: auditEntryHashOf(unsigned, detailText) };
      store.insertAuditEntry(db, { ...entry, detail: detailText });
      return entry;
    });
  }

  /**
   * Walks the log in id order (one row in memory at a time, in one read
   * snapshot) and reports the first broken link. See the module doc for what
   * a valid chain does not prove.
   */
  verify(): AuditVerification {
    const db = this.#db;
    return readSnapshot(db, () => {
      let prev: store.AuditRow | undefined;
      let entries = 0;
      for (const row of store.iterateAuditEntries(db)) {
        const reason = brokenLink(row, prev);
        if (reason !== undefined) {
          return {
            ok: false,
            entries: store.countAuditEntries(db),
            head: headOf(store.lastAuditEntry(db)),
            first_broken: { id: row.id, reason },
          };
        }
        entries++;
        prev = row;
      }
      return { ok: true, entries, head: headOf(prev) };
    });
  }

  /**
   * Verifies the chain in batches of `batch` entries, yielding to the event
   * loop between them, then checks `anchors`: an anchored entry that is gone
   * means the tail was truncated, one with another hash that it was
   * rewritten. Entries appended while it runs are left for the next run.
   */
  async verifyInSteps(
    options: { batch?: number; anchors?: readonly AnchoredHead[] } = {},
  ): Promise<AuditVerification> {
    const db = this.#db;
    const batch = options.batch ?? 2_000;
    const upToId = store.lastAuditEntry(db)?.id ?? 0;
    let prev: store.AuditRow | undefined;
    let entries = 0;
    let broken: AuditVerification["first_broken"];
    for (let afterId = 0; broken === undefined;) {
      const rows = store.auditEntriesBetween(db, { afterId, upToId, limit: batch });
      if (rows.length === 0) break;
      for (const row of rows) {
        const reason = brokenLink(row, prev);
        if (reason !== undefined) {
          broken = { id: row.id, reason };
          break;
        }
        entries++;
        prev = row;
      }
      afterId = rows.at(-1)!.id;
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    const head = headOf(store.lastAuditEntry(db));
    const result: AuditVerification = broken
      ? { ok: false, entries: store.countAuditEntries(db), head, first_broken: broken }
      : { ok: true, entries, head };
    if (options.anchors === undefined) return result;
    const anchors = options.anchors;
    const newest = anchors.reduce<AnchoredHead | null>(
      (best, a) => (best === null || a.id > best.id ? a : best),
      null,
    );
    result.anchors = {
      checked: anchors.length,
      newest: newest ? { id: newest.id, hash: newest.hash } : null,
    };
    const anchorBroken = this.#checkAnchors(anchors, upToId);
    if (anchorBroken && (!result.first_broken || anchorBroken.id < result.first_broken.id)) {
      result.ok = false;
      result.first_broken = anchorBroken;
    }
    return result;
  }

  #checkAnchors(
    anchors: readonly AnchoredHead[],
    upToId: number,
  ): AuditVerification["first_broken"] {
    const sorted = [...anchors].sort((a, b) => a.id - b.id);
    for (const anchor of sorted) {
      if (anchor.id > upToId) {
        return {
          id: anchor.id,
          reason: `truncated: entry ${anchor.id} was anchored but the log ends at ${upToId}`,
        };
      }
      const row = store.auditEntryById(this.#db, anchor.id);
      if (!row) {
        return { id: anchor.id, reason: `truncated: anchored entry ${anchor.id} is missing` };
      }
      if (row.hash !== anchor.hash) {
        return {
          id: anchor.id,
          reason: `rewritten: entry ${anchor.id} no longer has its anchored hash`,
        };
      }
    }
    return undefined;
  }

  /**
   * Entries newest first. `agent` is an agent id, or the name of an agent
   * still on record; `before` is an entry id. Bad options are `invalid_input`.
   */
  list(options: Partial<AuditListQuery> = {}): AuditList {
    const parsed = AuditListQuery.safeParse(options);
    if (!parsed.success) {
      throw new TalonError(
        "invalid_input",
        `invalid audit query: ${describeIssues(parsed.error)}`,
        { cause: parsed.error },
      );
    }
    const query = parsed.data;
    const rows = store.listAuditEntries(this.#db, {
      limit: query.limit + 1,
      before: query.before,
      agentId: query.agent_id === undefined ? undefined : this.#agentId(query.agent_id),
      action: query.action,
    });
    const page = rows.slice(0, query.limit);
    return {
      entries: page.map(toEntry),
      next_before: rows.length > query.limit ? page.at(-1)!.id : null,
    };
  }

  #agentId(ref: string): string {
    try {
      return store.findAgent(this.#db, ref).id;
    } catch (error) {
      // An agent purged since: its entries keep its id.
      if (isTalonError(error, "not_found")) return ref;
      throw error;
    }
  }
}

/** Why `row` does not follow `prev` (undefined for the first row), or undefined when it does. */
function brokenLink(row: store.AuditRow, prev: store.AuditRow | undefined): string | undefined {
  const expectedId = (prev?.id ?? 0) + 1;
  if (row.id < expectedId) return `entry ${row.id}: id out of sequence (expected ${expectedId})`;
  if (row.id > expectedId) {
    const missing = row.id - 1 === expectedId
      ? `entry ${expectedId} is missing`
      : `entries ${expectedId}–${row.id - 1} are missing`;
    return prev
      ? `entry ${row.id} follows ${prev.id}: ${missing}`
      : `entry ${row.id} is the first entry: ${missing}`;
  }
  if (!prev && row.prev_hash !== GENESIS_HASH) {
    return `entry ${row.id}: prev_hash is not the genesis hash (edited?)`;
  }
  if (prev && row.prev_hash !== prev.hash) {
    return `entry ${row.id}: prev_hash does not match entry ${prev.id} (reordered or removed?)`;
  }
  let detail: unknown;
  try {
    detail = JSON.parse(row.detail);
  } catch {
    return `entry ${row.id}: detail is not valid JSON (edited?)`;
  }
  if (!isRecord(detail)) return `entry ${row.id}: detail is not a JSON object (edited?)`;
  if (auditEntryHash({ ...row, detail }) !== row.hash) {
    return `entry ${row.id}: hash does not match its contents (edited?)`;
  }
  return undefined;
}

/** `detail` itself, or a marked preview when its JSON is over the cap. */
function cappedDetail(
  detail: Record<string, unknown>,
): { detail: Record<string, unknown>; text: string } {
  const text = canonicalize(detail)!;
  if (text.length <= AUDIT_DETAIL_MAX_CHARS) return { detail, text };
  const capped = {
    truncated: true,
    original_chars: text.length,
    preview: text.slice(0, DETAIL_PREVIEW_CHARS),
  };
  return { detail: capped, text: canonicalize(capped)! };
}

function headOf(row: store.AuditRow | undefined): AuditVerification["head"] {
  return row ? { id: row.id, hash: row.hash } : null;
}

function toEntry(row: store.AuditRow): AuditEntry {
  let detail: unknown;
  try {
    detail = JSON.parse(row.detail);
  } catch {
    detail = undefined;
  }
  return {
    id: row.id,
    ts: row.ts,
    action: row.action,
    actor: row.actor,
    agent_id: row.agent_id,
    detail: isRecord(detail) ? detail : { invalid_detail: row.detail },
    prev_hash: row.prev_hash,
    hash: row.hash,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** JSON.stringify replacer keeping what plain JSON would lose or refuse. */
function jsonSafe(_key: string, value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Error) return { name: value.name, message: value.message };
  return value;
}

/**
 * `detail` as plain, redacted JSON data: exactly what is stored, so hashing
 * it now and re-hashing the stored text later agree (undefined dropped, NaN
 * → null, Dates → ISO strings, cycles cut).
 */
function plainDetail(detail: Record<string, unknown>): Record<string, unknown> {
  let plain: unknown;
  try {
    plain = JSON.parse(JSON.stringify(detail, jsonSafe));
  } catch {
    plain = detail; // a cycle: redactSecrets cuts it
  }
  const redacted = JSON.parse(JSON.stringify(redactSecrets(plain), jsonSafe) ?? "null");
  if (!isRecord(redacted)) throw new TypeError("audit detail must be a plain object");
  return redacted;
}

/** Runs `fn` in one read snapshot (a deferred transaction), unless one is open already. */
function readSnapshot<T>(db: store.Database, fn: () => T): T {
  if (db.isTransaction) return fn();
  db.exec("BEGIN");
  try {
    return fn();
  } finally {
    db.exec("COMMIT");
  }
}
