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
  type MessageContent,
  nowIso,
  sessionMessages,
  transaction,
} from "../store/mod.ts";
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
  /** Stores messages of turn `turnId`, all or none. */
  append(turnId: string, messages: readonly TurnMessage[]): void;
}

/** The agent's session in SQLite: the last `historyLimit` messages of started turns. */
export function storedSession(
  db: Database,
  options: { agentId: string; historyLimit: number },
): TurnSession {
  return {
    history: () =>
      sessionMessages(db, options.agentId, { limit: options.historyLimit, promptOnly: true }),
    append: (turnId, messages) =>
      transaction(db, () => {
        for (const { role, content } of messages) {
          appendMessage(db, { agentId: options.agentId, turnId, role, content });
        }
      }),
  };
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
