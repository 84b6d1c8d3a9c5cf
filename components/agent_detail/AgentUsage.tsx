/**
 * An agent's tokens per UTC day (server-rendered, no script): a total line,
 * the shared column chart (components/UsageChart.tsx), and the same figures as
 * a table for anyone who wants exact numbers.
 *
 * @module
 */
import type { JSX } from "preact";
import { daysStart, fillDays, formatCount, formatUsd, utcDays } from "../../kernel/format.ts";
import type { UsageReport } from "../../kernel/types.ts";
import { ColumnChart } from "../UsageChart.tsx";

type Row = UsageReport["rows"][number];

/** The chart, its totals and a table: one zero-filled row per day of the last `days` to `now`. */
export function AgentUsage(
  props: { rows: Row[]; days: number; now: number; agentName: string },
): JSX.Element {
  const days = fillDays(props.rows, utcDays(daysStart(props.days, props.now), props.now), {
    key: (r) => r.key,
    empty: (key) => ({ key, name: null, calls: 0, input_tokens: 0, output_tokens: 0, cost_usd: 0 }),
  });
  const tokens = (r: Row) => r.input_tokens + r.output_tokens;
  const total = days.reduce(
    (t, d) => ({
      tokens: t.tokens + tokens(d),
      cost: t.cost + d.cost_usd,
      calls: t.calls + d.calls,
    }),
    { tokens: 0, cost: 0, calls: 0 },
  );
  return (
    <div class="usage-chart">
      <p class="usage-total">
        <strong>{formatCount(total.tokens)}</strong> tokens ·{" "}
        <strong>{formatUsd(total.cost)}</strong> · {formatCount(total.calls)} calls{" "}
        <span class="muted">in {days.length} days</span>
      </p>
      {total.tokens === 0 && <p class="chart-empty muted">No metered LLM calls in these days.</p>}
      <ColumnChart
        id="usage"
        title={`Tokens per day used by ${props.agentName}`}
        data={days.map((d) => ({ label: d.key.slice(5), value: tokens(d) }))}
        unit="tokens"
      />
      <details class="chart-data">
        <summary>Show as table</summary>
        <div class="table-wrap">
          <table class="table">
            <caption class="visually-hidden">Usage per day</caption>
            <thead>
              <tr>
                <th scope="col">Day</th>
                <th scope="col" class="num">Tokens</th>
                <th scope="col" class="num">Cost</th>
                <th scope="col" class="num">Calls</th>
              </tr>
            </thead>
            <tbody>
              {[...days].reverse().map((d) => (
                <tr key={d.key}>
                  <td>{d.key}</td>
                  <td class="num">{formatCount(tokens(d))}</td>
                  <td class="num">{formatUsd(d.cost_usd)}</td>
                  <td class="num">{formatCount(d.calls)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </div>
  );
}
