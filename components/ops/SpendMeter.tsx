/**
 * Spend against a cap: a native `<meter>` (its label and value are read by
 * assistive tech) with the figures as text beside it; without a cap, the
 * spend alone and "no cap".
 *
 * @module
 */
import type { JSX } from "preact";
import { formatUsd } from "../../islands/ops_format.ts";

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
