/**
 * An agent's conversation as the chat shows it: turns of a user input and
 * the agent's blocks (text, tool calls with their results), built from
 * stored session messages or from a live turn's stream events. Pure and
 * browser-safe, shared by the AgentChat island and its server render.
 *
 * @module
 */
import type { SessionMessage } from "../../kernel/types.ts";

/** A tool call as a card: its args, and its result once it ended. */
export interface ToolBlock {
  kind: "tool";
  id: string;
  name: string;
  args: Record<string, unknown>;
  /** Absent while the call runs. */
  output?: string;
  ok?: boolean;
  /** Why a failed call failed (`capability_denied`, `timeout`, …). */
  errorCode?: string;
}

/** Text the agent wrote. */
export interface TextBlock {
  kind: "text";
  text: string;
}

/** One block of an agent's answer. */
export type Block = TextBlock | ToolBlock;

/** One turn: the user's input (null when it is on an older page) and the answer. */
export interface TurnView {
  key: string;
  input: string | null;
  blocks: Block[];
  /** `running` while live; else how it ended (`complete` for stored turns that did). */
  status: string;
  error?: string;
}

type ToolEnd = Pick<ToolBlock, "output" | "ok" | "errorCode">;

function withOutput(blocks: Block[], id: string, end: ToolEnd): boolean {
  for (let i = blocks.length - 1; i >= 0; i--) {
    const block = blocks[i]!;
    if (block.kind === "tool" && block.id === id) {
      blocks[i] = { ...block, ...end };
      return true;
    }
  }
  return false;
}

/** Groups stored messages (oldest first) into turns; tool results join their calls. */
export function turnsFromSession(messages: readonly SessionMessage[]): TurnView[] {
  const turns: TurnView[] = [];
  let turn: TurnView | undefined;
  for (const m of messages) {
    if (m.role === "user" || turn === undefined) {
      // How the turn ended comes from its record: a turn cut off before it
      // stored an answer (a crash before its first token) still shows it.
      turn = {
        key: `m${m.id}`,
        input: m.role === "user" ? m.text : null,
        blocks: [],
        status: m.role === "user" && m.turn_status ? m.turn_status : "complete",
      };
      if (m.role === "user" && m.turn_error) turn.error = m.turn_error;
      turns.push(turn);
      if (m.role === "user") continue;
    }
    if (m.role === "assistant") {
      if (m.text !== "") turn.blocks.push({ kind: "text", text: m.text });
      for (const call of m.tool_calls ?? []) {
        turn.blocks.push({ kind: "tool", id: call.id, name: call.name, args: call.args });
      }
      if (m.status && m.status !== "complete") turn.status = m.status;
    } else {
      const end: ToolEnd = m.error_code
        ? { output: m.text, ok: false, errorCode: m.error_code }
        : { output: m.text };
      if (!withOutput(turn.blocks, m.tool_call_id ?? "", end)) {
        turn.blocks.push({
          kind: "tool",
          id: m.tool_call_id ?? `m${m.id}`,
          name: "tool result",
          args: {},
          ...end,
        });
      }
    }
  }
  return turns;
}

/** A live turn before its first event. */
export function startTurn(key: string, input: string | null): TurnView {
  return { key, input, blocks: [], status: "running" };
}

/** The turn after one stream event (`turn.started`, `token`, `tool_start`, `tool_end`, `error`, `done`). */
export function applyEvent(turn: TurnView, type: string, data: unknown): TurnView {
  const d = (data ?? {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === "string" ? v : "");
  const blocks = [...turn.blocks];
  switch (type) {
    case "turn.started":
      return { ...turn, input: str(d.input) };
    case "token": {
      const last = blocks.at(-1);
      if (last?.kind === "text") {
        blocks[blocks.length - 1] = { ...last, text: last.text + str(d.text) };
      } else blocks.push({ kind: "text", text: str(d.text) });
      return { ...turn, blocks };
    }
    case "tool_start":
      blocks.push({
        kind: "tool",
        id: str(d.call_id),
        name: str(d.name),
        args: (d.args ?? {}) as Record<string, unknown>,
      });
      return { ...turn, blocks };
    case "tool_end": {
      const end: ToolEnd = { output: str(d.output), ok: d.ok === true };
      if (str(d.error_code)) end.errorCode = str(d.error_code);
      if (!withOutput(blocks, str(d.call_id), end)) {
        blocks.push({ kind: "tool", id: str(d.call_id), name: str(d.name), args: {}, ...end });
      }
      return { ...turn, blocks };
    }
    case "error":
      return { ...turn, error: str(d.message) || str(d.code) };
    case "done": {
      const error = d.error as { message?: unknown } | undefined;
      return {
        ...turn,
        status: str(d.status) || "completed",
        error: turn.error ?? (error ? str(error.message) : undefined),
      };
    }
    default:
      return turn;
  }
}
