/**
 * The tools Hands work with: `report_write` (a run's deliverable, optionally
 * POSTed to the instance's webhook through the SSRF guard), `page_diff`
 * (what changed on a page since this agent last looked, built on `diff`),
 * `forecast_record` and `forecast_resolve` (dated probabilistic forecasts;
 * Talon computes the Brier score), and `social_publish` (a post to the
 * instance's publish webhook, always behind a person's approval). Each keeps
 * the counters its Hand's metrics read in the agent's memory.
 *
 * @module
 */
import { createTwoFilesPatch } from "diff";
import { z } from "zod";
import { TalonError } from "../errors.ts";
import type { SsrfGuard } from "../security/mod.ts";
import * as store from "../store/mod.ts";
import { defineTool, netCapability, requireNetCapability, type Tool } from "../tools/mod.ts";
import { type HandSettingValue, ReportSource } from "../types.ts";
import { pageText } from "./page_text.ts";

/** What the Hand tools need. */
export interface HandToolsDeps {
  db: store.Database;
  guard: SsrfGuard;
  /** The SSRF guard's own time limit; tools add a margin. */
  timeoutMs: number;
  now: () => number;
  /** The Hand instance an agent belongs to, if any. */
  instanceOf(
    agentId: string,
  ): { id: string; settings: Record<string, HandSettingValue> } | undefined;
}

/** Names of the Hand tools. */
export const HAND_TOOL_NAMES: readonly string[] = [
  "report_write",
  "page_diff",
  "forecast_record",
  "forecast_resolve",
  "social_publish",
];

/** Adds `by` to the number under `key` in the agent's memory. */
function bump(db: store.Database, agentId: string, key: string, by = 1): number {
  const now = Number(store.getMemory(db, agentId, key)?.text ?? "0");
  const next = (Number.isFinite(now) ? now : 0) + by;
  store.putMemory(db, { agentId, key, text: String(next) });
  return next;
}

function setting(
  deps: HandToolsDeps,
  agentId: string,
  key: string,
): string | undefined {
  const value = deps.instanceOf(agentId)?.settings[key];
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

/** POSTs JSON to a person's webhook through the guard; the outcome, never a throw. */
async function postJson(
  deps: HandToolsDeps,
  url: string,
  payload: unknown,
  signal: AbortSignal,
): Promise<{ url: string; ok: boolean; status: number | null; error: string | null; at: string }> {
  const at = new Date(deps.now()).toISOString();
  try {
    const res = await deps.guard.fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(payload),
      signal,
    });
    const ok = res.status >= 200 && res.status < 300;
    return { url, ok, status: res.status, error: ok ? null : `HTTP ${res.status}`, at };
  } catch (error) {
    return { url, ok: false, status: null, error: (error as Error).message, at };
  }
}

