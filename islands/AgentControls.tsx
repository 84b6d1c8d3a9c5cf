/**
 * An agent's state badge with Pause/Resume and Kill for operators. Each
 * button is a form POST to the agent's page (`action=pause|resume|kill`;
 * kill without JavaScript first shows a confirmation page). Hydrated, the
 * buttons call the API (`POST …/pause`, `POST …/resume`, `DELETE
 * /api/agents/{id}` after a confirmation dialog), update the badge, and tell
 * the page's other islands with a `talon:agent-state` window event; the
 * badge follows that event too when another island (the chat, after a turn)
 * learns of a new state.
 *
 * @module
 */
import { useSignal } from "@preact/signals";
import type { JSX, TargetedSubmitEvent } from "preact";
import { useEffect, useRef } from "preact/hooks";
import type { AgentView } from "../kernel/types.ts";
import { ApiCallError, apiJson } from "./lib/api_fetch.ts";
import { stateBadgeClass } from "./lib/state_tone.ts";

/** Props of the controls. */
export interface AgentControlsProps {
  agentId: string;
  agentName: string;
  state: string;
}

type Action = "pause" | "resume" | "kill";

/** Badge and lifecycle buttons. */
export default function AgentControls(props: AgentControlsProps): JSX.Element {
  const state = useSignal(props.state);
  const busy = useSignal(false);
  const error = useSignal("");
  const dialog = useRef<HTMLDialogElement>(null);
  const action = `/agents/${encodeURIComponent(props.agentId)}`;
  const api = `/api/agents/${encodeURIComponent(props.agentId)}`;

  useEffect(() => {
    const onState = (event: Event) => (state.value = String((event as CustomEvent).detail));
    addEventListener("talon:agent-state", onState);
    return () => removeEventListener("talon:agent-state", onState);
  }, []);

  async function run(what: Action): Promise<void> {
    busy.value = true;
    error.value = "";
    try {
      const agent = what === "kill"
        ? await apiJson<AgentView>("DELETE", api)
        : await apiJson<AgentView>("POST", `${api}/${what}`);
      if (agent) {
        state.value = agent.state;
        dispatchEvent(new CustomEvent("talon:agent-state", { detail: agent.state }));
      }
    } catch (cause) {
      error.value = cause instanceof ApiCallError
        ? cause.message
        : `request failed: ${(cause as Error).message}`;
    } finally {
      busy.value = false;
    }
  }

  function onSubmit(event: TargetedSubmitEvent<HTMLFormElement>): void {
    event.preventDefault();
    const what = new FormData(event.currentTarget).get("action") as Action;
    if (what === "kill") dialog.current?.showModal();
    else void run(what);
  }

  function confirmKill(event: TargetedSubmitEvent<HTMLFormElement>): void {
    event.preventDefault();
    dialog.current?.close();
    void run("kill");
  }

  const s = state.value;
  const button = (what: Action, label: string, variant: string) => (
    <form method="post" action={action} onSubmit={onSubmit}>
      <input type="hidden" name="action" value={what} />
      <button type="submit" class={`btn btn-small btn-${variant}`} disabled={busy.value}>
        {label}
      </button>
    </form>
  );
  return (
    <div class="agent-controls">
      <span class={stateBadgeClass(s)} data-state={s}>{s}</span>
      {s !== "killed" && (
        <div class="actions">
          {s === "running" || s === "created"
            ? button("pause", "Pause", "secondary")
            : button("resume", "Resume", "secondary")}
          {button("kill", "Kill", "danger")}
        </div>
      )}
      {error.value && <p class="field-error" role="alert">{error.value}</p>}
      <dialog ref={dialog} class="confirm-dialog" aria-labelledby="kill-title">
        <form method="dialog" onSubmit={confirmKill}>
          <h2 id="kill-title">Kill {props.agentName}?</h2>
          <p>
            Killing stops its running turn and its child agents. It cannot be undone: a killed agent
            never runs again.
          </p>
          <div class="actions">
            <button type="button" class="btn" onClick={() => dialog.current?.close()}>
              Cancel
            </button>
            <button type="submit" class="btn btn-danger">Kill agent</button>
          </div>
        </form>
      </dialog>
    </div>
  );
}
