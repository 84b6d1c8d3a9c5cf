/**
 * An agent's tokens per day as an inline SVG bar chart (server-rendered, no
 * script): one bar per UTC day with a tooltip title, a total line, day
 * labels, and the same figures as a table for screen readers and anyone who
 * wants exact numbers.
 *
 * @module
 */
import type { JSX } from "preact";
import type { UsageReport } from "../../kernel/types.ts";

/** One day's figures. */
export interface UsageDay {
  day: string;
  tokens: number;
  cost_usd: number;
  calls: number;
}

const DAY_MS = 86_400_000;

/** The last `days` UTC days ending at `now` (oldest first), zero-filled from `rows`. */
export function usageDays(rows: UsageReport["rows"], days: number, now: number): UsageDay[] {
  const byDay = new Map(rows.map((r) => [r.key, r]));
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  return Array.from({ length: days }, (_, i) => {
    const day = new Date(today - (days - 1 - i) * DAY_MS).toISOString().slice(0, 10);
    const row = byDay.get(day);
    return {
      day,
      tokens: row ? row.input_tokens + row.output_tokens : 0,
      cost_usd: row?.cost_usd ?? 0,
      calls: row?.calls ?? 0,
    };
  });
}

/** The first instant of the oldest of the last `days` UTC days, as ISO. */
export function usageSince(days: number, now: number): string {
  return new Date((Math.floor(now / DAY_MS) - (days - 1)) * DAY_MS).toISOString();
}

const n = new Intl.NumberFormat("en-US");
/** Dollars with enough digits for small spends. */
export function usd(value: number): string {
  return `$${value.toFixed(value !== 0 && value < 0.01 ? 4 : 2)}`;
}

const W = 100;
const H = 40;

/** The chart, its totals and a table of the same figures. */
export function UsageChart(props: { days: UsageDay[]; agentName: string }): JSX.Element {
  const { days } = props;
  const max = Math.max(1, ...days.map((d) => d.tokens));
  const total = days.reduce(
    (t, d) => ({
      tokens: t.tokens + d.tokens,
      cost: t.cost + d.cost_usd,
      calls: t.calls + d.calls,
    }),
    { tokens: 0, cost: 0, calls: 0 },
  );
  const slot = W / days.length;
  const first = days[0]?.day ?? "";
  const last = days.at(-1)?.day ?? "";
  const summary = `${n.format(total.tokens)} tokens, ${usd(total.cost)}, ${
    n.format(total.calls)
  } calls from ${first} to ${last}`;
  return (
    <div class="usage-chart">
      <p class="usage-total">
        <strong>{n.format(total.tokens)}</strong> tokens · <strong>{usd(total.cost)}</strong> ·{" "}
        {n.format(total.calls)} calls <span class="muted">in {days.length} days</span>
      </p>
      <div class="chart-frame">
        {total.tokens === 0
          ? <p class="chart-empty muted">No metered LLM calls in these days.</p>
          : <span class="chart-max muted" aria-hidden="true">{n.format(max)} tokens</span>}
        <svg
          class="chart"
          viewBox={`0 0 ${W} ${H}`}
          preserveAspectRatio="none"
          role="img"
          aria-labelledby="usage-title usage-desc"
        >
          <title id="usage-title">Tokens per day used by {props.agentName}</title>
          <desc id="usage-desc">{summary}</desc>
          <line class="chart-axis" x1="0" y1={H} x2={W} y2={H} vector-effect="non-scaling-stroke" />
          {days.map((d, i) => {
            const h = d.tokens === 0 ? 0 : Math.max(0.6, (d.tokens / max) * (H - 2));
            return (
              <rect
                key={d.day}
                class="chart-bar"
                x={(i * slot + slot * 0.15).toFixed(2)}
                y={(H - h).toFixed(2)}
                width={(slot * 0.7).toFixed(2)}
                height={h.toFixed(2)}
              >
                <title>
                  {`${d.day}: ${n.format(d.tokens)} tokens, ${usd(d.cost_usd)}, ${d.calls} calls`}
                </title>
              </rect>
            );
          })}
        </svg>
        <div class="chart-days" aria-hidden="true">
          <span>{first.slice(5)}</span>
          <span>{last.slice(5)}</span>
        </div>
      </div>
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
                <tr key={d.day}>
                  <td>{d.day}</td>
                  <td class="num">{n.format(d.tokens)}</td>
                  <td class="num">{usd(d.cost_usd)}</td>
                  <td class="num">{d.calls}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </div>
  );
}
