/**
 * The tool registry: one catalogue of built-in, skill and MCP tools, and the
 * gate every call passes — allowed for this agent → valid arguments →
 * capabilities → approval → handler under a timeout → output truncation →
 * audit. A failure at any step is a tool error the model sees, never an
 * exception that ends the turn. The handler's timeout starts once the call
 * is approved: waiting for a person does not count against it.
 *
 * @module
 */
import { TalonError } from "../errors.ts";
import type { ToolDefinition } from "../llm/mod.ts";
import type { Logger } from "../log.ts";
import {
  describeTaint,
  missingCapabilities,
  redactSecrets,
  redactText,
  type TaintSource,
} from "../security/mod.ts";
import { type AgentView, describeIssues, type ToolCall } from "../types.ts";
import { isCapabilityFree, requiredCapabilities, type Tool } from "./define.ts";
import type { ToolCallContext, ToolExecutor, ToolOutcome } from "./executor.ts";
import type { ApprovalOutcome, AuditSink, ToolApprovals } from "./ports.ts";
import { INVALID_ARGUMENTS_KEY } from "../llm/mod.ts";

/** Message of a call denied because it needs an approval and the registry has no approval gate. */
export const APPROVALS_UNAVAILABLE =
  "approvals are not configured in this Talon yet; the call was denied";

/** Options for {@link ToolRegistry}. */
export interface ToolRegistryOptions {
  /** Default per-call limit (`tools.timeout_ms`); 60 s when unset. */
  timeoutMs?: number;
  /** Longest output the model sees (`tools.max_output_chars`); 50,000 when unset. */
  maxOutputChars?: number;
  /** Receives capability decisions and call records. */
  audit?: AuditSink;
  log?: Logger;
  /** Names of extra tools an agent gets from what it attaches (its skills' tools). */
  attachedTools?: (agent: AgentView) => readonly string[];
  /**
   * The approval gate. Without one, every tool that needs approval is denied
   * (`approval_unavailable`), fail closed.
   */
  approvals?: ToolApprovals;
  /** Readies an agent's attached tools before a model call (connects its MCP servers). */
  prepareTools?: (agent: AgentView, signal: AbortSignal) => Promise<void>;
  /**
   * Whether a tainted turn's calls to high-risk sinks wait for approval
   * (`[security] taint`); true when unset.
   */
  taintGate?: boolean;
}

/** The longest string argument kept in an audit record. */
const AUDIT_ARG_CHARS = 1000;

/** Every tool Talon can run, and the gate in front of them. */
export class ToolRegistry implements ToolExecutor {
  readonly #tools = new Map<string, { tool: Tool; builtin: boolean; defaultWhenHeld: boolean }>();
  readonly #timeoutMs: number;
  readonly #maxOutputChars: number;
  readonly #audit?: AuditSink;
  readonly #log?: Logger;
  readonly #attached?: (agent: AgentView) => readonly string[];
  readonly #approvals?: ToolApprovals;
  readonly #prepare?: (agent: AgentView, signal: AbortSignal) => Promise<void>;
  readonly #taintGate: boolean;

  constructor(options: ToolRegistryOptions = {}) {
    this.#taintGate = options.taintGate ?? true;
    this.#prepare = options.prepareTools;
    this.#attached = options.attachedTools;
    this.#approvals = options.approvals;
    this.#timeoutMs = options.timeoutMs ?? 60_000;
    this.#maxOutputChars = options.maxOutputChars ?? 50_000;
    this.#audit = options.audit;
    this.#log = options.log;
  }

