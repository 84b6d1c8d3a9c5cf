/**
 * The MCP servers on the Integrations page: each with its transport, where
 * its entry comes from, its status (and last error), and its tools as agents
 * see them. Admins can test a connection (`POST /api/mcp/servers/{name}/test`:
 * start, list tools, stop) and remove an entry added at run time (`DELETE
 * /api/mcp/servers/{name}`, after a confirmation); entries from the config
 * file are removed there.
 *
 * @module
 */
import { useSignal } from "@preact/signals";
import type { JSX } from "preact";
import type { McpServerView, McpToolList, McpToolView } from "../kernel/types.ts";
import { apiJson } from "./lib/api_fetch.ts";

/** Props of the list. */
export interface McpServerListProps {
  servers: McpServerView[];
  /** Admins may test and remove. */
  admin: boolean;
}

const TONE: Record<string, string> = {
  connected: "ok",
  connecting: "info",
  idle: "muted",
  failed: "bad",
  flagged: "warn",
};

type TestState = { busy: true } | { ok: true; tools: McpToolView[] } | { ok: false; error: string };

function ToolsList(props: { tools: McpToolView[] }): JSX.Element {
  return (
    <ul class="mcp-tools">
      {props.tools.map((t) => (
        <li key={t.name}>
          <code>{t.name}</code>{" "}
          {t.original !== t.name && <span class="muted small-print">({t.original})</span>}{" "}
          <span class="muted">{t.description}</span>
        </li>
      ))}
    </ul>
  );
}

function where(server: McpServerView): string {
  const c = server.config;
  return c.transport === "stdio" ? [c.command, ...c.args].join(" ") : c.url;
}

function ServerCard(props: { server: McpServerView; admin: boolean }): JSX.Element {
  const { server, admin } = props;
  const test = useSignal<TestState | null>(null);
  const confirming = useSignal(false);
  const removeError = useSignal("");
  const id = `mcp-server-${server.name}`;

  async function runTest(): Promise<void> {
    test.value = { busy: true };
    try {
      const result = await apiJson<McpToolList>(
        "POST",
        `/api/mcp/servers/${encodeURIComponent(server.name)}/test`,
      );
      test.value = { ok: true, tools: result?.tools ?? [] };
    } catch (cause) {
      test.value = { ok: false, error: (cause as Error).message };
    }
  }

  async function remove(): Promise<void> {
    try {
      await apiJson("DELETE", `/api/mcp/servers/${encodeURIComponent(server.name)}`);
      location.assign(`/integrations?removed=${encodeURIComponent(server.name)}#mcp`);
    } catch (cause) {
      removeError.value = (cause as Error).message;
      confirming.value = false;
    }
  }

  const t = test.value;
  return (
    <article class="panel mcp-server" aria-labelledby={id} data-server={server.name}>
      <div class="panel-head">
        <h3 id={id}>
          <code>{server.name}</code>
        </h3>
        <span class={`badge badge-${TONE[server.status] ?? "muted"}`} data-status={server.status}>
          {server.status}
        </span>
        <span class="badge badge-muted">{server.config.transport}</span>
        <span class="muted small-print">
          {server.source === "config" ? "from config.toml" : "added at run time"}
        </span>
      </div>
      <dl class="facts">
        <dt>{server.config.transport === "stdio" ? "Command" : "URL"}</dt>
        <dd>
          <code class="mono">{where(server)}</code>
        </dd>
        {server.config.transport === "stdio" && server.config.env.length > 0 && (
          <>
            <dt>Variables passed</dt>
            <dd>
              <code>{server.config.env.join(" ")}</code>
            </dd>
          </>
        )}
        {server.config.transport === "http" &&
          Object.keys(server.config.headers_env).length > 0 && (
          <>
            <dt>Headers</dt>
            <dd>
              <code>
                {Object.entries(server.config.headers_env).map(([h, v]) => `${h}=$${v}`).join(
                  " ",
                )}
              </code>
            </dd>
          </>
        )}
        <dt>Timeout</dt>
        <dd>{server.config.timeout_s} s</dd>
        {server.config.tools && (
          <>
            <dt>Tools allowed</dt>
            <dd>
              <code>{server.config.tools.join(" ")}</code>
            </dd>
          </>
        )}
      </dl>
      {server.error && <p class="form-error" role="note">{server.error}</p>}
      {server.tools.length > 0
        ? (
          <details>
            <summary>{server.tools.length} tools</summary>
            <ToolsList tools={server.tools} />
          </details>
        )
        : <p class="muted small-print mcp-note">Tools are listed once the server has started.</p>}
      {admin && (
        <div class="row-actions">
          <button
            type="button"
            class="btn btn-small"
            onClick={runTest}
            disabled={t !== null && "busy" in t}
          >
            {t !== null && "busy" in t ? "Testing…" : "Test connection"}
          </button>
          {server.source === "api" && !confirming.value && (
            <button
              type="button"
              class="btn btn-small btn-danger"
              onClick={() => (confirming.value = true)}
            >
              Remove
            </button>
          )}
          {confirming.value && (
            <span class="confirm-row" role="group" aria-label={`Remove ${server.name}?`}>
              <span>Remove {server.name}?</span>
              <button type="button" class="btn btn-small btn-danger" onClick={remove}>
                Yes, remove
              </button>
              <button
                type="button"
                class="btn btn-small btn-quiet"
                onClick={() => (confirming.value = false)}
              >
                Cancel
              </button>
            </span>
          )}
        </div>
      )}
      <div role="status" class="mcp-test">
        {t !== null && "ok" in t && t.ok && (
          <>
            <p class="form-notice">
              Connected: {t.tools.length} tools offered.
            </p>
            <ToolsList tools={t.tools} />
          </>
        )}
        {t !== null && "ok" in t && !t.ok && <p class="form-error">Test failed: {t.error}</p>}
        {removeError.value && <p class="form-error">{removeError.value}</p>}
      </div>
    </article>
  );
}

/** The list. */
export default function McpServerList(props: McpServerListProps): JSX.Element {
  if (props.servers.length === 0) {
    return (
      <p class="muted">
        No MCP servers yet. Declare one as <code>[mcp_servers.&lt;name&gt;]</code> in{" "}
        <code>config.toml</code>
        {props.admin ? ", or add one below" : ", or ask an admin to add one here"}.
      </p>
    );
  }
  return (
    <div class="stack mcp-servers">
      {props.servers.map((s) => <ServerCard key={s.name} server={s} admin={props.admin} />)}
    </div>
  );
}
