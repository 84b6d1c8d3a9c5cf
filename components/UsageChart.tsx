/**
 * Talon's one chart family, server-rendered SVG: horizontal bars (spend by
 * agent or model on the usage page) and columns (a day series: spend by day on
 * the usage page, an agent's tokens per day on its page). Each chart is one `role="img"` with a
 * `<title>` and a `<desc>` summing it up; the figures are also in a table
 * next to it. Bars are sized with percentages and text is not scaled, so the
 * charts stay readable from phone to desktop without inline styles (the CSP
 * allows none).
 *
 * @module
 */
import type { JSX } from "preact";
import { formatCount, formatUsd } from "../kernel/format.ts";

/** One bar: a label and its value. */
export interface ChartDatum {
  label: string;
  value: number;
}

/** Props of both charts. */
export interface ChartProps {
  id: string;
  title: string;
  data: ChartDatum[];
  /** What the values are: dollars or tokens. */
  unit: "usd" | "tokens";
}

function format(value: number, unit: ChartProps["unit"]): string {
  return unit === "usd" ? formatUsd(value) : `${formatCount(value)} tokens`;
}

function pct(value: number, max: number): string {
  return `${max > 0 ? Math.max((value / max) * 100, value > 0 ? 0.5 : 0) : 0}%`;
}

function summary(props: ChartProps): string {
  const { data, unit } = props;
  const total = data.reduce((sum, d) => sum + d.value, 0);
  const top = [...data].sort((a, b) => b.value - a.value)[0];
  return top
    ? `${data.length} entries, ${format(total, unit)} in total; highest ${top.label} at ${
      format(top.value, unit)
    }.`
    : "No usage in this range.";
}

const ROW = 40;

/** Horizontal bars, largest first as given: label and amount above each bar. */
export function BarChart(props: ChartProps): JSX.Element {
  const max = Math.max(0, ...props.data.map((d) => d.value));
  const height = props.data.length * ROW;
  return (
    <svg
      class="chart chart-bars"
      role="img"
      aria-labelledby={`${props.id}-title ${props.id}-desc`}
      width="100%"
      height={height}
    >
      <title id={`${props.id}-title`}>{props.title}</title>
      <desc id={`${props.id}-desc`}>{summary(props)}</desc>
      {props.data.map((d, i) => {
        const y = i * ROW;
        return (
          <g key={d.label}>
            <text class="chart-label" x="0" y={y + 14}>{d.label}</text>
            <text class="chart-value" x="100%" y={y + 14} text-anchor="end">
              {format(d.value, props.unit)}
            </text>
            <rect class="chart-track" x="0" y={y + 20} width="100%" height="10" rx="3" />
            <rect class="chart-bar" x="0" y={y + 20} width={pct(d.value, max)} height="10" rx="3" />
          </g>
        );
      })}
    </svg>
  );
}

const COLUMNS_HEIGHT = 160;
const AXIS = 22;

/** Columns in the given order (oldest day first), with the first, middle and last labelled. */
export function ColumnChart(props: ChartProps): JSX.Element {
  const max = Math.max(0, ...props.data.map((d) => d.value));
  const n = props.data.length;
  const slot = n > 0 ? 100 / n : 100;
  const labelled = new Set([0, Math.floor((n - 1) / 2), n - 1]);
  const plot = COLUMNS_HEIGHT - AXIS;
  return (
    <svg
      class="chart chart-columns"
      role="img"
      aria-labelledby={`${props.id}-title ${props.id}-desc`}
      width="100%"
      height={COLUMNS_HEIGHT}
    >
      <title id={`${props.id}-title`}>{props.title}</title>
      <desc id={`${props.id}-desc`}>
        {summary(props)} Peak {format(max, props.unit)}.
      </desc>
      <line class="chart-axis" x1="0" x2="100%" y1={plot + 0.5} y2={plot + 0.5} />
      {props.data.map((d, i) => {
        const anchor = n === 1 ? "middle" : i === 0 ? "start" : i === n - 1 ? "end" : "middle";
        const x = anchor === "start"
          ? i * slot
          : anchor === "end"
          ? (i + 1) * slot
          : i * slot + slot / 2;
        const h = max > 0 ? Math.max((d.value / max) * (plot - 4), d.value > 0 ? 2 : 0) : 0;
        return (
          <g key={d.label}>
            <rect
              class="chart-bar"
              x={`${i * slot + slot * 0.15}%`}
              y={plot - h}
              width={`${slot * 0.7}%`}
              height={h}
              rx="2"
            >
              <title>{`${d.label}: ${format(d.value, props.unit)}`}</title>
            </rect>
            {labelled.has(i) && (
              <text
                class="chart-label"
                x={`${x}%`}
                y={COLUMNS_HEIGHT - 6}
                text-anchor={anchor}
              >
                {d.label}
              </text>
            )}
          </g>
        );
      })}
    </svg>
  );
}
