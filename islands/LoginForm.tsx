/**
 * The login form. Without JavaScript it is a plain form POST to `/login`.
 * Hydrated, it posts to `POST /api/auth/login` and goes to `next` on
 * success, showing the server's message on failure; and when the URL carries
 * the first-run fragment (`/login#token=tln_…`) it clears the fragment from
 * the address bar and history, then logs in with that token right away.
 *
 * @module
 */
import { useSignal } from "@preact/signals";
import type { JSX, TargetedSubmitEvent } from "preact";
import { useEffect } from "preact/hooks";
import { ApiCallError, apiJson } from "./lib/api_fetch.ts";

/** Props: where to go after logging in, and an error from a form POST. */
export interface LoginFormProps {
  next: string;
  error?: string;
}

/** Token field and submit button. */
export default function LoginForm(props: LoginFormProps): JSX.Element {
  const error = useSignal(props.error ?? "");
  const busy = useSignal(false);

  async function logIn(token: string): Promise<void> {
    busy.value = true;
    error.value = "";
    try {
      await apiJson("POST", "/api/auth/login", { token });
      location.assign(props.next);
    } catch (cause) {
      error.value = cause instanceof ApiCallError
        ? cause.message
        : `login failed: ${(cause as Error).message}`;
      busy.value = false;
    }
  }

  useEffect(() => {
    const token = new URLSearchParams(location.hash.slice(1)).get("token");
    if (token === null) return;
    history.replaceState(null, "", location.pathname + location.search);
    void logIn(token);
  }, []);

  function onSubmit(event: TargetedSubmitEvent<HTMLFormElement>): void {
    event.preventDefault();
    const token = new FormData(event.currentTarget).get("token");
    void logIn(typeof token === "string" ? token : "");
  }

  const invalid = error.value !== "";
  return (
    <form method="post" action="/login" onSubmit={onSubmit} aria-busy={busy.value}>
      <input type="hidden" name="next" value={props.next} />
      <div class={invalid ? "field field-invalid" : "field"}>
        <label for="token">API token</label>
        <input
          id="token"
          name="token"
          type="password"
          autocomplete="current-password"
          spellcheck={false}
          required
          placeholder="tln_…"
          aria-describedby={invalid ? "token-hint token-error" : "token-hint"}
          aria-invalid={invalid ? "true" : undefined}
        />
        <p id="token-hint" class="field-hint">
          Printed by <code>talon serve</code> on first run, or create one with{" "}
          <code>talon token create</code>.
        </p>
        {invalid && <p id="token-error" class="field-error" role="alert">{error.value}</p>}
      </div>
      <button type="submit" class="btn btn-primary" disabled={busy.value}>
        {busy.value ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
