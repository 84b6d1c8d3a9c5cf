/**
 * Approval requests. A gated tool call is recorded as a pending request
 * (audited as `approval.requested`, announced as an `approval` event) and its
 * turn waits — on a promise, so no other agent is held up — until a person
 * approves or rejects it, its timeout passes (`expired`), or its turn ends
 * (`cancelled`: stop, kill). Every resolution is written first (only a
 * pending row changes, once), audited as `approval.decided` with who decided,
 * then published, then the waiting call is woken.
 *
 * A request still pending when Talon shuts down stays pending in the
 * database (its turn is interrupted) and is marked `expired` at the next
 * boot by {@link ApprovalService.expireStale}, so no gated call ever runs
 * without a decision.
 *
 * @module
 */
import type { Clock } from "../clock.ts";
import type { ApprovalsConfig } from "../types.ts";
import { TalonError } from "../errors.ts";
import type { EventBus } from "../events/mod.ts";
import type { Logger } from "../log.ts";
import type { AuditChain } from "../security/mod.ts";
import * as store from "../store/mod.ts";
import {
  type ApprovalOutcome,
  auditArgs,
  type GatedCall,
  type PendingApprovalLookup,
  type ToolApprovals,
} from "../tools/mod.ts";
import type { AgentView, ApprovalListQuery, ApprovalStatus, ApprovalView } from "../types.ts";
import { approvalGateOf, type GatedTool } from "./approval_policy.ts";

/** What the approval service needs from the kernel. */
export interface ApprovalServiceDeps {
  db: store.Database;
  bus: EventBus;
  audit: Pick<AuditChain, "append">;
  log: Logger;
  clock: Clock;
  config: ApprovalsConfig;
}

/** A decision on a pending request. */
interface Resolution {
  status: Exclude<ApprovalStatus, "pending">;
  by: string;
  reason?: string;
}

/** Approval requests: the gate tool calls wait at, and the decisions people make. */
export class ApprovalService implements ToolApprovals, PendingApprovalLookup {
  readonly #deps: ApprovalServiceDeps;
  /** Wakes the call waiting on each pending request of this process. */
  readonly #waiters = new Map<string, (resolution: Resolution) => void>();
  #closing = false;

  constructor(deps: ApprovalServiceDeps) {
    this.#deps = deps;
  }

