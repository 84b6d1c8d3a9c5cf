/** A failure shown in place of content: what went wrong and what to do. */
import type { ComponentChildren, JSX } from "preact";

/** An error box (`role="alert"` so screen readers announce it). */
export function ErrorState(
  props: { title: string; message: ComponentChildren; action?: ComponentChildren },
): JSX.Element {
  return (
    <div class="state state-error" role="alert">
      <p class="state-title">{props.title}</p>
      <p>{props.message}</p>
      {props.action && <div class="actions">{props.action}</div>}
    </div>
  );
}