  /**
   * Adds a tool. `builtin` tools that are low risk and need no approval form
   * the default set of agents without a `tools` list when they need no
   * capability, or, with `defaultWhenHeld`, when the agent holds every
   * capability they need. A taken name throws `TypeError`.
   */
  register(tool: Tool, options: { builtin?: boolean; defaultWhenHeld?: boolean } = {}): void {
    if (this.#tools.has(tool.name)) {
      throw new TypeError(`a tool named "${tool.name}" is already registered`);
    }
    if (options.defaultWhenHeld && typeof tool.capabilities === "function") {
      throw new TypeError(`tool "${tool.name}": defaultWhenHeld needs static capabilities`);
    }
    this.#tools.set(tool.name, {
      tool,
      builtin: options.builtin ?? false,
      defaultWhenHeld: options.defaultWhenHeld ?? false,
    });
  }

  /** Removes a tool (an uninstalled skill's); true when it was registered. */
  unregister(name: string): boolean {
    return this.#tools.delete(name);
  }

  /** The tool with this name, if registered. */
  get(name: string): Tool | undefined {
    return this.#tools.get(name)?.tool;
  }

  /** True when a tool with this name is registered. */
  has(name: string): boolean {
    return this.#tools.has(name);
  }

  /** Every registered tool, by name. */
  list(): Tool[] {
    return [...this.#tools.values()].map((e) => e.tool).sort((a, b) => a.name < b.name ? -1 : 1);
  }

  /** Throws `invalid_manifest` naming any of `names` that is not registered. */
  assertKnown(names: readonly string[]): void {
    const unknown = [...new Set(names.filter((n) => !this.#tools.has(n)))];
    if (unknown.length === 0) return;
    const quoted = unknown.map((n) => `"${n}"`).join(", ");
    throw new TalonError(
      "invalid_manifest",
      `unknown tool${unknown.length > 1 ? "s" : ""} ${quoted}; available: ${
        this.list().map((t) => t.name).join(", ") || "(none)"
      }`,
      { details: { unknown } },
    );
  }

  /**
   * The tools this agent may call: its manifest's `tools`, else the default
   * set, plus the tools of what it attaches (its skills).
   */
  allowedFor(agent: AgentView): Tool[] {
    const names = agent.manifest.tools;
    const base = names === undefined
      ? [...this.#tools.values()]
        .filter(({ tool, builtin, defaultWhenHeld }) =>
          builtin && tool.risk === "low" && !tool.needsApproval &&
          (isCapabilityFree(tool) ||
            (defaultWhenHeld &&
              missingCapabilities(agent.capabilities, requiredCapabilities(tool, {})).length === 0))
        )
        .map((e) => e.tool)
        .sort((a, b) => (a.name < b.name ? -1 : 1))
      : [...new Set(names)].flatMap((n) => this.#tools.get(n)?.tool ?? []);
    const extra = this.#attached?.(agent) ?? [];
    if (extra.length === 0) return base;
    const seen = new Set(base.map((t) => t.name));
    const added = extra.filter((n) => !seen.has(n)).flatMap((n) => this.#tools.get(n)?.tool ?? []);
    return [...base, ...added];
  }

  /** True when the tool was registered as a built-in. */
  isBuiltin(name: string): boolean {
    return this.#tools.get(name)?.builtin ?? false;
  }

  /** Readies the agent's attached tools (see {@link ToolRegistryOptions.prepareTools}). */
  async prepareTools(agent: AgentView, signal: AbortSignal): Promise<void> {
    await this.#prepare?.(agent, signal);
  }

  /** Definitions of the tools this agent may call, for the model. */
  definitions(agent: AgentView): ToolDefinition[] {
    return this.allowedFor(agent).map((t) => ({
      name: t.name,
      description: t.description,
      parameters: t.parameters,
    }));
  }

  /** Runs one call through the gate; never throws. */
  async execute(call: ToolCall, ctx: ToolCallContext): Promise<ToolOutcome> {
    const started = performance.now();
    let outcome: ToolOutcome;
    let outputChars = 0;
    try {
      ({ outcome, outputChars } = await this.#run(call, ctx));
    } catch (cause) {
      outcome = failure("tool_failed", `tool "${call.name}" failed: ${messageOf(cause)}`);
    }
    try {
      this.#audit?.append({
        action: "tool.call",
        actor: `agent:${ctx.agent.id}`,
        agent_id: ctx.agent.id,
        detail: {
          tool: call.name,
          call_id: call.id,
          turn_id: ctx.turnId,
          args: auditArgs(call.args),
          ok: outcome.ok,
          error_code: outcome.error_code ?? null,
          duration_ms: Math.round(performance.now() - started),
          output_chars: outputChars,
        },
      });
    } catch (cause) {
      this.#log?.warn("could not audit a tool call", { tool: call.name, error: cause });
    }
    return outcome;
  }

  async #run(
    call: ToolCall,
    ctx: ToolCallContext,
  ): Promise<{ outcome: ToolOutcome; outputChars: number }> {
    const done = (outcome: ToolOutcome) => ({ outcome, outputChars: 0 });
    const tool = this.allowedFor(ctx.agent).find((t) => t.name === call.name);
    if (!tool) {
      const names = this.allowedFor(ctx.agent).map((t) => t.name);
      return done(failure(
        "unknown_tool",
        `tool "${call.name}" is not available to this agent; available: ${
          names.join(", ") || "(none)"
        }`,
      ));
    }
    if (ctx.signal.aborted) return done(cancelled(tool.name));
    const parsed = parseArgs(tool, call.args);
    if (!parsed.ok) return done(parsed.outcome);

    const required = requiredCapabilities(tool, parsed.args);
    const missing = missingCapabilities(ctx.agent.capabilities, required);
    const tainted = this.#taintedSink(tool, parsed.args, ctx);
    const gate = missing.length > 0
      ? undefined
      : tainted?.gate ?? this.#approvals?.gateOf(ctx.agent, tool);
    const decision = missing.length > 0
      ? "denied"
      : gate && this.#approvals
      ? "approval_required"
      : (tool.needsApproval || gate) && !this.#approvals
      ? "approval_unavailable"
      : "allowed";
    const denied = decision === "denied" || decision === "approval_unavailable";
    try {
      this.#audit?.append({
        action: denied ? "capability.denied" : "capability.allowed",
        actor: `agent:${ctx.agent.id}`,
        agent_id: ctx.agent.id,
        detail: {
          tool: tool.name,
          required,
          missing,
          decision,
          turn_id: ctx.turnId,
          ...(gate ? { gate: gate.gate } : {}),
          ...(tainted ? { taint_sources: tainted.sources } : {}),
        },
      });
    } catch (cause) {
      this.#log?.error("could not audit a capability decision", { tool: tool.name, error: cause });
      return done(failure(
        "audit_failed",
        `the call to "${tool.name}" could not be recorded in the audit log, so it was not run`,
      ));
    }
    if (decision === "denied") {
      return done(failure(
        "capability_denied",
        `tool "${tool.name}" needs ${
          missing.join(", ")
        }, which agent "${ctx.agent.name}" does not hold; the call was denied`,
      ));
    }
    if (decision === "approval_unavailable") {
      return done(failure("approval_unavailable", `tool "${tool.name}": ${APPROVALS_UNAVAILABLE}`));
    }
    if (gate) {
      const approval = await this.#approvals!.wait({
        agent: ctx.agent,
        turnId: ctx.turnId,
        callId: call.id,
        tool: tool.name,
        args: parsed.args as Record<string, unknown>,
        risk: tool.risk,
        ...gate,
        ...(tainted ? { taint: tainted.sources } : {}),
      }, ctx.signal);
      if (approval.status !== "approved") return done(refusedBy(tool.name, approval));
    }
    const outcome = await this.#invoke(tool, parsed.args, { ...ctx, callId: call.id });
    if (tool.outsideContent && ctx.taint && outcome.ok) {
      ctx.taint.add({ kind: "tool", tool: tool.name, ...tool.outsideContent(parsed.args) });
    }
    if (!outcome.ok) return done(outcome);
    return {
      outcome: {
        ok: true,
        output: truncateOutput(redactText(outcome.output), this.#maxOutputChars),
      },
      outputChars: outcome.output.length,
    };
  }

  /**
   * The taint gate of a call to a high-risk sink in a tainted turn (with the
   * taint's sources, for the approval), or undefined when it needs none.
   */
  #taintedSink(
    tool: Tool,
    args: unknown,
    ctx: ToolCallContext,
  ): { gate: { gate: "taint"; rule: string }; sources: TaintSource[] } | undefined {
    const taint = ctx.taint;
    if (!this.#taintGate || !taint?.tainted || !tool.taintSink) return undefined;
    const why = tool.taintSink(args, { agent: ctx.agent, taint });
    if (why === undefined) return undefined;
    return {
      gate: {
        gate: "taint",
        rule: `${why}, and this turn took in outside content (${
          describeTaint(taint.sources)
        }); [security] taint makes it wait for approval`,
      },
      sources: taint.sources.map((s) => ({ ...s })),
    };
  }

  /** Runs the handler, returning at the timeout or turn abort even if it ignores its signal. */
  async #invoke(
    tool: Tool,
    args: unknown,
    ctx: ToolCallContext & { callId: string },
  ): Promise<ToolOutcome> {
    const limit = tool.timeoutMs ?? this.#timeoutMs;
    const timeout = new AbortController();
    const signal = AbortSignal.any([ctx.signal, timeout.signal]);
    let timer: ReturnType<typeof setTimeout> | undefined;
    let onAbort: (() => void) | undefined;
    const stopped = new Promise<ToolOutcome>((resolve) => {
      timer = setTimeout(() => {
        // Abort first: a handler that settles at once with a TalonError (e.g.
        // agent_send saying its target waits for an approval) explains the timeout.
        timeout.abort(new DOMException(`tool "${tool.name}" timed out`, "TimeoutError"));
        timer = setTimeout(() =>
          resolve(failure(
            "timeout",
            `tool "${tool.name}" did not finish within ${limit} ms and was stopped`,
          )), 0);
      }, limit);
      onAbort = () => resolve(cancelled(tool.name));
      ctx.signal.addEventListener("abort", onAbort, { once: true });
    });
    const ran = (async () => await tool.handler(args, { ...ctx, signal }))().then(
      (output): ToolOutcome => ({
        ok: true,
        output: typeof output === "string" ? output : String(output ?? ""),
      }),
      (cause): ToolOutcome =>
        timeout.signal.aborted
          ? failure(
            "timeout",
            `tool "${tool.name}" did not finish within ${limit} ms${
              cause instanceof TalonError ? `: ${messageOf(cause)}` : ""
            }`,
          )
          : failure("tool_failed", `tool "${tool.name}" failed: ${messageOf(cause)}`),
    );
    try {
      return await Promise.race([ran, stopped]);
    } finally {
      clearTimeout(timer);
      ctx.signal.removeEventListener("abort", onAbort!);
    }
  }
}

