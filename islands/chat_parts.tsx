/**
 * How the AgentChat island draws a turn: the user's message, the agent's
 * text and its tool calls as collapsed cards (`<details>`: name, args as
 * pretty JSON, result as text). Everything is text content, so Preact
 * escapes it. Browser-safe.
 *
 * @module
 */
import type { JSX } from "preact";
import type { ToolBlock, TurnView } from "./turn_view.ts";

const STATUS_LABEL: Record<string, string> = {
  stopped: "stopped",
  interrupted: "interrupted",
  failed: "failed",
  cancelled: "cancelled",
  disconnected: "connection lost",
};

function pretty(args: Record<string, unknown>): string {
  return JSON.stringify(args, null, 2);
}

/** A tool call as a collapsible card. */
export function ToolCard(props: { block: ToolBlock }): JSX.Element {
  const { block } = props;
  const state = block.output === undefined ? "running…" : block.ok === false ? "failed" : "done";
  return (
    <details class="tool-card" data-tool={block.name}>
      <summary>
        <span class="tool-icon" aria-hidden="true">⚙</span>
        <code class="tool-name">{block.name}</code>
        <span class={`tool-state tool-state-${state === "running…" ? "running" : state}`}>
          {state}
        </span>
      </summary>
      <div class="tool-body">
        <p class="tool-label">Arguments</p>
        <pre class="tool-args">{pretty(block.args)}</pre>
        <p class="tool-label">Result</p>
        {block.output === undefined
          ? <p class="muted">Waiting for the result…</p>
          : <pre class="tool-output">{block.output}</pre>}
      </div>
    </details>
  );
}

/** One turn: the user's message, then the agent's answer. */
export function TurnItem(props: { turn: TurnView; agentName: string }): JSX.Element {
  const { turn } = props;
  const label = STATUS_LABEL[turn.status];
  const running = turn.status === "running";
  return (
    <li class="turn" data-status={turn.status}>
      {turn.input !== null && (
        <div class="msg msg-user">
          <p class="msg-who">You</p>
          <p class="msg-text">{turn.input}</p>
        </div>
      )}
      {(turn.blocks.length > 0 || running || label || turn.error) && (
        <div class="msg msg-agent" aria-busy={running ? "true" : undefined}>
          <p class="msg-who">
            {props.agentName}
            {running && <span class="badge badge-info">replying…</span>}
            {label && <span class="badge badge-warn">{label}</span>}
          </p>
          {turn.blocks.map((block, i) =>
            block.kind === "text"
              ? <p class="msg-text" key={i}>{block.text}</p>
              : <ToolCard block={block} key={block.id || i} />
          )}
          {turn.error && <p class="msg-error" role="alert">{turn.error}</p>}
        </div>
      )}
    </li>
  );
}
