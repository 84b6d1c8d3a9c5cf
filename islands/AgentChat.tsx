/**
 * The agent's conversation: stored history (older pages on demand) and live
 * turns, agent text rendered as markdown (islands/lib/markdown.ts; loaded by
 * {@link prepare} before hydration). Operators get a composer: Enter (or
 * Ctrl/Cmd+Enter) posts the message to `POST /api/agents/{id}/message/stream`
 * and Shift+Enter adds a line; tokens and tool calls appear as they stream,
 * applied once per animation frame so only the streaming message re-renders;
 * meanwhile Send becomes Stop (`POST /api/agents/{id}/stop`). A refused send
 * keeps the text and says why under it. On load (and whenever a turn starts
 * elsewhere, seen on `/api/events/stream`) it re-attaches to the running turn
 * with `GET …/turns/current/stream`, which replays the turn from its start.
 * After each turn (and each state change from AgentControls) the page's live
 * sections — state, facts, usage, audit — are refreshed from a fresh render
 * (islands/lib/page_sections.ts). Without JavaScript the history renders, "Older
 * messages" is a link and the composer is a form POST to the page.
 *
 * @module
 */
import { useSignal } from "@preact/signals";
import type {
  JSX,
  TargetedEvent,
  TargetedKeyboardEvent,
  TargetedMouseEvent,
  TargetedSubmitEvent,
} from "preact";
import { useEffect, useMemo, useRef } from "preact/hooks";
import { MessageBody } from "../kernel/schemas/message_body.ts";
import type { SessionMessage, SessionPage } from "../kernel/types.ts";
import { ApiCallError, apiFetch, apiJson } from "./lib/api_fetch.ts";
import { TurnItem } from "./lib/chat_parts.tsx";
import { copyCode } from "./lib/code_copy.ts";
import { loadMarkdown } from "./lib/markdown_lazy.ts";
import { refreshSections } from "./lib/page_sections.ts";
import { postForEvents, readEvents } from "./lib/sse_stream.ts";
import { applyEvent, startTurn, turnsFromSession, type TurnView } from "./lib/turn_view.ts";

/** Loads the markdown renderer; islands/lib/boot.ts awaits it before hydrating. */
export async function prepare(): Promise<void> {
  await loadMarkdown();
}

/** Props of the chat. */
export interface AgentChatProps {
  agentId: string;
  agentName: string;
  state: string;
  /** Operator or above: show the composer and Stop. */
  canSend: boolean;
  /** A page of the session, oldest first (without the running turn's messages). */
  messages: SessionMessage[];
  nextBefore: number | null;
  /** Page size for older pages. */
  limit: number;
  /** The turn running when the page rendered: its messages give way to the live replay. */
  runningTurn: string | null;
  /** Text and error of a composer POST without JavaScript. */
  draft?: string;
  error?: string;
}

function messageOf(cause: unknown): string {
  return cause instanceof ApiCallError
    ? cause.message
    : `request failed: ${(cause as Error).message}`;
}

