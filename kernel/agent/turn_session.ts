/**
 * Where a turn reads the history its prompt is built from and writes the
 * messages it produces: the agent's stored session, or an ephemeral one
 * (an OpenAI-compatible request's own messages) that is never stored.
 *
 * @module
 */
import {
  appendMessage,
  type Database,
  latestSummary,
  type MessageContent,
  nowIso,
  sessionMessages,
  transaction,
} from "../store/mod.ts";
import type { PromptMessage } from "../llm/mod.ts";
import type { SessionMessage } from "../types.ts";

/** One message a turn produces. */
export interface TurnMessage {
  role: SessionMessage["role"];
  content: MessageContent;
}

/** A turn's view of its session. */
export interface TurnSession {
  /** The history a prompt is built from, oldest first. */
  history(): SessionMessage[];
  /**
   * The summary standing in for the turns before {@link history} (session
   * compaction), as of the last `history()` call; undefined when none.
   */
  summary?(): string | undefined;
  /** Stores messages of turn `turnId`, all or none. */
  append(turnId: string, messages: readonly TurnMessage[]): void;
}

/**
 * Session `sessionId` of the agent in SQLite: its newest summary, and the
 * last `historyLimit` messages of started turns after what the summary covers.
 */
export function storedSession(
  db: Database,
  options: { agentId: string; sessionId: string; historyLimit: number },
): TurnSession {
  let summary: string | undefined;
  return {
    history: () => {
      const latest = latestSummary(db, options.sessionId);
      summary = latest?.text;
      return sessionMessages(db, options.agentId, {
        limit: options.historyLimit,
        promptOnly: true,
        sessionId: options.sessionId,
        afterSeq: latest?.through_seq,
      });
    },
    summary: () => summary,
    append: (turnId, messages) =>
      transaction(db, () => {
        for (const { role, content } of messages) {
          appendMessage(db, { agentId: options.agentId, turnId, role, content });
        }
      }),
  };
}

/** Heading of the summary message in a prompt. */
export const SUMMARY_HEADING = "Summary of the earlier part of this conversation:";

/** The prompt with the session's summary as a system message after the system prompt. */
export function withSummary(prompt: PromptMessage[], summary: string | undefined): PromptMessage[] {
  if (summary === undefined) return prompt;
  const at = prompt.findIndex((m) => m.role !== "system");
  const message: PromptMessage = { role: "system", text: `${SUMMARY_HEADING}\n${summary}` };
  const index = at < 0 ? prompt.length : at;
  return [...prompt.slice(0, index), message, ...prompt.slice(index)];
}

/** A session held in memory for one turn; nothing is stored. */
export class EphemeralSession implements TurnSession {
  readonly #messages: SessionMessage[];

  constructor(initial: readonly SessionMessage[]) {
    this.#messages = [...initial];
  }

  history(): SessionMessage[] {
    return [...this.#messages];
  }

  /** The texts of the assistant messages of `turnId`, non-empty ones joined by a blank line. */
  assistantText(turnId: string): string {
    return this.#messages
      .filter((m) => m.turn_id === turnId && m.role === "assistant" && m.text !== "")
      .map((m) => m.text)
      .join("\n\n");
  }

  append(turnId: string, messages: readonly TurnMessage[]): void {
    for (const { role, content } of messages) {
      this.#messages.push({
        id: this.#messages.length + 1,
        turn_id: turnId,
        role,
        created_at: nowIso(),
        ...content,
      });
    }
  }
}
