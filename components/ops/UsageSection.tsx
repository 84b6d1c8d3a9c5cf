/**
 * One grouping of the usage page (by agent, model or day): a chart and the
 * table of the same figures.
 *
 * @module
 */
import type { JSX } from "preact";
import { fillDays, formatCount, formatUsd, utcDays } from "../../kernel/format.ts";
import type { UsageReport } from "../../kernel/types.ts";
import { EmptyState } from "../EmptyState.tsx";
import { Table } from "../Table.tsx";
import { BarChart, type ChartDatum, ColumnChart } from "../UsageChart.tsx";

type Row = UsageReport["rows"][number];

const TITLES = { agent: "Spend by agent", model: "Spend by model", day: "Spend by day" } as const;

/** Charts cost when anything cost money, else tokens (the offline driver is free). */
function datum(row: Row, label: string, unit: "usd" | "tokens"): ChartDatum {
  return { label, value: unit === "usd" ? row.cost_usd : row.input_tokens + row.output_tokens };
}

/** Every UTC day from `since` to `until` (inclusive), oldest first, zero where no usage. */
function everyDay(rows: Row[], since: string, until: Date): Row[] {
  return fillDays(rows, utcDays(since, until), {
    key: (r) => r.key,
    empty: (key) => ({ key, name: null, calls: 0, input_tokens: 0, output_tokens: 0, cost_usd: 0 }),
  });
}

function labelOf(group: UsageReport["group"], row: Row): string {
  return group === "agent" ? row.name ?? row.key.slice(0, 8) : row.key;
}

/** A heading, a chart and a table for one grouping of a usage report. */
export function UsageSection(props: { report: UsageReport; now: Date }): JSX.Element {
  const { group, since } = props.report;
  const rows = group === "day" ? everyDay(props.report.rows, since, props.now) : props.report.rows;
  const unit = props.report.rows.some((r) => r.cost_usd > 0) ? "usd" : "tokens";
  const data = rows.map((row) => datum(row, labelOf(group, row), unit));
  const id = `usage-${group}`;
  const title = unit === "usd" ? TITLES[group] : `${TITLES[group].replace("Spend", "Tokens")}`;
  const tableRows = group === "day" ? [...rows].reverse().filter((r) => r.calls > 0) : rows;
  return (
    <section class="panel usage-section" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{title}</h2>
      {props.report.rows.length === 0
        ? <EmptyState title="No usage in this range" message="Metered LLM calls appear here." />
        : (
          <div class="usage-body">
            {unit === "tokens" && (
              <p class="muted small-print">
                No call in this range had a price, so this shows tokens.
              </p>
            )}
            {group === "day"
              ? <ColumnChart id={id} title={title} data={data} unit={unit} />
              : <BarChart id={id} title={title} data={data} unit={unit} />}
            <Table
              caption={`${title} (table)`}
              rows={tableRows}
              rowKey={(r) => r.key}
              columns={[
                {
                  label: group === "agent" ? "Agent" : group === "model" ? "Model" : "Day (UTC)",
                  cell: (r) =>
                    group === "agent"
                      ? <a href={`/agents/${encodeURIComponent(r.key)}`}>{labelOf(group, r)}</a>
                      : <code class="nowrap">{r.key}</code>,
                },
                { label: "Calls", numeric: true, cell: (r) => formatCount(r.calls) },
                { label: "Input tokens", numeric: true, cell: (r) => formatCount(r.input_tokens) },
                {
                  label: "Output tokens",
                  numeric: true,
                  cell: (r) => formatCount(r.output_tokens),
                },
                { label: "Cost", numeric: true, cell: (r) => formatUsd(r.cost_usd) },
              ]}
            />
          </div>
        )}
    </section>
  );
}