/** Cuts `text` to `max` characters, saying how much was cut. */
export function truncateOutput(text: string, max: number): string {
  if (text.length <= max) return text;
  let keep = max;
  // Never leave half of a surrogate pair.
  const last = text.charCodeAt(keep - 1);
  if (keep > 0 && last >= 0xd800 && last <= 0xdbff) keep--;
  const cut = text.length - keep;
  const fmt = (n: number) => n.toLocaleString("en-US");
  return `${text.slice(0, keep)}\n[output truncated: ${fmt(cut)} of ${
    fmt(text.length)
  } characters cut]`;
}

function parseArgs(
  tool: Tool,
  args: Record<string, unknown>,
): { ok: true; args: unknown } | { ok: false; outcome: ToolOutcome } {
  if (Object.hasOwn(args, INVALID_ARGUMENTS_KEY)) {
    const raw = redactText(String(args[INVALID_ARGUMENTS_KEY])).slice(0, 200);
    return {
      ok: false,
      outcome: failure(
        "invalid_args",
        `invalid arguments for "${tool.name}": not a JSON object (got ${
          JSON.stringify(raw)
        }); send arguments as JSON matching the tool's schema`,
      ),
    };
  }
  const parsed = tool.input.safeParse(args);
  if (parsed.success) return { ok: true, args: parsed.data };
  return {
    ok: false,
    outcome: failure(
      "invalid_args",
      `invalid arguments for "${tool.name}": ${redactText(describeIssues(parsed.error))}`,
    ),
  };
}

