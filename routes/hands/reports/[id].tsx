/**
 * `/hands/reports/{id}`: one report of a Hand run — its markdown body
 * rendered by islands/lib/markdown.ts (markdown-it, raw HTML off, unsafe link
 * schemes kept as text; loaded on first use, never at boot), its sources as
 * links, its instance and run, and the outcome of its webhook delivery.
 * Everything in a report is model output and stays inert.
 */
import type { JSX } from "preact";
import { Layout } from "../../../components/Layout.tsx";
import { PageHeader } from "../../../components/PageHeader.tsx";
import { pathParam, type RouteHandlers } from "../../../http/define.ts";
import { page } from "../../../http/page.tsx";
import { loadMarkdown } from "../../../islands/lib/markdown_lazy.ts";
import { formatTs } from "../../../kernel/format.ts";

/** A source's URL as a link only when it is http(s); anything else is shown as text. */
function Source(props: { url: string; title?: string }): JSX.Element {
  const label = props.title ? `${props.title} — ${props.url}` : props.url;
  return /^https?:\/\//i.test(props.url)
    ? <a href={props.url} rel="noopener noreferrer nofollow" target="_blank">{label}</a>
    : <span>{label}</span>;
}

export const handler: RouteHandlers = {
  GET: page("viewer", async (p) => {
    const report = p.kernel.reports.get(pathParam(p.c, "id"));
    const html = (await loadMarkdown())(report.body);
    const d = report.delivery;
    return (
      <Layout page={p} title={`Report: ${report.title}`}>
        <nav class="crumbs" aria-label="Breadcrumb">
          <a href="/hands">Hands</a>
          {report.instance_name && (
            <>
              {" / "}
              <a href={`/hands#instance-${encodeURIComponent(report.instance_name)}`}>
                {report.instance_name}
              </a>
            </>
          )} / <span aria-current="page">Report</span>
        </nav>
        <PageHeader
          title={report.title}
          description={`${report.hand_id ? `${report.hand_id} Hand · ` : ""}${
            report.run_id === null ? "" : `run #${report.run_id} · `
          }${formatTs(report.created_at, { seconds: false })} UTC`}
        />
        <div class="report-layout">
          <article class="panel report-body md" dangerouslySetInnerHTML={{ __html: html }} />
          <aside class="panel report-side" aria-labelledby="sources-title">
            <h2 id="sources-title">Sources</h2>
            {report.sources.length === 0
              ? <p class="muted">This report cites no sources.</p>
              : (
                <ol class="report-sources">
                  {report.sources.map((s, n) => (
                    <li key={n}>
                      <Source url={s.url} title={s.title} />
                    </li>
                  ))}
                </ol>
              )}
            {d && (
              <p class="small-print">
                Webhook: {d.ok ? "delivered" : "not delivered"} to <span class="mono">{d.url}</span>
                {d.status === null ? "" : ` (${d.status})`}
                {d.error ? ` — ${d.error}` : ""}
              </p>
            )}
          </aside>
        </div>
      </Layout>
    );
  }),
};
