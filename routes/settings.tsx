/**
 * `/settings`: provider entries (configured or not, default, base URL —
 * never a key), the data dir, version and schema, and for admins the API
 * tokens (TokenManager island). POST (admin) is the token forms without
 * JavaScript: `intent=create` (name, role; validated with the API's schema,
 * the new token rendered once in this response only) and `intent=revoke`
 * (id). `?revoke=<id>` renders the revoke confirmation.
 */
import type { JSX } from "preact";
import { Layout } from "../components/Layout.tsx";
import { PageHeader } from "../components/PageHeader.tsx";
import { Table } from "../components/Table.tsx";
import { actorOf, type RouteHandlers } from "../http/define.ts";
import { TokenManager } from "../http/islands.gen.ts";
import { page, type PageRequest } from "../http/page.tsx";
import { formatTs } from "../kernel/format.ts";
import { readTokenForm, type TokenFormErrors } from "../islands/lib/token_form.ts";
import { TalonError } from "../kernel/mod.ts";
import { type CreatedToken, type ProviderView, roleAtLeast } from "../kernel/types.ts";

interface TokenState {
  created?: CreatedToken;
  values?: { name: string; role: string };
  errors?: TokenFormErrors;
}

function ProvidersTable(props: { providers: ProviderView[] }): JSX.Element {
  return (
    <Table<ProviderView>
      caption="Provider entries"
      rows={props.providers}
      rowKey={(pr) => pr.name}
      columns={[
        {
          label: "Provider",
          cell: (pr) => (
            <>
              <strong>{pr.name}</strong>{" "}
              {pr.default && <span class="badge badge-info">default</span>}
            </>
          ),
        },
        { label: "Kind", cell: (pr) => pr.kind },
        {
          label: "Status",
          cell: (pr) =>
            !pr.supported
              ? <span class="badge badge-bad">no driver</span>
              : pr.configured
              ? <span class="badge badge-ok">configured</span>
              : (
                <span class="badge badge-muted">
                  {pr.api_key_env ? `set ${pr.api_key_env}` : "not configured"}
                </span>
              ),
        },
        { label: "Default model", cell: (pr) => <code>{pr.default_model}</code> },
        {
          label: "Base URL",
          cell: (pr) => pr.base_url ? <code>{pr.base_url}</code> : <span class="muted">—</span>,
        },
      ]}
    />
  );
}

function SettingsPage(props: { p: PageRequest; tokens: TokenState }): JSX.Element {
  const { p } = props;
  const status = p.kernel.status();
  const chosen = p.kernel.providers.defaultProvider;
  const admin = roleAtLeast(p.principal.role, "admin");
  const revoke = p.url.searchParams.get("revoke");
  return (
    <Layout page={p} title="Settings">
      <PageHeader title="Settings" description="Providers, API tokens and this installation" />
      <section aria-labelledby="providers-title" class="stack">
        <h2 id="providers-title">LLM providers</h2>
        {chosen.kind === "offline" && (
          <div class="notice" role="note">
            <p>
              Agents use the <strong>offline driver</strong>: no provider key is set. Set{" "}
              <code>OPENAI_API_KEY</code> (with <code>OPENAI_BASE_URL</code>{" "}
              for any OpenAI-compatible server) or <code>ANTHROPIC_API_KEY</code>{" "}
              in Talon's environment and restart, or add a <code>[providers.&lt;name&gt;]</code>
              {" "}
              entry to <code>config.toml</code>. Keys are read from the environment, never stored.
            </p>
          </div>
        )}
        <ProvidersTable providers={p.kernel.providers.list()} />
      </section>
      <section id="tokens" aria-labelledby="tokens-title" class="panel">
        <h2 id="tokens-title">API tokens</h2>
        {admin
          ? (
            <TokenManager
              tokens={p.kernel.tokens.list()}
              created={props.tokens.created ?? null}
              values={props.tokens.values ?? { name: "", role: "viewer" }}
              errors={props.tokens.errors ?? {}}
              confirm={revoke}
              selfId={p.principal.id}
            />
          )
          : (
            <p class="muted">
              Only an admin can see and manage API tokens. You are signed in as {p.principal.role}.
            </p>
          )}
      </section>
      <section aria-labelledby="install-title" class="panel">
        <h2 id="install-title">Installation</h2>
        <dl class="facts">
          <dt>Version</dt>
          <dd>Talon {status.version}</dd>
          <dt>Schema</dt>
          <dd>version {status.schema_version}</dd>
          <dt>Data dir</dt>
          <dd>
            <code>{status.data_dir}</code>
          </dd>
          <dt>Started</dt>
          <dd>
            <time datetime={status.started_at}>{formatTs(status.started_at, { utc: true })}</time>
          </dd>
        </dl>
      </section>
    </Layout>
  );
}

export const handler: RouteHandlers = {
  GET: page("viewer", (p) => <SettingsPage p={p} tokens={{}} />),
  POST: page("admin", async (p) => {
    const form = await p.c.req.parseBody();
    const text = (key: string) => (typeof form[key] === "string" ? form[key] as string : "");
    const intent = text("intent");
    if (intent === "revoke") {
      p.kernel.tokens.revoke(text("id"), { actor: actorOf(p.c) });
      if (text("id") === p.principal.id) return p.redirect("/login");
      return p.redirect("/settings#tokens");
    }
    if (intent !== "create") {
      throw new TalonError("invalid_input", `unknown form intent "${intent.slice(0, 40)}"`);
    }
    const values = { name: text("name"), role: text("role") };
    const read = readTokenForm(values);
    if (!read.ok) {
      return p.render(<SettingsPage p={p} tokens={{ values, errors: read.errors }} />, {
        status: 400,
      });
    }
    const created = await p.kernel.tokens.create({ ...read.body, actor: actorOf(p.c) });
    // The token is in this response only: no cache may keep it.
    p.c.header("cache-control", "no-store");
    return p.render(<SettingsPage p={p} tokens={{ created }} />, { status: 201 });
  }),
};
