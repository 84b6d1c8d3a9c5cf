/**
 * Budgets and metering. Before each LLM call the worst case (estimated
 * prompt tokens + `max_tokens`) is reserved against every cap that applies —
 * the agent's own, each ancestor's (children's spending counts against their
 * parents) and the global ones; a call that would cross a cap is refused with
 * `budget_exceeded`. After the call the reservation is settled to the real
 * usage, which is written as one `usage` row.
 *
 * Windows: hour and day are rolling; month is the calendar month in UTC.
 * Reservations live in memory: one process holds the data dir.
 *
 * @module
 */
import type { AgentBudgetCaps, BudgetConfig } from "../types.ts";
import { TalonError } from "../errors.ts";
import { formatUsd } from "../format.ts";
import type { AuditChain } from "../security/mod.ts";
import * as store from "../store/mod.ts";
import type {
  AgentBudgetPatch,
  AgentBudgetView,
  AgentCaps,
  AgentView,
  BudgetReport,
  GlobalBudgetPatch,
  GlobalCaps,
  Usage,
} from "../types.ts";

/** Prices models; the model catalog implements it. */
export interface Pricing {
  /** USD for `usage` on `model`; undefined when no price is known. */
  cost(model: string, usage: Usage): number | undefined;
}

/** What one LLM call may cost at most, held until it is settled. */
export interface Reservation {
  readonly id: number;
  readonly agentId: string;
  readonly tokens: number;
  readonly usd: number;
}

/** The outcome of a settled call, as metered. */
export interface MeteredCall {
  cost_usd: number;
  latency_ms: number;
}

const HOUR = 3_600_000;
const DAY = 86_400_000;
const MINUTE = 60_000;

/** Options for {@link BudgetLedger}. */
export interface BudgetLedgerOptions {
  db: store.Database;
  config: BudgetConfig;
  pricing: Pricing;
  /** Where cap changes are audited. */
  audit: Pick<AuditChain, "append">;
  /** Milliseconds since the epoch; tests pass a fake clock. */
  now?: () => number;
}

/** Enforces caps and meters every LLM call. */
export class BudgetLedger {
  readonly #db: store.Database;
  readonly #config: BudgetConfig;
  readonly #pricing: Pricing;
  readonly #audit: Pick<AuditChain, "append">;
  readonly #now: () => number;
  readonly #reserved = new Map<number, Reservation>();
  readonly #toolCalls = new Map<string, number[]>();
  #nextId = 1;

  constructor(options: BudgetLedgerOptions) {
    this.#db = options.db;
    this.#config = options.config;
    this.#pricing = options.pricing;
    this.#audit = options.audit;
    this.#now = options.now ?? Date.now;
  }

