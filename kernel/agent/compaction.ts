/**
 * Compaction: when a session's prompt passes a threshold, its older turns are
 * summarised into one summary that the prompt uses in their place. The
 * agent's own model writes it (the offline driver an extractive one), through
 * the same retry policy, budget reservation and metering as any call. Cuts
 * fall between turns, so a tool call and its result always stay on the same
 * side. Nothing stored is changed or deleted: the summary is a new row of
 * `session_summaries` covering the turns started up to its `through_seq`.
 *
 * @module
 */
import { TalonError } from "../errors.ts";
import {
  chatWithFallback,
  COMPACT_PREVIOUS,
  COMPACT_PROMPT,
  COMPACT_TRANSCRIPT,
  estimateTokens,
  type PromptMessage,
} from "../llm/mod.ts";
import * as store from "../store/mod.ts";
import type {
  AgentView,
  CompactResult,
  SessionMessage,
  SessionSummaryView,
  Usage,
} from "../types.ts";
import { buildPrompt } from "./agent_loop.ts";
import { promptTokens } from "./context_fit.ts";
import { withSummary } from "./turn_session.ts";
import type { TurnRunnerDeps } from "./turn_runner.ts";

/** What compaction needs: what a turn needs (driver, ledger, catalog, config). */
export type CompactionDeps = Pick<
  TurnRunnerDeps,
  "db" | "bus" | "log" | "providers" | "config" | "ledger" | "audit" | "models"
>;

/** Share of the threshold the turns kept verbatim after a compaction may fill. */
const KEEP_SHARE = 0.4;
/** Characters one message may contribute to a compaction call's transcript. */
const MAX_LINE_CHARS = 4_000;

/** When a session is due: tokens past a share of a known window, else a message count. */
interface Threshold {
  kind: "tokens" | "messages";
  limit: number;
}

function thresholdOf(deps: CompactionDeps, agent: AgentView): Threshold {
  const window = deps.models?.contextWindow(agent.model);
  const { compact_ratio, compact_messages } = deps.config.agents;
  return window === undefined
    ? { kind: "messages", limit: compact_messages }
    : { kind: "tokens", limit: Math.max(1, Math.floor(window * compact_ratio)) };
}

/** The unsummarised part of a session's prompt, by turn, and its summary. */
interface SessionWindow {
  summary: SessionSummaryView | undefined;
  turns: { seq: number; messages: SessionMessage[]; tokens: number }[];
}

function readWindow(
  deps: CompactionDeps,
  agent: AgentView,
  sessionId: string,
): SessionWindow {
  const summary = store.latestSummary(deps.db, sessionId);
  const limit = Math.max(
    deps.config.agents.max_history_messages,
    deps.config.agents.compact_messages,
  );
  const entries = store.promptEntries(deps.db, agent.id, {
    limit,
    sessionId,
    afterSeq: summary?.through_seq,
  });
  const turns: SessionWindow["turns"] = [];
  for (const entry of entries) {
    const last = turns.at(-1);
    if (last && last.seq === entry.seq) last.messages.push(entry.message);
    else turns.push({ seq: entry.seq, messages: [entry.message], tokens: 0 });
  }
  for (const turn of turns) turn.tokens = promptTokens(buildPrompt(agent, turn.messages).slice(1));
  return { summary, turns };
}

/** True when the session's prompt has passed the compaction threshold. */
export function compactionDue(deps: CompactionDeps, agent: AgentView, sessionId: string): boolean {
  const threshold = thresholdOf(deps, agent);
  const summary = store.latestSummary(deps.db, sessionId);
  if (threshold.kind === "messages") {
    return store.countPromptMessages(deps.db, sessionId, {
      afterSeq: summary?.through_seq,
      cap: threshold.limit,
    }) >= threshold.limit;
  }
  const history = store.sessionMessages(deps.db, agent.id, {
    limit: deps.config.agents.max_history_messages,
    promptOnly: true,
    sessionId,
    afterSeq: summary?.through_seq,
  });
  const prompt = withSummary(buildPrompt(agent, history), summary?.text);
  return promptTokens(prompt) >= threshold.limit;
}

