/**
 * Spend against a cap: a native `<meter>` (its label and value are read by
 * assistive tech) with the figures as text beside it; without a cap, the
 * spend alone and "no cap".
 *
 * @module
 */
import type { JSX } from "preact";
import { formatUsd } from "../../kernel/format.ts";
import type { BudgetReport } from "../../kernel/types.ts";

/** Props of {@link SpendMeter}. */
export interface SpendMeterProps {
  /** Unique id prefix for the label. */
  id: string;
  label: string;
  spent: number;
  cap: number | undefined;
}

/** One labelled spend meter. */
export function SpendMeter(props: SpendMeterProps): JSX.Element {
  const { cap, spent } = props;
  const share = cap === undefined ? undefined : cap === 0 ? 1 : spent / cap;
  const text = cap === undefined
    ? `${formatUsd(spent)} spent · no cap`
    : `${formatUsd(spent)} of ${formatUsd(cap)}${
      share === undefined ? "" : ` (${Math.round(share * 100)}%)`
    }`;
  return (
    <div class="spend">
      <div class="spend-head">
        <span id={`${props.id}-label`} class="spend-label">{props.label}</span>
        <span class="spend-text">{text}</span>
      </div>
      {cap !== undefined && (
        <meter
          class="spend-meter"
          aria-labelledby={`${props.id}-label`}
          min={0}
          max={cap === 0 ? 1 : cap}
          low={cap * 0.75}
          high={cap * 0.9}
          optimum={0}
          value={cap === 0 ? Math.min(spent, 1) : Math.min(spent, cap)}
        >
          {text}
        </meter>
      )}
    </div>
  );
}

/** The global windows, keyed as {@link GlobalSpend} orders them. */
export type SpendWindow = "hour" | "day" | "month";

const WINDOWS: Record<SpendWindow, {
  label: string;
  spent: keyof BudgetReport["global"]["spent"];
  cap: keyof BudgetReport["global"]["caps"];
}> = {
  hour: { label: "Last hour", spent: "usd_last_hour", cap: "usd_per_hour" },
  day: { label: "Last 24 hours", spent: "usd_last_day", cap: "usd_per_day" },
  month: { label: "This month", spent: "usd_this_month", cap: "usd_per_month" },
};

/** Global spend against the global caps, one meter per window in `order`. */
export function GlobalSpend(props: {
  /** Id prefix for the meters' labels (unique on the page). */
  id: string;
  global: BudgetReport["global"];
  order: readonly SpendWindow[];
}): JSX.Element {
  const { caps, spent } = props.global;
  return (
    <div class="spend-list">
      {props.order.map((window) => {
        const w = WINDOWS[window];
        return (
          <SpendMeter
            key={window}
            id={`${props.id}-${window}`}
            label={w.label}
            spent={spent[w.spent]}
            cap={caps[w.cap]}
          />
        );
      })}
    </div>
  );
}
