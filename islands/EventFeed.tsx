/**
 * The overview's recent events. The server renders the newest events; once
 * hydrated, an `EventSource` on `GET /api/events/stream?after=<newest id>`
 * prepends new ones (the browser resumes with `Last-Event-ID` after a
 * reconnect), keeping at most {@link FEED_LIMIT}. A `gap` (events missed
 * while behind) is said in the status line.
 *
 * @module
 */
import { useSignal } from "@preact/signals";
import type { JSX } from "preact";
import { useEffect } from "preact/hooks";
import { formatTs } from "../kernel/format.ts";
import type { TalonEventWire } from "../kernel/types.ts";
import { apiJson } from "./lib/api_fetch.ts";
import { describeEvent, eventTone, FEED_LIMIT, FEED_TYPES } from "./lib/ops_format.ts";

/** Props: the newest events (newest first) and agent names by id. */
export interface EventFeedProps {
  events: TalonEventWire[];
  agents: Record<string, string>;
}

type Status = "static" | "connecting" | "live" | "reconnecting" | "gap";

const STATUS_TEXT: Record<Status, string> = {
  static: "Showing the newest events; live updates need JavaScript.",
  connecting: "Connecting to live updates…",
  live: "Live: new events appear at the top.",
  reconnecting: "Connection lost; reconnecting…",
  gap: "Some events were skipped while the feed was behind; reload to see them all.",
};

/** A bounded list of events, newest first, live once hydrated. */
export default function EventFeed(props: EventFeedProps): JSX.Element {
  const events = useSignal<TalonEventWire[]>(props.events);
  const status = useSignal<Status>("static");
  const names = useSignal<Record<string, string>>(props.agents);

  /** Learns the name of an agent spawned after the page was rendered. */
  async function learnName(id: string): Promise<void> {
    let name = id.slice(0, 8);
    try {
      const agent = await apiJson<{ name: string }>("GET", `/api/agents/${encodeURIComponent(id)}`);
      if (agent) name = agent.name;
    } catch {
      // keep the short id
    }
    names.value = { ...names.value, [id]: name };
  }

  useEffect(() => {
    // Hydrated: the no-JavaScript note gives way until the stream opens.
    status.value = "connecting";
    const after = events.value[0]?.id ?? 0;
    const url = `/api/events/stream?types=${FEED_TYPES.join(",")}&after=${after}`;
    const source = new EventSource(url);
    source.onopen = () => {
      if (status.value !== "gap") status.value = "live";
    };
    source.onerror = () => {
      status.value = "reconnecting";
    };
    // Events are shown in arrival order, each once its agent's name is known
    // (an agent spawned after the page rendered is looked up first).
    let shown = Promise.resolve();
    const onEvent = (message: MessageEvent<string>) => {
      const event = JSON.parse(message.data) as TalonEventWire;
      shown = shown.then(async () => {
        if (events.value.some((e) => e.id === event.id)) return;
        if (event.agent_id && !(event.agent_id in names.value)) await learnName(event.agent_id);
        events.value = [event, ...events.value].slice(0, FEED_LIMIT);
      });
    };
    for (const type of FEED_TYPES) source.addEventListener(type, onEvent);
    source.addEventListener("gap", () => {
      status.value = "gap";
    });
    return () => source.close();
  }, []);

  return (
    <div class="feed">
      <p class="feed-status muted" role="status">{STATUS_TEXT[status.value]}</p>
      {events.value.length === 0
        ? <p class="muted">No events yet. Spawn an agent to see its lifecycle here.</p>
        : (
          <ol class="feed-list" aria-label="Recent events, newest first">
            {events.value.map((event) => (
              <li key={event.id} class="feed-item">
                <time
                  class="feed-time mono"
                  datetime={event.ts}
                  title={formatTs(event.ts, { utc: true })}
                >
                  {formatTs(event.ts, { date: false })}
                </time>
                <span class={`badge badge-${eventTone(event)}`}>{event.type}</span>
                <span class="feed-text">
                  {event.agent_id && (
                    <a class="feed-agent" href={`/agents/${encodeURIComponent(event.agent_id)}`}>
                      {names.value[event.agent_id] ?? event.agent_id.slice(0, 8)}
                    </a>
                  )}
                  {describeEvent(event)}
                </span>
              </li>
            ))}
          </ol>
        )}
    </div>
  );
}
