/**
 * The pending approvals count in the nav. Rendered on every page by the
 * layout, but a rider (http/islands.tsx): it hydrates only on pages that
 * load JavaScript for another island, so pages without islands stay
 * script-free and show the count as rendered. Hydrated, it follows
 * `approval` events (`GET /api/events/stream?types=approval`, from the
 * newest one the page saw), each of which carries the count. Zod-free and
 * tiny: nothing but Preact.
 *
 * @module
 */
import type { JSX } from "preact";
import { useEffect, useState } from "preact/hooks";

/** Props: the count when the page rendered and the newest `approval` event id then. */
export interface PendingCountProps {
  count: number;
  after: number;
}

/** `N pending` for screen readers; the number alone on screen, hidden at zero. */
export default function PendingCount(props: PendingCountProps): JSX.Element {
  const [count, setCount] = useState(props.count);
  useEffect(() => {
    const source = new EventSource(`/api/events/stream?types=approval&after=${props.after}`);
    source.addEventListener("approval", (message: MessageEvent<string>) => {
      const pending = (JSON.parse(message.data) as { data?: { pending?: unknown } }).data?.pending;
      if (typeof pending === "number") setCount(pending);
    });
    return () => source.close();
  }, []);
  return (
    <span class="nav-count" data-pending-approvals={count} hidden={count === 0}>
      <span aria-hidden="true">{count}</span>
      <span class="visually-hidden">({count} pending)</span>
    </span>
  );
}