/**
 * Summarises the older turns of session `sessionId` of `agent`: the newest
 * turns within 40% of the threshold (by hand: of the unsummarised turns' size)
 * stay verbatim, always at least the newest one; the earlier summary and
 * every turn before them are summarised by the agent's model. A budget refusal throws `budget_exceeded`; nothing is
 * written then. `compacted` is false when no turn is older than those kept.
 */
export async function compactSession(
  deps: CompactionDeps,
  agent: AgentView,
  options: {
    sessionId: string;
    trigger: "auto" | "manual";
    turnId?: string;
    signal?: AbortSignal;
    actor?: string;
  },
): Promise<CompactResult> {
  const { sessionId } = options;
  const window = readWindow(deps, agent, sessionId);
  const due = thresholdOf(deps, agent);
  // By hand, the room kept verbatim is a share of what the session holds now.
  const threshold: Threshold = options.trigger === "auto" ? due : {
    kind: due.kind,
    limit: window.turns.reduce(
      (n, t) => n + (due.kind === "tokens" ? t.tokens : t.messages.length),
      0,
    ),
  };
  const keep = keptTurns(window.turns, threshold);
  const older = window.turns.slice(0, window.turns.length - keep);
  const keptMessages = window.turns.slice(older.length).reduce((n, t) => n + t.messages.length, 0);
  const none: CompactResult = {
    agent_id: agent.id,
    session_id: sessionId,
    compacted: false,
    summary: null,
    kept_messages: keptMessages,
  };
  if (older.length === 0) return none;
  const covered = older.flatMap((t) => t.messages);
  const contextWindow = deps.models?.contextWindow(agent.model);
  const maxTokens = contextWindow === undefined
    ? agent.manifest.max_tokens
    : Math.min(agent.manifest.max_tokens, Math.max(64, Math.floor(contextWindow * 0.1)));
  const messages: PromptMessage[] = [
    { role: "system", text: COMPACT_PROMPT },
    {
      role: "user",
      text: compactionInput(window.summary?.text, covered, {
        maxChars: contextWindow === undefined
          ? undefined
          : Math.max(1_000, (contextWindow - maxTokens) * 4 * 0.9),
      }),
    },
  ];
  const { text, usage, model } = await summarise(deps, agent, {
    messages,
    maxTokens,
    turnId: options.turnId ?? null,
    signal: options.signal,
  });
  if (text.trim() === "") {
    throw new TalonError(
      "driver_error",
      `the model ${model} returned an empty summary; the session was not compacted`,
    );
  }
  const throughSeq = older.at(-1)!.seq;
  const summary = store.transaction(deps.db, () => {
    const latest = store.latestSummary(deps.db, sessionId);
    if (latest !== undefined && latest.through_seq >= throughSeq) return undefined;
    const row = store.insertSummary(deps.db, {
      sessionId,
      through_seq: throughSeq,
      first_message: Math.min(...covered.map((m) => m.id)),
      last_message: Math.max(...covered.map((m) => m.id)),
      message_count: covered.length,
      text: text.trim(),
      model,
      input_tokens: usage.input_tokens,
      output_tokens: usage.output_tokens,
      trigger: options.trigger,
    });
    deps.audit.append({
      action: "session.compact",
      actor: options.actor ?? "system",
      agent_id: agent.id,
      detail: {
        session_id: sessionId,
        summary_id: row.id,
        through_seq: throughSeq,
        messages: covered.length,
        trigger: options.trigger,
      },
    });
    return row;
  });
  if (!summary) return none;
  deps.log.info("session compacted", {
    agent_id: agent.id,
    session_id: sessionId,
    messages: covered.length,
    trigger: options.trigger,
  });
  return { ...none, compacted: true, summary };
}