  /** Which rule makes `agent`'s calls to `tool` wait, or undefined when none does. */
  gateOf(agent: AgentView, tool: GatedTool): ReturnType<ToolApprovals["gateOf"]> {
    return approvalGateOf(this.#deps.config, agent, tool);
  }

  /** Records a request for `call` and waits for its decision, timeout or cancellation. */
  wait(call: GatedCall, signal: AbortSignal): Promise<ApprovalOutcome> {
    const { db, clock, config } = this.#deps;
    const id = crypto.randomUUID();
    if (signal.aborted || this.#closing) return Promise.resolve({ status: "cancelled", id });
    const now = clock.now();
    const createdAt = new Date(now).toISOString();
    const expiresAt = new Date(now + config.timeout_s * 1000).toISOString();
    store.transaction(db, () => {
      store.insertApproval(db, {
        id,
        agentId: call.agent.id,
        turnId: call.turnId,
        callId: call.callId,
        tool: call.tool,
        args: call.args,
        risk: call.risk,
        gate: call.gate,
        rule: call.rule,
        taint: call.taint,
        createdAt,
        expiresAt,
      });
      this.#deps.audit.append({
        action: "approval.requested",
        actor: `agent:${call.agent.id}`,
        agent_id: call.agent.id,
        detail: {
          approval_id: id,
          tool: call.tool,
          turn_id: call.turnId,
          call_id: call.callId,
          args: auditArgs(call.args),
          risk: call.risk,
          gate: call.gate,
          rule: call.rule,
          ...(call.taint?.length ? { taint_sources: call.taint } : {}),
          expires_at: expiresAt,
        },
      });
    });
    this.#announce(store.getApproval(db, id)!);
    this.#deps.log.info("tool call waits for approval", {
      approval_id: id,
      agent_id: call.agent.id,
      tool: call.tool,
    });
    return new Promise<ApprovalOutcome>((resolve) => {
      const timer = clock.setTimeout(() => {
        this.#settleQuietly(id, {
          status: "expired",
          by: "system",
          reason: `nobody approved it within ${config.timeout_s} s (approvals.timeout_s)`,
        });
      }, config.timeout_s * 1000);
      const onAbort = () => {
        // Shutting down: the request stays pending and expires at the next boot.
        if (this.#closing) return wake({ status: "cancelled", by: "system" });
        const why = signal.reason instanceof Error ? signal.reason.message : "the turn ended";
        this.#settleQuietly(id, {
          status: "cancelled",
          by: "system",
          reason: `its turn ended before a decision (${why})`,
        });
      };
      const wake = (resolution: Resolution) => {
        clock.clearTimeout(timer);
        signal.removeEventListener("abort", onAbort);
        this.#waiters.delete(id);
        resolve(outcomeOf(id, resolution));
      };
      this.#waiters.set(id, wake);
      signal.addEventListener("abort", onAbort, { once: true });
    });
  }

  /** Requests newest first (50 unless `limit`), by status and agent (id or name). */
  list(query: Partial<ApprovalListQuery> = {}): ApprovalView[] {
    return store.listApprovals(this.#deps.db, {
      status: query.status,
      agentId: query.agent === undefined
        ? undefined
        : store.findAgent(this.#deps.db, query.agent).id,
      limit: query.limit ?? 50,
    });
  }

  /** The request with `id`; `not_found` otherwise. */
  get(id: string): ApprovalView {
    const found = store.getApproval(this.#deps.db, id);
    if (!found) {
      throw new TalonError(
        "not_found",
        `no approval request "${id}"; list them with talon approval list`,
      );
    }
    return found;
  }

  /** How many requests wait for a decision. */
  pendingCount(): number {
    return store.countPendingApprovals(this.#deps.db);
  }

  /** The pending request turn `turnId` waits on, if any. */
  pendingForTurn(turnId: string): ApprovalView | undefined {
    return store.listApprovals(this.#deps.db, { status: "pending", turnId, limit: 1 })[0];
  }

  /**
   * Approves a pending request: the call runs. `actor` is who decided (e.g.
   * `token:<id>`). A request no longer pending is `illegal_transition` (409).
   */
  approve(id: string, options: { actor: string }): ApprovalView {
    return this.#decide(id, { status: "approved", by: options.actor });
  }

  /**
   * Rejects a pending request: the call is denied and the model sees
   * `reason`. A request no longer pending is `illegal_transition` (409).
   */
  reject(id: string, options: { actor: string; reason?: string }): ApprovalView {
    const reason = options.reason?.trim();
    return this.#decide(id, { status: "rejected", by: options.actor, reason: reason || undefined });
  }

  /**
   * At boot: marks every request left pending by the last run `expired`
   * (its turn was interrupted, so its call never runs); returns how many.
   */
  expireStale(): number {
    const ids = store.pendingApprovalIds(this.#deps.db);
    for (const id of ids) {
      this.#resolve(id, {
        status: "expired",
        by: "system",
        reason: "Talon restarted while it was pending; the call did not run",
      });
    }
    return ids.length;
  }

  /** From now on, turns that end leave their requests pending for the next boot to expire. */
  close(): void {
    this.#closing = true;
  }

  #decide(id: string, resolution: Resolution): ApprovalView {
    if (typeof resolution.by !== "string" || resolution.by.trim() === "") {
      throw new TypeError("an approval decision needs the actor who made it");
    }
    if (this.#closing) {
      throw new TalonError(
        "shutting_down",
        "Talon is shutting down; pending requests expire at the next start",
      );
    }
    const request = this.get(id);
    if (request.status !== "pending" || !this.#resolve(id, resolution)) {
      const current = this.get(id);
      throw new TalonError(
        "illegal_transition",
        `approval request ${id} is already ${current.status}${
          current.decided_by ? ` (by ${current.decided_by} at ${current.decided_at})` : ""
        }; only a pending request can be decided`,
        { details: { status: current.status } },
      );
    }
    return this.get(id);
  }

  /**
   * Writes a resolution (false when the request was not pending), audits and
   * publishes it, and wakes the waiting call.
   */
  #resolve(id: string, resolution: Resolution): boolean {
    const { db } = this.#deps;
    const at = new Date(this.#deps.clock.now()).toISOString();
    const request = store.transaction(db, () => {
      if (!store.decideApproval(db, id, { ...resolution, at })) return undefined;
      const decided = store.getApproval(db, id)!;
      this.#deps.audit.append({
        action: "approval.decided",
        actor: resolution.by,
        agent_id: decided.agent_id,
        detail: {
          approval_id: id,
          tool: decided.tool,
          turn_id: decided.turn_id,
          status: resolution.status,
          reason: resolution.reason ?? null,
        },
      });
      return decided;
    });
    if (!request) return false;
    this.#announce(request);
    this.#waiters.get(id)?.(resolution);
    return true;
  }

  /** {@link #resolve} from a timer or abort listener: failures are logged, and the call denied. */
  #settleQuietly(id: string, resolution: Resolution): void {
    try {
      this.#resolve(id, resolution);
    } catch (error) {
      this.#deps.log.error("could not record an approval resolution", { approval_id: id, error });
      this.#waiters.get(id)?.({ ...resolution, status: "cancelled" });
    }
  }

  #announce(request: ApprovalView): void {
    this.#deps.bus.publish("approval", {
      id: request.id,
      status: request.status,
      tool: request.tool,
      risk: request.risk,
      expires_at: request.expires_at,
      decided_by: request.decided_by,
      pending: this.pendingCount(),
    }, { agentId: request.agent_id, turnId: request.turn_id });
  }
}

function outcomeOf(id: string, resolution: Resolution): ApprovalOutcome {
  switch (resolution.status) {
    case "approved":
      return { status: "approved", id, by: resolution.by };
    case "rejected":
      return { status: "rejected", id, by: resolution.by, reason: resolution.reason ?? null };
    case "expired":
      return { status: "expired", id, reason: resolution.reason ?? "it expired" };
    case "cancelled":
      return { status: "cancelled", id };
  }
}
