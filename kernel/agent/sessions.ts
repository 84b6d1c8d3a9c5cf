/**
 * An agent's many sessions: list, read, label, switch, reset (a new session;
 * the old one stays), export, and compaction by hand. A session id is only
 * ever looked up together with its agent, so one agent (a child, say) never
 * reaches another's sessions. Switching and resetting wait until the agent
 * has no turn queued or running: that turn's context would change under it.
 *
 * @module
 */
import { TalonError } from "../errors.ts";
import * as store from "../store/mod.ts";
import type {
  AgentView,
  CompactResult,
  SessionExport,
  SessionExportQuery,
  SessionList,
  SessionListQuery,
  SessionMessage,
  SessionPage,
  SessionPatch,
  SessionQuery,
  SessionReset,
  SessionView,
} from "../types.ts";
import { type CompactionDeps, compactSession } from "./compaction.ts";

/** Messages read per page while exporting. */
const EXPORT_PAGE = 500;

/** An export: its file name, content type and the text, produced in pieces. */
export interface SessionExportFile {
  filename: string;
  contentType: string;
  chunks: Iterable<string>;
}

/** What the session service needs. */
export interface SessionServiceDeps extends CompactionDeps {
  /** Looks an agent up by id or name (`not_found` otherwise). */
  agent(ref: string): AgentView;
}

/** Sessions of every agent. */
export class SessionService {
  readonly #deps: SessionServiceDeps;

  constructor(deps: SessionServiceDeps) {
    this.#deps = deps;
  }

  /** The agent's sessions, newest first. */
  list(ref: string, query: SessionListQuery): SessionList {
    const agent = this.#deps.agent(ref);
    return { sessions: store.listSessionRecords(this.#deps.db, agent.id, query) };
  }

  /** One session of the agent; `not_found` when the agent has no session with that id. */
  get(ref: string, sessionId: string): SessionView {
    const agent = this.#deps.agent(ref);
    return this.#session(agent, sessionId);
  }

  /** A page of one session's messages, oldest first, with the cursor to the page before it. */
  page(ref: string, sessionId: string, query: SessionQuery): SessionPage {
    const agent = this.#deps.agent(ref);
    this.#session(agent, sessionId);
    const { db } = this.#deps;
    const messages = store.sessionMessages(db, agent.id, { ...query, sessionId });
    const first = messages[0];
    const more = first !== undefined && messages.length === query.limit &&
      store.sessionMessages(db, agent.id, { limit: 1, before: first.id, sessionId }).length > 0;
    return { messages, next_before: more ? first.id : null };
  }

  /** Sets a session's label. */
  label(
    ref: string,
    sessionId: string,
    patch: SessionPatch & { actor?: string },
  ): SessionView {
    const { db } = this.#deps;
    const agent = this.#deps.agent(ref);
    this.#session(agent, sessionId);
    store.transaction(db, () => {
      store.setSessionLabel(db, agent.id, { sessionId, label: patch.label });
      this.#deps.audit.append({
        action: "session.label",
        actor: patch.actor ?? "system",
        agent_id: agent.id,
        detail: { session_id: sessionId, label: patch.label },
      });
    });
    return this.#session(agent, sessionId);
  }

