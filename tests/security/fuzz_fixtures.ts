/**
 * Shared parts of the fuzz pass (`fuzz_*_test.ts`): the fixed seed, a
 * snapshot of every table's row count plus the audit head (what a rejection
 * must leave unchanged), a watch on unhandled rejections, and generators of
 * hostile values and mutated texts.
 *
 * @module
 */
import fc from "fast-check";
import type { Kernel } from "../../kernel/mod.ts";

/** One seed for every run, so a failure replays exactly. */
export const SEED = 20261130;

/** Row counts of every table and the audit head: what a refused input must not change. */
export interface DbSnapshot {
  counts: Record<string, number>;
  auditHead: string | null;
}

/** Every table's row count (FTS shadow tables included) and the audit chain's head hash. */
export function snapshot(kernel: Kernel): DbSnapshot {
  const tables = kernel.db.prepare(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
  ).all() as { name: string }[];
  const counts: Record<string, number> = {};
  for (const { name } of tables) {
    const row = kernel.db.prepare(`SELECT count(*) AS n FROM "${name}"`).get() as { n: number };
    counts[name] = row.n;
  }
  const head = kernel.db.prepare("SELECT hash FROM audit_entries ORDER BY id DESC LIMIT 1")
    .get() as { hash: string } | undefined;
  return { counts, auditHead: head?.hash ?? null };
}

/** Records unhandled promise rejections while `fn` runs; returns them. */
export async function watchRejections(fn: () => Promise<void>): Promise<unknown[]> {
  const seen: unknown[] = [];
  const onRejection = (e: PromiseRejectionEvent) => {
    seen.push(e.reason);
    e.preventDefault();
  };
  globalThis.addEventListener("unhandledrejection", onRejection);
  try {
    await fn();
  } finally {
    globalThis.removeEventListener("unhandledrejection", onRejection);
  }
  return seen;
}

/** Strings that break naive code: huge, control characters, prototype keys, lookalikes. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 20 }),
  fc.constantFrom(
    "",
    " ",
    "__proto__",
    "constructor",
    "prototype",
    "../../etc/passwd",
    "\u0000",
    "\u202e\u200b",
    "ｉｇｎｏｒｅ",
    "<script>alert(1)</script>",
    "'; DROP TABLE agents; --",
    "%00",
    "*",
    "net_connect:*",
    "shell_exec",
    "x".repeat(70_000),
    "9".repeat(400),
    "NaN",
    "-1",
    "1e309",
    "2099-13-45T99:99:99Z",
    "* * * * * * *",
  ),
);

/** Field names used across Talon's wire shapes, so objects reach deep validation. */
const KEYS = [
  "name",
  "text",
  "description",
  "capabilities",
  "tools",
  "model",
  "system_prompt",
  "label",
  "role",
  "cron",
  "every",
  "at",
  "tz",
  "message",
  "agent",
  "settings",
  "usd_per_day",
  "usd_per_run",
  "key",
  "scope",
  "confidence",
  "transport",
  "command",
  "url",
  "args",
  "env",
  "headers_env",
  "timeout_s",
  "jsonrpc",
  "method",
  "params",
  "id",
  "messages",
  "stream",
  "content",
  "token",
  "enabled",
  "resources",
  "require_approval",
  "max_cost_usd_per_day",
  "__proto__",
  "constructor",
];

/** JSON values with Talon's field names at every level. */
export const wireValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    hostileString,
    fc.integer(),
    fc.double({ noNaN: true }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie("value"), { maxLength: 5 }),
    fc.dictionary(fc.constantFrom(...KEYS), tie("value"), { maxKeys: 6 }),
  ),
})).value;

/** A request body as text: JSON of a wire-like value, any JSON, or not JSON at all. */
export const bodyText: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: wireValue.map((v) => JSON.stringify(v) ?? "null"), weight: 6 },
  { arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)), weight: 2 },
  { arbitrary: fc.string({ maxLength: 200 }), weight: 2 },
  {
    arbitrary: fc.constantFrom("{", "[]", '{"a":', "null", "\u0000", '{"__proto__":{"x":1}}'),
    weight: 1,
  },
);

/** Edits of a real text: lines deleted, duplicated or swapped, bytes replaced, cut short. */
export function mutatedText(original: string): fc.Arbitrary<string> {
  const lines = original.split("\n");
  const edit = fc.oneof(
    fc.record({ op: fc.constant("delete" as const), at: fc.nat(lines.length - 1) }),
    fc.record({ op: fc.constant("duplicate" as const), at: fc.nat(lines.length - 1) }),
    fc.record({
      op: fc.constant("replace" as const),
      at: fc.nat(lines.length - 1),
      text: hostileString,
    }),
    fc.record({
      op: fc.constant("splice" as const),
      at: fc.nat(original.length),
      text: fc.string({ maxLength: 20 }),
    }),
    fc.record({ op: fc.constant("cut" as const), at: fc.nat(original.length) }),
  );
  return fc.array(edit, { minLength: 1, maxLength: 4 }).map((edits) => {
    let current = lines.slice();
    for (const e of edits) {
      const at = Math.min(e.at, Math.max(current.length - 1, 0));
      if (e.op === "delete") current.splice(at, 1);
      else if (e.op === "duplicate") current.splice(at, 0, current[at] ?? "");
      else if (e.op === "replace") current[at] = e.text;
      else {
        const joined = current.join("\n");
        const pos = Math.min(e.at, joined.length);
        current = (e.op === "cut" ? joined.slice(0, pos) : joined.slice(0, pos) + e.text +
          joined.slice(pos)).split("\n");
      }
    }
    return current.join("\n");
  });
}

/**
 * Waits until no turn is queued or running, flushes coalesced token events,
 * and lets agents' background key pairs land: after an accepted input, so
 * the next comparison sees only what the next input does.
 */
export async function settle(kernel: Kernel): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const open = kernel.db.prepare(
      "SELECT count(*) AS n FROM turns WHERE status IN ('queued', 'running')",
    ).get() as { n: number };
    if (open.n === 0) break;
    await new Promise((r) => setTimeout(r, 25));
  }
  kernel.bus.flush();
  await kernel.identity.identity.settle();
}