  /** The caps that apply to `agent`: admin-set or configured, lowered by its manifest. */
  agentCaps(agent: AgentView): AgentCaps {
    const stored = store.getAgentBudget(this.#db, agent.id) as AgentBudgetCaps;
    const configured: AgentBudgetCaps = { ...this.#config.agent, ...stored };
    const limits = agent.manifest.resources;
    return dropUndefined({
      tokens_per_hour: lower(configured.tokens_per_hour, limits.max_tokens_per_hour),
      usd_per_day: lower(configured.usd_per_day, limits.max_cost_usd_per_day),
      tool_calls_per_minute: lower(
        configured.tool_calls_per_minute,
        limits.max_tool_calls_per_minute,
      ),
    });
  }

  /** The global caps: admin-set or configured. */
  globalCaps(): GlobalCaps {
    const { agent: _agent, ...configured } = this.#config;
    return dropUndefined({ ...configured, ...store.getGlobalBudget(this.#db) });
  }

  /**
   * Reserves the worst case of one call for `agent`, or throws
   * `budget_exceeded` naming the cap it would cross.
   */
  reserve(
    agent: AgentView,
    call: { model: string; promptTokens: number; maxTokens: number },
  ): Reservation {
    const tokens = call.promptTokens + call.maxTokens;
    const usd = this.#pricing.cost(call.model, {
      input_tokens: call.promptTokens,
      output_tokens: call.maxTokens,
    }) ?? 0;
    const now = this.#now();
    const subjects = [
      agent,
      ...store.ancestorIds(this.#db, agent.id).flatMap((id) => {
        const a = store.getAgent(this.#db, id);
        return a ? [a] : [];
      }),
    ];
    for (const subject of subjects) {
      const caps = this.agentCaps(subject);
      if (caps.tokens_per_hour === undefined && caps.usd_per_day === undefined) continue;
      const tree = [subject.id, ...store.descendantIds(this.#db, subject.id)];
      const who = subject.id === agent.id
        ? `agent "${agent.name}"`
        : `agent "${agent.name}"'s ancestor "${subject.name}" (children's spending counts against it)`;
      if (caps.tokens_per_hour !== undefined) {
        const spent = this.#spent(tree, now - HOUR).tokens;
        this.#check(agent, {
          scope: subject.id,
          cap: "tokens_per_hour",
          limit: caps.tokens_per_hour,
          spent,
          requested: tokens,
          what: `${who} has used ${spent} of its ${caps.tokens_per_hour} tokens per hour`,
        });
      }
      if (caps.usd_per_day !== undefined) {
        const spent = this.#spent(tree, now - DAY).usd;
        this.#check(agent, {
          scope: subject.id,
          cap: "usd_per_day",
          limit: caps.usd_per_day,
          spent,
          requested: usd,
          what: `${who} has spent ${formatUsd(spent)} of its ${
            formatUsd(caps.usd_per_day)
          } per day`,
        });
      }
    }
    const global = this.globalCaps();
    const windows: [keyof GlobalCaps, number, string][] = [
      ["usd_per_hour", now - HOUR, "in the last hour"],
      ["usd_per_day", now - DAY, "in the last day"],
      ["usd_per_month", monthStart(now), "this month (UTC)"],
    ];
    for (const [cap, since, label] of windows) {
      const limit = global[cap];
      if (limit === undefined) continue;
      const spent = this.#spent(undefined, since).usd;
      this.#check(agent, {
        scope: "global",
        cap,
        limit,
        spent,
        requested: usd,
        what: `all agents together have spent ${formatUsd(spent)} ${label} of the global ${
          formatUsd(limit)
        } cap`,
      });
    }
    const reservation = { id: this.#nextId++, agentId: agent.id, tokens, usd };
    this.#reserved.set(reservation.id, reservation);
    return reservation;
  }

  /**
   * Throws `budget_exceeded` when a cap that applies to `agent` has no room
   * left for even the smallest call (a scheduler checks before sending).
   */
  preflight(agent: AgentView): void {
    this.release(this.reserve(agent, { model: agent.model, promptTokens: 1, maxTokens: 0 }));
  }

  /** Settles a reservation to the call's real usage and writes its usage row. */
  settle(
    reservation: Reservation,
    call: {
      provider: string;
      model: string;
      usage: Usage;
      turnId: string | null;
      latencyMs: number;
    },
  ): MeteredCall {
    this.#reserved.delete(reservation.id);
    const cost = this.#pricing.cost(call.model, call.usage) ?? 0;
    const latency = Math.max(0, Math.round(call.latencyMs));
    store.insertUsage(this.#db, {
      agentId: reservation.agentId,
      turnId: call.turnId,
      provider: call.provider,
      model: call.model,
      inputTokens: call.usage.input_tokens,
      outputTokens: call.usage.output_tokens,
      costUsd: cost,
      latencyMs: latency,
      at: new Date(this.#now()).toISOString(),
    });
    return { cost_usd: cost, latency_ms: latency };
  }

  /** Drops a reservation whose call spent nothing. */
  release(reservation: Reservation): void {
    this.#reserved.delete(reservation.id);
  }