function failure(code: string, output: string): ToolOutcome {
  return { ok: false, output, error_code: code };
}

/** What the model sees of a gated call that was not approved. */
function refusedBy(
  name: string,
  approval: Exclude<ApprovalOutcome, { status: "approved" }>,
): ToolOutcome {
  switch (approval.status) {
    case "rejected":
      return failure(
        "approval_rejected",
        `the call to "${name}" was rejected by a person and did not run${
          approval.reason ? `; their reason: ${approval.reason}` : ""
        }`,
      );
    case "expired":
      return failure(
        "approval_expired",
        `the call to "${name}" was denied and did not run: ${approval.reason}`,
      );
    case "cancelled":
      return cancelled(name);
  }
}

function cancelled(name: string): ToolOutcome {
  return failure("cancelled", `tool "${name}" was cancelled because the turn stopped`);
}

function messageOf(cause: unknown): string {
  return redactText(cause instanceof Error ? cause.message : String(cause));
}

/** Redacted arguments with long strings clipped, for an audit record. */
export function auditArgs(args: Record<string, unknown>): unknown {
  return clip(redactSecrets(args));
}

function clip(value: unknown): unknown {
  if (typeof value === "string") {
    return value.length > AUDIT_ARG_CHARS
      ? `${value.slice(0, AUDIT_ARG_CHARS)}… (${value.length} chars)`
      : value;
  }
  if (Array.isArray(value)) return value.map(clip);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, clip(v)]));
  }
  return value;
}
