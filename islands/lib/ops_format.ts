/**
 * Wording for the operations pages (overview, usage, audit, settings,
 * skills), shared by their server components and islands so a row reads
 * the same before and after hydration. Browser-safe.
 *
 * @module
 */
import { formatUsd } from "../../kernel/format.ts";
import type { TalonEventWire } from "../../kernel/types.ts";
import { EVENT_TYPES, type EventType } from "../../kernel/vocabulary.ts";

/** Event types the overview feed shows: every persisted type but token deltas. */
export const FEED_TYPES: EventType[] = EVENT_TYPES.filter((t) => t !== "token");

/** How many events the feed keeps. */
export const FEED_LIMIT = 20;

function clip(text: unknown, max = 80): string {
  const s = typeof text === "string" ? text.replace(/\s+/g, " ").trim() : String(text);
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

function field(data: unknown, key: string): unknown {
  return typeof data === "object" && data !== null
    ? (data as Record<string, unknown>)[key]
    : undefined;
}

/** One line saying what an event was. */
export function describeEvent(event: TalonEventWire): string {
  const d = event.data;
  const f = (key: string) => field(d, key);
  switch (event.type) {
    case "kernel.started":
      return `Talon ${f("version")} started with ${f("agents")} agents`;
    case "kernel.stopping":
      return `Talon stopping: ${clip(f("reason"))}`;
    case "agent.lifecycle": {
      const from = f("from");
      const reason = f("reason");
      const move = from === null ? "spawned" : `${from} → ${f("to")}`;
      return reason ? `${move}: ${clip(reason)}` : move;
    }
    case "agent.purged":
      return `purged ${f("count")} killed agents`;
    case "turn.started":
      return `turn started: ${clip(f("input"))}`;
    case "message":
      return `${f("role")}: ${clip(f("text"))}`;
    case "tool_start":
      return `tool ${f("name")} started`;
    case "tool_end":
      return `tool ${f("name")} ${f("ok") ? "finished" : "failed"}`;
    case "usage": {
      const cost = f("cost_usd");
      const tokens = `${f("input_tokens")} in / ${f("output_tokens")} out`;
      return `${f("model")}: ${tokens}${typeof cost === "number" ? `, ${formatUsd(cost)}` : ""}`;
    }
    case "budget":
      return `budget ${f("scope")} ${f("cap")} reached: ${f("spent")} of ${f("limit")}`;
    case "session.repaired":
      return `session repaired (${(f("repairs") as unknown[] | undefined)?.length ?? 0} fixes)`;
    case "done":
      return `turn ${f("status")}`;
    case "error":
      return `error ${f("code")}: ${clip(f("message"))}`;
    case "approval":
      return `approval ${f("status")}`;
    case "audit":
      return `audit ${f("action")}`;
    default:
      return event.type;
  }
}

/** Badge tone of an event type. */
export function eventTone(event: TalonEventWire): "ok" | "info" | "warn" | "bad" | "muted" {
  if (event.type === "error" || event.type === "budget") return "bad";
  if (event.type === "tool_end" && field(event.data, "ok") === false) return "bad";
  if (event.type === "done") return field(event.data, "status") === "completed" ? "ok" : "warn";
  if (event.type === "agent.lifecycle") return "info";
  return "muted";
}
