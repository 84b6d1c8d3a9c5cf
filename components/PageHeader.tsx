/** A page's heading, optional description and actions (buttons, links). */
import type { ComponentChildren, JSX } from "preact";

/** `<h1>` with an optional description line and actions on the right. */
export function PageHeader(
  props: { title: string; description?: ComponentChildren; actions?: ComponentChildren },
): JSX.Element {
  return (
    <div class="page-header">
      <div>
        <h1>{props.title}</h1>
        {props.description && <p class="muted">{props.description}</p>}
      </div>
      {props.actions && <div class="actions">{props.actions}</div>}
    </div>
  );
}