/** How many of the newest turns stay verbatim: within 40% of the threshold, at least one. */
function keptTurns(turns: SessionWindow["turns"], threshold: Threshold): number {
  const room = threshold.limit * KEEP_SHARE;
  let used = 0;
  let keep = 0;
  for (let i = turns.length - 1; i >= 0; i--) {
    const size = threshold.kind === "tokens" ? turns[i]!.tokens : turns[i]!.messages.length;
    if (keep > 0 && used + size > room) break;
    used += size;
    keep++;
  }
  return keep;
}

/**
 * The user message of a compaction call: the earlier summary, then one
 * `[role] text` line per message (tool calls with their arguments), each
 * line cut so the whole stays within `maxChars`.
 */
export function compactionInput(
  previous: string | undefined,
  messages: readonly SessionMessage[],
  options: { maxChars?: number } = {},
): string {
  const lines: string[] = [];
  for (const m of messages) {
    const text = m.text.replaceAll("\n", " ").trim();
    if (m.role === "tool") lines.push(`[tool result] ${text}`);
    else if (text !== "") lines.push(`[${m.role}] ${text}`);
    for (const call of m.tool_calls ?? []) {
      lines.push(`[tool call] ${call.name} ${JSON.stringify(call.args)}`);
    }
  }
  const head = previous === undefined ? "" : `${COMPACT_PREVIOUS}\n${previous}\n\n`;
  const room = (options.maxChars ?? Infinity) - head.length - COMPACT_TRANSCRIPT.length;
  const perLine = Math.max(
    80,
    Math.min(MAX_LINE_CHARS, Math.floor(room / Math.max(1, lines.length))),
  );
  const body = lines.map((l) => (l.length > perLine ? `${l.slice(0, perLine - 1)}…` : l));
  return `${head}${COMPACT_TRANSCRIPT}\n${body.join("\n")}`;
}

/** One metered, budget-checked call of the agent's model; returns its whole text. */
async function summarise(
  deps: CompactionDeps,
  agent: AgentView,
  call: {
    messages: PromptMessage[];
    maxTokens: number;
    turnId: string | null;
    signal?: AbortSignal;
  },
): Promise<{ text: string; usage: Usage; model: string }> {
  const { providers, ledger } = deps;
  const estimate = promptTokens(call.messages);
  const reservation = ledger.reserve(agent, {
    model: agent.model,
    promptTokens: estimate,
    maxTokens: call.maxTokens,
  });
  const started = performance.now();
  let text = "";
  let end: { usage: Usage; model?: string } | undefined;
  try {
    const chunks = chatWithFallback(providers.driver(agent.provider), {
      model: agent.model,
      messages: call.messages,
      tools: [],
      maxTokens: call.maxTokens,
      temperature: 0,
      signal: call.signal,
    }, {
      policy: providers.retryPolicy,
      fallbackModels: agent.manifest.fallback_models.map((m) => providers.catalog.canonical(m)),
    });
    for await (const chunk of chunks) {
      if (chunk.type === "text") text += chunk.text;
      else if (chunk.type === "end") end = chunk;
    }
    call.signal?.throwIfAborted();
  } catch (cause) {
    if (text === "") ledger.release(reservation);
    else {
      ledger.settle(reservation, {
        provider: agent.provider,
        model: agent.model,
        usage: { input_tokens: estimate, output_tokens: estimateTokens(text) },
        turnId: call.turnId,
        latencyMs: performance.now() - started,
      });
    }
    throw cause;
  }
  const usage = end?.usage ?? { input_tokens: estimate, output_tokens: estimateTokens(text) };
  const model = end?.model ?? agent.model;
  const metered = ledger.settle(reservation, {
    provider: agent.provider,
    model,
    usage,
    turnId: call.turnId,
    latencyMs: performance.now() - started,
  });
  if (call.turnId !== null) {
    deps.bus.publish("usage", { ...usage, model, ...metered }, {
      agentId: agent.id,
      turnId: call.turnId,
    });
  }
  return { text, usage, model };
}
