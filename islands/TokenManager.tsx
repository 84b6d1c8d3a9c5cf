/**
 * API tokens (admin): create with a name and role — the new token is shown
 * once, with a copy button — and the list with revoke. Without JavaScript
 * the forms POST to `/settings` (`intent=create|revoke`) and "Revoke" is a
 * link to `/settings?revoke=<id>`, which renders the confirmation.
 * Hydrated, it calls `POST /api/tokens` and `DELETE /api/tokens/{id}` and
 * confirms revocation in the row.
 *
 * @module
 */
import { useSignal } from "@preact/signals";
import type { JSX, TargetedSubmitEvent } from "preact";
import type { CreatedToken, TokenView } from "../kernel/types.ts";
import { ApiCallError, apiJson } from "./lib/api_fetch.ts";
import { formatTs } from "../kernel/format.ts";
import { readTokenForm, type TokenFormErrors } from "./lib/token_form.ts";

/** Props: the tokens, a token just created by a form POST, typed values and errors. */
export interface TokenManagerProps {
  tokens: TokenView[];
  created: CreatedToken | null;
  values: { name: string; role: string };
  errors: TokenFormErrors;
  /** A token whose revocation to confirm (no-JS `?revoke=`). */
  confirm: string | null;
  /** The signed-in token's id: revoking it ends this session. */
  selfId: string;
}

function NewToken(props: { token: CreatedToken }): JSX.Element {
  const copied = useSignal("");
  async function copy(): Promise<void> {
    try {
      await navigator.clipboard.writeText(props.token.token);
      copied.value = "Copied.";
    } catch {
      copied.value = "Copy failed: select the token and copy it by hand.";
    }
  }
  return (
    <div class="new-token" role="status">
      <p>
        <strong>Token "{props.token.name}" created ({props.token.role}).</strong>{" "}
        It is shown only now: store it somewhere safe.
      </p>
      <div class="new-token-row">
        <code class="new-token-value" id="new-token-value">{props.token.token}</code>
        <button type="button" class="btn btn-small" onClick={copy}>Copy</button>
        <span class="muted" aria-live="polite">{copied.value}</span>
      </div>
    </div>
  );
}

/** The create form, the one-time token and the list. */
export default function TokenManager(props: TokenManagerProps): JSX.Element {
  const tokens = useSignal<TokenView[]>(props.tokens);
  const created = useSignal<CreatedToken | null>(props.created);
  const values = useSignal(props.values);
  const errors = useSignal<TokenFormErrors>(props.errors);
  const confirm = useSignal<string | null>(props.confirm);
  const rowError = useSignal("");
  const busy = useSignal(false);

  async function onCreate(event: TargetedSubmitEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    const read = readTokenForm(values.value);
    if (!read.ok) {
      errors.value = read.errors;
      return;
    }
    errors.value = {};
    busy.value = true;
    try {
      const token = await apiJson<CreatedToken>("POST", "/api/tokens", read.body);
      if (token) {
        created.value = token;
        const { token: _secret, ...view } = token;
        tokens.value = [view, ...tokens.value];
        values.value = { name: "", role: values.value.role };
      }
    } catch (cause) {
      errors.value = {
        form: cause instanceof ApiCallError ? cause.message : (cause as Error).message,
      };
    } finally {
      busy.value = false;
    }
  }

  async function revoke(id: string): Promise<void> {
    rowError.value = "";
    try {
      const revoked = await apiJson<TokenView>("DELETE", `/api/tokens/${encodeURIComponent(id)}`);
      if (id === props.selfId) {
        location.assign("/login");
        return;
      }
      if (revoked) tokens.value = tokens.value.map((t) => (t.id === id ? revoked : t));
      confirm.value = null;
    } catch (cause) {
      rowError.value = cause instanceof ApiCallError ? cause.message : (cause as Error).message;
    }
  }

  const e = errors.value;
  return (
    <div class="tokens">
      {created.value && <NewToken token={created.value} />}
      <form method="post" action="/settings" class="token-form" onSubmit={onCreate} noValidate>
        <input type="hidden" name="intent" value="create" />
        <div class={e.name ? "field field-invalid" : "field"}>
          <label for="token-name">Name</label>
          <input
            id="token-name"
            name="name"
            type="text"
            maxLength={100}
            placeholder="ci-bot"
            value={values.value.name}
            onInput={(ev) => {
              values.value = { ...values.value, name: ev.currentTarget.value };
            }}
            aria-invalid={e.name ? "true" : undefined}
            aria-describedby={e.name ? "token-name-error" : undefined}
          />
          {e.name && <p id="token-name-error" class="field-error">{e.name}</p>}
        </div>
        <div class={e.role ? "field field-invalid" : "field"}>
          <label for="token-role">Role</label>
          <select
            id="token-role"
            name="role"
            value={values.value.role}
            onChange={(ev) => {
              values.value = { ...values.value, role: ev.currentTarget.value };
            }}
            aria-invalid={e.role ? "true" : undefined}
            aria-describedby={e.role ? "token-role-error" : undefined}
          >
            <option value="viewer">viewer — read only</option>
            <option value="operator">operator — run agents</option>
            <option value="admin">admin — everything</option>
          </select>
          {e.role && <p id="token-role-error" class="field-error">{e.role}</p>}
        </div>
        <div class="token-form-submit">
          <button type="submit" class="btn btn-primary" disabled={busy.value}>
            {busy.value ? "Creating…" : "Create token"}
          </button>
        </div>
        {e.form && <p class="field-error" role="alert">{e.form}</p>}
      </form>
      {rowError.value && <p class="field-error" role="alert">{rowError.value}</p>}
      <div class="table-wrap">
        <table class="table">
          <caption class="visually-hidden">API tokens, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Role</th>
              <th scope="col">Created (UTC)</th>
              <th scope="col">Last used (UTC)</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tokens.value.map((t) => (
              <tr key={t.id}>
                <td>
                  {t.name}
                  {t.id === props.selfId && <span class="muted self-tag">(this session)</span>}
                  <div class="small-print muted mono">{t.id}</div>
                </td>
                <td>{t.role}</td>
                <td class="nowrap">{formatTs(t.created_at)}</td>
                <td class="nowrap">
                  {t.last_used_at ? formatTs(t.last_used_at) : <span class="muted">never</span>}
                </td>
                <td class="row-actions">
                  {t.revoked_at
                    ? <span class="badge badge-muted">revoked</span>
                    : confirm.value === t.id
                    ? (
                      <form
                        method="post"
                        action="/settings"
                        class="confirm-row"
                        onSubmit={(ev) => {
                          ev.preventDefault();
                          void revoke(t.id);
                        }}
                      >
                        <input type="hidden" name="intent" value="revoke" />
                        <input type="hidden" name="id" value={t.id} />
                        <span>Revoke {t.name}?</span>
                        <button type="submit" class="btn btn-danger btn-small">Revoke</button>
                        <a
                          class="btn btn-quiet btn-small"
                          href="/settings#tokens"
                          onClick={(ev) => {
                            ev.preventDefault();
                            confirm.value = null;
                          }}
                        >
                          Cancel
                        </a>
                      </form>
                    )
                    : (
                      <a
                        class="btn btn-small"
                        href={`/settings?revoke=${encodeURIComponent(t.id)}#tokens`}
                        aria-label={`Revoke ${t.name}`}
                        onClick={(ev) => {
                          ev.preventDefault();
                          confirm.value = t.id;
                        }}
                      >
                        Revoke
                      </a>
                    )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