/** History, live turns and (for operators) the composer. */
export default function AgentChat(props: AgentChatProps): JSX.Element {
  const base = `/api/agents/${encodeURIComponent(props.agentId)}`;
  const history = useSignal(props.messages);
  const nextBefore = useSignal(props.nextBefore);
  const live = useSignal<TurnView[]>([]);
  const busy = useSignal(false);
  const stopping = useSignal(false);
  const error = useSignal(props.error ?? "");
  const state = useSignal(props.state);
  const draft = useSignal(props.draft ?? "");
  const status = useSignal("");
  const hydrated = useSignal(false);
  const scroller = useRef<HTMLDivElement>(null);

  function updateLast(fn: (turn: TurnView) => TurnView): void {
    const turns = [...live.value];
    const last = turns.at(-1);
    if (!last) return;
    turns[turns.length - 1] = fn(last);
    live.value = turns;
  }

  /** Re-reads the page's live sections; tells AgentControls when the state changed. */
  async function refresh(): Promise<void> {
    const fresh = await refreshSections().catch(() => undefined);
    const next = fresh?.querySelector("[data-agent-state]")?.getAttribute("data-agent-state");
    if (next && next !== state.value) {
      state.value = next;
      dispatchEvent(new CustomEvent("talon:agent-state", { detail: next }));
    }
  }

  async function follow(response: Response, turn: TurnView): Promise<void> {
    busy.value = true;
    status.value = `${props.agentName} is replying…`;
    live.value = [...live.value, turn];
    // Events are applied once per frame: one re-render of the streaming message per frame.
    let pending: [string, unknown][] = [];
    let frame = 0;
    const flush = () => {
      frame = 0;
      const batch = pending;
      pending = [];
      if (batch.length) {
        updateLast((t) => batch.reduce((acc, [type, data]) => applyEvent(acc, type, data), t));
      }
    };
    try {
      for await (const event of readEvents(response)) {
        let data: unknown = {};
        try {
          data = JSON.parse(event.data);
        } catch {
          // a keep-alive or malformed event: nothing to apply
        }
        pending.push([event.event ?? "message", data]);
        if (event.event === "done") flush();
        else if (!frame) frame = requestAnimationFrame(flush);
      }
    } catch (cause) {
      cancelAnimationFrame(frame);
      flush();
      updateLast((t) => ({
        ...t,
        error: t.error ?? `lost the stream: ${(cause as Error).message}`,
      }));
    } finally {
      cancelAnimationFrame(frame);
      flush();
      updateLast((t) => (t.status === "running" ? { ...t, status: "disconnected" } : t));
      const last = live.value.at(-1);
      status.value = `Reply ${
        last?.status === "completed" ? "finished" : last?.status ?? "ended"
      }.`;
      busy.value = false;
      stopping.value = false;
      void refresh();
    }
  }

  /** Follows the running turn; false when none runs. */
  async function attach(replaces?: string): Promise<boolean> {
    if (busy.value) return true;
    busy.value = true;
    let response: Response;
    try {
      response = await apiFetch("GET", `${base}/turns/current/stream`, {
        headers: { accept: "text/event-stream" },
      });
      if (response.status === 204) {
        busy.value = false;
        return false;
      }
    } catch (cause) {
      busy.value = false;
      throw cause;
    }
    // The replay starts with the turn's input: drop what history showed of it.
    if (replaces) history.value = history.value.filter((m) => m.turn_id !== replaces);
    void follow(response, startTurn(`live-${Date.now()}`, null));
    return true;
  }

  async function latest(): Promise<void> {
    const page = await apiJson<SessionPage>("GET", `${base}/session?limit=${props.limit}`);
    if (!page) return;
    history.value = page.messages;
    nextBefore.value = page.next_before;
    live.value = [];
  }

  useEffect(() => {
    hydrated.value = true;
    attach(props.runningTurn ?? undefined).then(async (attached) => {
      // The turn seen at render ended before we attached: show how it ended.
      if (!attached && props.runningTurn) await latest();
    }).catch((cause) => (error.value = messageOf(cause)));
    const onState = (event: Event) => {
      const next = String((event as CustomEvent).detail);
      if (next === state.value) return;
      state.value = next;
      void refresh();
    };
    addEventListener("talon:agent-state", onState);
    const started = new EventSource(
      `/api/events/stream?agent_id=${encodeURIComponent(props.agentId)}&types=turn.started`,
    );
    started.addEventListener("turn.started", () => {
      if (!busy.value) attach().catch((cause) => (error.value = messageOf(cause)));
    });
    return () => {
      removeEventListener("talon:agent-state", onState);
      started.close();
    };
  }, []);

  // Keep the newest output in view while it streams, unless the reader scrolled up.
  useEffect(() => {
    const box = scroller.current;
    if (box && box.scrollHeight - box.scrollTop - box.clientHeight < 160) {
      box.scrollTop = box.scrollHeight;
    }
  }, [live.value]);

  async function send(text: string): Promise<void> {
    const parsed = MessageBody.safeParse({ text });
    if (!parsed.success) {
      error.value = `Message ${parsed.error.issues[0]?.message ?? "is not valid"}.`;
      return;
    }
    error.value = "";
    busy.value = true;
    let response: Response;
    try {
      response = await postForEvents(`${base}/message/stream`, parsed.data);
    } catch (cause) {
      error.value = messageOf(cause);
      busy.value = false;
      return;
    }
    draft.value = "";
    await follow(response, startTurn(`live-${Date.now()}`, text));
  }

  async function stop(): Promise<void> {
    stopping.value = true;
    try {
      await apiJson("POST", `${base}/stop`);
    } catch (cause) {
      error.value = messageOf(cause);
      stopping.value = false;
    }
  }

  async function older(event: Event): Promise<void> {
    event.preventDefault();
    const before = nextBefore.value;
    if (before === null) return;
    try {
      const page = await apiJson<SessionPage>(
        "GET",
        `${base}/session?limit=${props.limit}&before=${before}`,
      );
      if (!page) return;
      history.value = [...page.messages, ...history.value];
      nextBefore.value = page.next_before;
    } catch (cause) {
      error.value = messageOf(cause);
    }
  }

  function onSubmit(event: TargetedSubmitEvent<HTMLFormElement>): void {
    event.preventDefault();
    if (!busy.value) void send(draft.value);
  }

  /** Enter and Ctrl/Cmd+Enter send; Shift+Enter (and Enter while composing text) add a line. */
  function onKeyDown(event: TargetedKeyboardEvent<HTMLTextAreaElement>): void {
    if (event.key !== "Enter" || event.shiftKey || event.altKey || event.isComposing) return;
    event.preventDefault();
    event.currentTarget.form?.requestSubmit();
  }

  function onTranscriptClick(event: TargetedMouseEvent<HTMLDivElement>): void {
    void copyCode(event).then((said) => {
      if (said) status.value = said;
    });
  }

  const past = useMemo(() => turnsFromSession(history.value), [history.value]);
  const turns = [...past, ...live.value];
  const killed = state.value === "killed";
  const invalid = error.value !== "";
  return (
    <div class="chat" data-live={hydrated.value ? "" : undefined}>
      <div
        class="transcript"
        ref={scroller}
        tabindex={0}
        role="region"
        aria-label={`Conversation with ${props.agentName}`}
        onClick={onTranscriptClick}
      >
        {nextBefore.value !== null && (
          <p class="transcript-older">
            <a class="btn btn-small" href={`?before=${nextBefore.value}#chat`} onClick={older}>
              Older messages
            </a>
          </p>
        )}
        {turns.length === 0
          ? <p class="muted transcript-empty">No messages yet.</p>
          : (
            <ol class="turns">
              {turns.map((turn) => (
                <TurnItem key={turn.key} turn={turn} agentName={props.agentName} />
              ))}
            </ol>
          )}
      </div>
      {props.runningTurn && !hydrated.value && (
        <p class="muted">{props.agentName} is replying; reload the page to see the answer.</p>
      )}
      <p class="visually-hidden" role="status">{status.value}</p>
      {props.canSend && (
        <form
          method="post"
          action={`/agents/${encodeURIComponent(props.agentId)}#chat`}
          class="composer"
          onSubmit={onSubmit}
        >
          <input type="hidden" name="action" value="message" />
          <div class={invalid ? "field field-invalid" : "field"}>
            <label for="chat-text">Message</label>
            <textarea
              {
                // A spread, so the server render (precompiled JSX) writes the value as content.
                ...{ value: draft.value }
              }
              id="chat-text"
              name="text"
              rows={3}
              disabled={killed}
              placeholder={killed ? "This agent is killed." : `Message ${props.agentName}…`}
              aria-describedby={invalid ? "chat-hint chat-error" : "chat-hint"}
              aria-invalid={invalid ? "true" : undefined}
              onInput={(
                e: TargetedEvent<HTMLTextAreaElement>,
              ) => (draft.value = e.currentTarget.value)}
              onKeyDown={onKeyDown}
            />
            <p id="chat-hint" class="field-hint">
              {state.value === "paused"
                ? "The agent is paused: resume it to send messages."
                : hydrated.value
                ? "Enter sends; Shift+Enter adds a line."
                : "Press Send to send."}
            </p>
            {invalid && <p id="chat-error" class="field-error" role="alert">{error.value}</p>}
          </div>
          <div class="actions">
            {
              /* One button, so focus stays on it as Send turns into Stop and back. */
            }
            {busy.value
              ? (
                <button
                  type="button"
                  class="btn btn-danger"
                  onClick={() => void stop()}
                  disabled={stopping.value}
                >
                  {stopping.value ? "Stopping…" : "Stop"}
                </button>
              )
              : (
                <button type="submit" class="btn btn-primary" disabled={killed}>
                  Send
                </button>
              )}
          </div>
        </form>
      )}
      {!props.canSend && invalid && <p class="field-error" role="alert">{error.value}</p>}
    </div>
  );
}
