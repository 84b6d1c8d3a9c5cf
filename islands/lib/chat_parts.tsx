/**
 * How the AgentChat island draws a turn: the user's message as plain text,
 * the agent's text as markdown (islands/markdown.ts, through the renderer
 * islands/markdown_lazy.ts loaded; plain text until then), and its tool calls
 * as collapsed cards (`<details>`: name, args as pretty JSON, result as text,
 * cut past {@link RESULT_SHOWN} characters with the full size said; a failed
 * call shows its code). Only markdown-it's output (raw HTML off) is set as
 * HTML; everything else is text content, escaped by Preact. Browser-safe.
 *
 * @module
 */
import type { JSX } from "preact";
import { useMemo } from "preact/hooks";
import { markdownRenderer } from "./markdown_lazy.ts";
import type { ToolBlock, TurnView } from "./turn_view.ts";

const STATUS_LABEL: Record<string, string> = {
  stopped: "stopped",
  interrupted: "interrupted",
  failed: "failed",
  cancelled: "cancelled",
  disconnected: "connection lost",
};

const CUT_NOTE: Record<string, string> = {
  stopped: "Cut off: stopped before the answer was complete.",
  interrupted: "Cut off: Talon stopped while this answer was being written.",
};

/** Characters of a tool result shown in its card; the rest is cut. */
export const RESULT_SHOWN = 2000;

const count = new Intl.NumberFormat("en-US");

function pretty(args: Record<string, unknown>): string {
  return JSON.stringify(args, null, 2);
}

/** Agent text as rendered markdown; re-parsed only when the text changes. */
export function MarkdownText(props: { text: string }): JSX.Element {
  const render = markdownRenderer();
  const html = useMemo(() => render?.(props.text), [props.text, render]);
  if (html === undefined) return <p class="msg-text">{props.text}</p>;
  return <div class="msg-text md" dangerouslySetInnerHTML={{ __html: html }} />;
}

function ToolResult(props: { output: string }): JSX.Element {
  const { output } = props;
  if (output.length <= RESULT_SHOWN) return <pre class="tool-output">{output}</pre>;
  return (
    <>
      <pre class="tool-output">{output.slice(0, RESULT_SHOWN)}…</pre>
      <p class="tool-cut muted">
        Cut: showing the first {count.format(RESULT_SHOWN)} of {count.format(output.length)}{" "}
        characters.
      </p>
    </>
  );
}

/** A tool call as a collapsible card. */
export function ToolCard(props: { block: ToolBlock }): JSX.Element {
  const { block } = props;
  const state = block.output === undefined
    ? "running"
    : block.ok === false || block.errorCode
    ? "failed"
    : "done";
  return (
    <details class="tool-card" data-tool={block.name}>
      <summary>
        <span class="tool-icon" aria-hidden="true">⚙</span>
        <code class="tool-name">{block.name}</code>
        <span class={`tool-state tool-state-${state}`}>
          {state === "running" ? "running…" : state}
        </span>
        {block.errorCode && <code class="tool-code">{block.errorCode}</code>}
      </summary>
      <div class="tool-body">
        <p class="tool-label">Arguments</p>
        <pre class="tool-args">{pretty(block.args)}</pre>
        <p class="tool-label">Result</p>
        {block.output === undefined
          ? <p class="muted">Waiting for the result…</p>
          : <ToolResult output={block.output} />}
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
              ? <MarkdownText text={block.text} key={i} />
              : <ToolCard block={block} key={block.id || i} />
          )}
          {CUT_NOTE[turn.status] && <p class="msg-cut muted">{CUT_NOTE[turn.status]}</p>}
          {turn.error && <p class="msg-error" role="alert">{turn.error}</p>}
        </div>
      )}
    </li>
  );
}