  /**
   * Counts `count` tool calls for `agent` in the rolling minute, or throws
   * `budget_exceeded` when its `tool_calls_per_minute` cap would be crossed.
   */
  countToolCalls(agent: AgentView, count: number): void {
    const now = this.#now();
    const recent = (this.#toolCalls.get(agent.id) ?? []).filter((t) => t > now - MINUTE);
    const limit = this.agentCaps(agent).tool_calls_per_minute;
    if (limit !== undefined) {
      this.#check(agent, {
        scope: agent.id,
        cap: "tool_calls_per_minute",
        limit,
        spent: recent.length,
        requested: count,
        what: `agent "${agent.name}" made ${recent.length} of its ${limit} tool calls per minute`,
      });
    }
    for (let i = 0; i < count; i++) recent.push(now);
    this.#toolCalls.set(agent.id, recent);
  }

  /** Sets (or with `null` clears) caps of one agent; returns its budget. */
  setAgentCaps(
    agent: AgentView,
    patch: AgentBudgetPatch,
    options: { actor?: string } = {},
  ): AgentBudgetView {
    store.transaction(this.#db, () => {
      const caps = store.getAgentBudget(this.#db, agent.id);
      store.setAgentBudget(this.#db, agent.id, applyPatch(caps, patch));
      this.#audit.append({
        action: "budget.set",
        actor: options.actor ?? "system",
        agent_id: agent.id,
        detail: { scope: "agent", patch },
      });
    });
    return this.agentBudget(agent);
  }

  /** Sets (or with `null` clears) global caps; returns them. */
  setGlobalCaps(patch: GlobalBudgetPatch, options: { actor?: string } = {}): GlobalCaps {
    store.transaction(this.#db, () => {
      store.setGlobalBudget(this.#db, applyPatch(store.getGlobalBudget(this.#db), patch));
      this.#audit.append({
        action: "budget.set",
        actor: options.actor ?? "system",
        detail: { scope: "global", patch },
      });
    });
    return this.globalCaps();
  }

  /** One agent's caps and use (with its children) against them. */
  agentBudget(agent: AgentView): AgentBudgetView {
    const now = this.#now();
    const tree = [agent.id, ...store.descendantIds(this.#db, agent.id)];
    const recent = (this.#toolCalls.get(agent.id) ?? []).filter((t) => t > now - MINUTE);
    return {
      agent_id: agent.id,
      name: agent.name,
      state: agent.state,
      caps: this.agentCaps(agent),
      used: {
        tokens_last_hour: this.#spent(tree, now - HOUR).tokens,
        usd_last_day: this.#spent(tree, now - DAY).usd,
        tool_calls_last_minute: recent.length,
      },
    };
  }

  /** Global caps and spend, and the budgets of the given agents. */
  report(agents: AgentView[]): BudgetReport {
    const now = this.#now();
    return {
      global: {
        caps: this.globalCaps(),
        spent: {
          usd_last_hour: this.#spent(undefined, now - HOUR).usd,
          usd_last_day: this.#spent(undefined, now - DAY).usd,
          usd_this_month: this.#spent(undefined, monthStart(now)).usd,
        },
      },
      agents: agents.map((a) => this.agentBudget(a)),
    };
  }

  /** Metered plus reserved use since `since`, for agents (or everyone). */
  #spent(agentIds: string[] | undefined, since: number): { tokens: number; usd: number } {
    const totals = store.usageSince(this.#db, new Date(since).toISOString(), agentIds);
    let tokens = totals.tokens;
    let usd = totals.cost_usd;
    const members = agentIds && new Set(agentIds);
    for (const r of this.#reserved.values()) {
      if (members && !members.has(r.agentId)) continue;
      tokens += r.tokens;
      usd += r.usd;
    }
    return { tokens, usd };
  }

  #check(
    agent: AgentView,
    c: {
      scope: string;
      cap: string;
      limit: number;
      spent: number;
      requested: number;
      what: string;
    },
  ): void {
    if (c.spent + c.requested <= c.limit) return;
    throw new TalonError(
      "budget_exceeded",
      `budget exceeded: ${c.what}, and this call needs up to ${
        c.cap.startsWith("usd") ? formatUsd(c.requested) : c.requested
      } more; agent "${agent.name}" is paused. Raise the cap with \`talon budget set\` or wait, then resume it`,
      {
        details: {
          scope: c.scope,
          cap: c.cap,
          limit: c.limit,
          spent: round(c.spent),
          requested: round(c.requested),
        },
      },
    );
  }
}

function lower(configured: number | undefined, manifest: number | undefined): number | undefined {
  if (configured === undefined) return manifest;
  if (manifest === undefined) return configured;
  return Math.min(configured, manifest);
}

function dropUndefined<T extends Record<string, number | undefined>>(caps: T): T {
  return Object.fromEntries(
    Object.entries(caps).filter(([, v]) => v !== undefined),
  ) as T;
}

function applyPatch(
  caps: store.StoredCaps,
  patch: Record<string, number | null | undefined>,
): store.StoredCaps {
  const next = { ...caps };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete next[key];
    else if (value !== undefined) next[key] = value;
  }
  return next;
}

function monthStart(now: number): number {
  const d = new Date(now);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

function round(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}