/** `report_write`. */
export function reportWriteTool(deps: HandToolsDeps): Tool {
  return defineTool({
    name: "report_write",
    description:
      "Stores the deliverable of this run as a report: a title, a Markdown body and the sources it cites. With append_changes, the exact diffs page_diff recorded in this run are attached. If the Hand has a webhook_url setting, the report is also POSTed there.",
    input: z.strictObject({
      title: z.string().trim().min(1).max(300).describe("the report's title"),
      body: z.string().min(1).max(200_000).describe("the report in Markdown"),
      sources: z.array(ReportSource).max(200).default([])
        .describe("the sources cited: {url, title}"),
      append_changes: z.boolean().default(false)
        .describe("attach the diffs page_diff recorded in this run, verbatim"),
    }),
    capabilities: ["memory_write"],
    risk: "medium",
    timeoutMs: deps.timeoutMs + 5_000,
    taintSink: (_args, { agent }) =>
      setting(deps, agent.id, "webhook_url") === undefined
        ? undefined
        : "report_write posts the report to the Hand's webhook_url (a Hand publishing step)",
    handler: async (args, ctx) => {
      const { db } = deps;
      const agentId = ctx.agent.id;
      let body = args.body;
      if (args.append_changes) {
        const diffs = store.turnPageDiffs(db, agentId, ctx.turnId);
        body += diffs.length === 0
          ? "\n\n## Changes recorded by page_diff\n\nNo page changed in this run.\n"
          : `\n\n## Changes recorded by page_diff\n\n${
            diffs.map((d) => `### ${d.url}\n\n\`\`\`diff\n${d.diff.trimEnd()}\n\`\`\``).join("\n\n")
          }\n`;
      }
      const id = crypto.randomUUID();
      const instance = deps.instanceOf(agentId);
      store.transaction(db, () => {
        store.insertReport(db, {
          id,
          instance_id: instance?.id ?? null,
          agent_id: agentId,
          run_id: store.runIdOfTurn(db, ctx.turnId),
          turn_id: ctx.turnId,
          title: args.title,
          body,
          sources: args.sources,
          created_at: new Date(deps.now()).toISOString(),
        });
        bump(db, agentId, "reports.count");
        store.putMemory(db, {
          agentId,
          key: "reports.last_sources",
          text: String(args.sources.length),
        });
      });
      let said = `stored report ${id} "${args.title}" with ${args.sources.length} source(s)`;
      const webhook = setting(deps, agentId, "webhook_url");
      if (webhook !== undefined) {
        const report = store.getReport(db, id)!;
        const delivery = await postJson(deps, webhook, { type: "report", report }, ctx.signal);
        store.setReportDelivery(db, id, delivery);
        said += delivery.ok
          ? `; posted to the webhook (HTTP ${delivery.status})`
          : `; posting to the webhook failed: ${delivery.error} (the report is stored)`;
      }
      return said;
    },
  });
}

/** `page_diff`. */
export function pageDiffTool(deps: HandToolsDeps): Tool {
  return defineTool({
    name: "page_diff",
    description:
      "Fetches a page and compares its text with the copy this agent kept from the previous check, then keeps the new copy. Returns a unified diff (- removed, + added lines), or says the page is unchanged or that a first copy was taken.",
    input: z.strictObject({
      url: z.url({ protocol: /^https?$/ }).max(8192).describe("the http or https page to check"),
      context_lines: z.number().int().min(0).max(10).default(2)
        .describe("unchanged lines shown around each change"),
    }),
    capabilities: ({ url }) => [netCapability(new URL(url)), "memory_write"],
    risk: "medium",
    timeoutMs: deps.timeoutMs + 5_000,
    outsideContent: ({ url }) => ({ label: url, host: new URL(url).hostname }),
    handler: async ({ url, context_lines }, ctx) => {
      const { db } = deps;
      const agentId = ctx.agent.id;
      const res = await deps.guard.fetch(url, {
        signal: ctx.signal,
        checkUrl: requireNetCapability(ctx.agent),
      });
      if (res.status >= 400) {
        throw new TalonError(
          "fetch_failed",
          `${url} answered HTTP ${res.status}; the stored copy was kept`,
          { details: { status: res.status } },
        );
      }
      const text = pageText(res.text, res.contentType);
      const previous = store.getPageSnapshot(db, agentId, url);
      const at = new Date(deps.now()).toISOString();
      const changed = previous !== undefined && previous.content !== text;
      const diff = changed
        ? createTwoFilesPatch(
          url,
          url,
          `${previous.content}\n`,
          `${text}\n`,
          previous.fetched_at,
          at,
          {
            context: context_lines,
          },
        ).split("\n").slice(2).join("\n")
        : null;
      store.transaction(db, () => {
        store.putPageSnapshot(db, {
          agentId,
          url,
          content: text,
          fetched_at: at,
          turn_id: ctx.turnId,
          diff,
        });
        bump(db, agentId, "page_diff.checked");
        if (changed) bump(db, agentId, "page_diff.changes");
      });
      if (previous === undefined) {
        return `first check of ${url}: kept a copy of ${
          text.split("\n").length
        } line(s) as the baseline; later checks report changes against it`;
      }
      if (!changed) return `${url} is unchanged since ${previous.fetched_at}`;
      return `${url} changed since ${previous.fetched_at}:\n${diff}`;
    },
  });
}

/** The Brier score of resolved forecasts: mean of (p − outcome)²; null with none resolved. */
export function brierScore(
  rows: readonly { probability: number; outcome: boolean | null }[],
): number | null {
  const resolved = rows.filter((r) => r.outcome !== null);
  if (resolved.length === 0) return null;
  const sum = resolved.reduce((s, r) => s + (r.probability - (r.outcome ? 1 : 0)) ** 2, 0);
  return sum / resolved.length;
}

/** Writes the forecast counters and the Brier score into the agent's memory. */
function forecastMetrics(
  db: store.Database,
  agentId: string,
): { brier: number | null; resolved: number; open: number } {
  const rows = store.listForecasts(db, agentId);
  const brier = brierScore(rows);
  const resolved = rows.filter((r) => r.outcome !== null).length;
  const open = rows.length - resolved;
  store.putMemory(db, { agentId, key: "forecast.resolved", text: String(resolved) });
  store.putMemory(db, { agentId, key: "forecast.open", text: String(open) });
  if (brier !== null) store.putMemory(db, { agentId, key: "forecast.brier", text: String(brier) });
  return { brier, resolved, open };
}

const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date like 2026-05-01")
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), "must be a real date");

/** `forecast_record` and `forecast_resolve`. */
export function forecastTools(deps: HandToolsDeps): Tool[] {
  const record = defineTool({
    name: "forecast_record",
    description:
      "Records a dated probabilistic forecast: a yes-or-no question, the probability that the answer is yes, and the date by which it resolves. Recorded forecasts cannot be changed.",
    input: z.strictObject({
      question: z.string().trim().min(5).max(1000).describe(
        "a yes-or-no question that a source will settle",
      ),
      probability: z.number().min(0).max(1).describe("probability of yes, 0 to 1"),
      resolve_by: IsoDate.describe("the date (YYYY-MM-DD, UTC) by which it resolves"),
      rationale: z.string().max(2000).default("").describe("why this probability, in a sentence"),
      id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,59}$/, "must be a short slug like deno-3-by-june")
        .optional().describe("a short slug to refer to it later; one is made up when omitted"),
    }),
    capabilities: ["memory_write"],
    risk: "low",
    handler: ({ question, probability, resolve_by, rationale, id: chosen }, ctx) => {
      const today = new Date(deps.now()).toISOString().slice(0, 10);
      if (resolve_by <= today) {
        throw new TalonError(
          "invalid_input",
          `resolve_by ${resolve_by} is not after today (${today})`,
          {
            fields: { resolve_by: "must be after today" },
          },
        );
      }
      const id = chosen ?? `f-${crypto.randomUUID().slice(0, 8)}`;
      if (store.getForecast(deps.db, ctx.agent.id, id)) {
        throw new TalonError(
          "invalid_input",
          `a forecast "${id}" already exists; choose another id`,
          {
            fields: { id: "already used" },
          },
        );
      }
      store.transaction(deps.db, () => {
        store.insertForecast(deps.db, {
          id,
          agent_id: ctx.agent.id,
          question,
          probability,
          resolve_by,
          rationale,
          recorded_at: new Date(deps.now()).toISOString(),
          turn_id: ctx.turnId,
        });
        forecastMetrics(deps.db, ctx.agent.id);
      });
      return `recorded forecast ${id}: P(yes) = ${probability} for "${question}", resolves by ${resolve_by}`;
    },
  });
  const resolve = defineTool({
    name: "forecast_resolve",
    description:
      "Resolves a recorded forecast as true or false with the source that settles it, and returns the Brier score Talon computes over all resolved forecasts. With list_due, lists open forecasts whose date has come instead.",
    input: z.strictObject({
      id: z.string().min(1).max(100).optional().describe("the forecast's id"),
      outcome: z.boolean().optional().describe("true if the event happened"),
      source: z.url().max(2000).optional().describe("the URL that settles it"),
      list_due: z.boolean().default(false).describe("list open forecasts that are due"),
    }),
    capabilities: ["memory_write"],
    risk: "low",
    handler: ({ id, outcome, source, list_due }, ctx) => {
      const { db } = deps;
      const agentId = ctx.agent.id;
      if (list_due || id === undefined) {
        const today = new Date(deps.now()).toISOString().slice(0, 10);
        const due = store.listForecasts(db, agentId, { open: true, dueBy: today });
        if (!list_due) {
          throw new TalonError("invalid_input", "give the forecast's id (or list_due = true)", {
            fields: { id: "required unless list_due is true" },
          });
        }
        return due.length === 0
          ? "no open forecast is due"
          : due.map((f) =>
            `${f.id}: "${f.question}" P(yes) = ${f.probability}, resolve by ${f.resolve_by}`
          ).join("\n");
      }
      if (outcome === undefined) {
        throw new TalonError("invalid_input", "give the outcome (true or false)", {
          fields: { outcome: "required to resolve a forecast" },
        });
      }
      const forecast = store.getForecast(db, agentId, id);
      if (!forecast) {
        throw new TalonError(
          "not_found",
          `no forecast "${id}" of this agent; list them with list_due`,
          {
            fields: { id: "unknown forecast" },
          },
        );
      }
      if (forecast.outcome !== null) {
        throw new TalonError(
          "illegal_transition",
          `forecast ${id} was already resolved on ${forecast.resolved_at}`,
        );
      }
      const metrics = store.transaction(db, () => {
        store.resolveForecast(db, { agentId, id }, {
          outcome,
          source: source ?? null,
          at: new Date(deps.now()).toISOString(),
        });
        return forecastMetrics(db, agentId);
      });
      return `resolved ${id} as ${
        outcome ? "yes" : "no"
      }; Brier score over ${metrics.resolved} resolved forecast(s): ${
        metrics.brier!.toFixed(4)
      } (lower is better)`;
    },
  });
  return [record, resolve];
}

/** `social_publish`. */
export function socialPublishTool(deps: HandToolsDeps): Tool {
  return defineTool({
    name: "social_publish",
    description:
      "Publishes one post by POSTing it to the Hand's publish_webhook setting. Every call waits for a person's approval first.",
    input: z.strictObject({
      text: z.string().trim().min(1).max(3000).describe("the post, exactly as it should appear"),
      link: z.url().max(2000).optional().describe("the source the post links to"),
    }),
    capabilities: ["memory_write"],
    risk: "high",
    needsApproval: true,
    taintSink: () => "social_publish publishes a post (a Hand publishing step)",
    timeoutMs: deps.timeoutMs + 5_000,
    handler: async ({ text, link }, ctx) => {
      const url = setting(deps, ctx.agent.id, "publish_webhook");
      if (url === undefined) {
        throw new TalonError(
          "not_configured",
          "no publish_webhook setting: the drafts stay in the report; a person can set the webhook on the Hand instance",
        );
      }
      const outcome = await postJson(
        deps,
        url,
        { type: "post", text, link: link ?? null },
        ctx.signal,
      );
      if (!outcome.ok) {
        throw new TalonError(
          "fetch_failed",
          `the publish webhook did not accept the post: ${outcome.error}`,
        );
      }
      const count = bump(deps.db, ctx.agent.id, "social.published");
      return `published (webhook answered HTTP ${outcome.status}); ${count} post(s) published so far`;
    },
  });
}

/** Every Hand tool. */
export function handTools(deps: HandToolsDeps): Tool[] {
  return [
    reportWriteTool(deps),
    pageDiffTool(deps),
    ...forecastTools(deps),
    socialPublishTool(deps),
  ];
}