  /** Makes one of the agent's sessions current: its next turn continues it. */
  switchTo(ref: string, sessionId: string, options: { actor?: string } = {}): SessionView {
    const { db } = this.#deps;
    const agent = this.#deps.agent(ref);
    const session = this.#session(agent, sessionId);
    if (session.current) return session;
    this.#assertIdle(agent, "switch sessions");
    store.transaction(db, () => {
      const from = store.currentSessionId(db, agent.id) ?? null;
      store.makeSessionCurrent(db, agent.id, sessionId);
      this.#deps.audit.append({
        action: "session.switch",
        actor: options.actor ?? "system",
        agent_id: agent.id,
        detail: { from, to: sessionId },
      });
    });
    return this.#session(agent, sessionId);
  }

  /**
   * Starts a new, empty current session; the previous one and its messages
   * are kept (switch back to it by id). Refused while a turn is queued or running.
   */
  reset(ref: string, options: { actor?: string; label?: string } = {}): SessionReset {
    const { db } = this.#deps;
    const agent = this.#deps.agent(ref);
    this.#assertIdle(agent, "reset the session");
    const { previous, id } = store.transaction(db, () => {
      const previous = store.currentSessionId(db, agent.id) ?? null;
      const id = store.startSession(db, agent.id, options.label ?? "");
      this.#deps.audit.append({
        action: "session.reset",
        actor: options.actor ?? "system",
        agent_id: agent.id,
        detail: { previous_session_id: previous, session_id: id },
      });
      return { previous, id };
    });
    return { agent_id: agent.id, session: this.#session(agent, id), previous_session_id: previous };
  }

  /**
   * Compacts the agent's current session now, whatever its size: the older
   * turns are summarised by the agent's model (metered, budget-checked).
   */
  async compact(ref: string, options: { actor?: string } = {}): Promise<CompactResult> {
    const agent = this.#deps.agent(ref);
    const sessionId = store.currentSessionId(this.#deps.db, agent.id);
    if (sessionId === undefined) {
      return {
        agent_id: agent.id,
        session_id: null,
        compacted: false,
        summary: null,
        kept_messages: 0,
      };
    }
    return await compactSession(this.#deps, agent, {
      sessionId,
      trigger: "manual",
      actor: options.actor,
    });
  }

  /**
   * A session as a file: `json` (the {@link SessionExport} shape: every
   * message oldest first, and the summaries) or `md` (a readable transcript).
   * Messages are read page by page as the file is produced.
   */
  export(ref: string, sessionId: string, query: SessionExportQuery): SessionExportFile {
    const agent = this.#deps.agent(ref);
    const session = this.#session(agent, sessionId);
    const summaries = store.listSummaries(this.#deps.db, sessionId);
    const messages = this.#messages(sessionId);
    const base = `${agent.name}-session-${sessionId.slice(0, 8)}`;
    if (query.format === "md") {
      return {
        filename: `${base}.md`,
        contentType: "text/markdown; charset=utf-8",
        chunks: markdownChunks(agent, session, messages),
      };
    }
    const head: Omit<SessionExport, "messages"> = {
      agent: { id: agent.id, name: agent.name },
      session,
      summaries,
      exported_at: new Date().toISOString(),
    };
    return {
      filename: `${base}.json`,
      contentType: "application/json; charset=utf-8",
      chunks: jsonChunks(head, messages),
    };
  }

  /** Every message of a session, oldest first, read a page at a time. */
  *#messages(sessionId: string): Generator<SessionMessage> {
    let after = 0;
    for (;;) {
      const page = store.sessionMessagesAfter(this.#deps.db, sessionId, {
        after,
        limit: EXPORT_PAGE,
      });
      yield* page;
      if (page.length < EXPORT_PAGE) return;
      after = page.at(-1)!.id;
    }
  }

  #session(agent: AgentView, sessionId: string): SessionView {
    const session = store.getSessionRecord(this.#deps.db, agent.id, sessionId);
    if (!session) {
      throw new TalonError(
        "not_found",
        `agent "${agent.name}" has no session ${sessionId}; list its sessions with \`talon session list ${agent.name}\``,
      );
    }
    return session;
  }

  #assertIdle(agent: AgentView, what: string): void {
    if (store.hasOpenSessionTurns(this.#deps.db, agent.id)) {
      throw new TalonError(
        "illegal_transition",
        `agent "${agent.name}" has a turn running or queued; stop it or wait, then ${what}`,
      );
    }
  }
}

function* jsonChunks(
  head: Omit<SessionExport, "messages">,
  messages: Iterable<SessionMessage>,
): Generator<string> {
  const open = JSON.stringify(head, null, 2);
  yield `${open.slice(0, open.lastIndexOf("}")).trimEnd()},\n  "messages": [`;
  let first = true;
  for (const message of messages) {
    yield `${first ? "" : ","}\n    ${JSON.stringify(message)}`;
    first = false;
  }
  yield "\n  ]\n}\n";
}

function* markdownChunks(
  agent: AgentView,
  session: SessionView,
  messages: Iterable<SessionMessage>,
): Generator<string> {
  const label = session.label === "" ? "" : ` — ${session.label}`;
  yield `# Session of ${agent.name}${label}\n\n- Session: ${session.id}\n- Started: ${session.created_at}\n- Messages: ${session.message_count}\n`;
  for (const m of messages) {
    const who = m.role === "user" ? "User" : m.role === "assistant" ? "Assistant" : "Tool result";
    const status = m.status && m.status !== "complete" ? ` (${m.status})` : "";
    let text = `\n## ${who}${status} · ${m.created_at}\n\n${m.text}\n`;
    for (const call of m.tool_calls ?? []) {
      text += `\nTool call \`${call.name}\`:\n\n\`\`\`json\n${
        JSON.stringify(call.args, null, 2)
      }\n\`\`\`\n`;
    }
    yield text;
  }
}
