/** Buttons and button-styled links with one look. */
import type { ComponentChildren, JSX } from "preact";

/** Visual weight of a button. */
export type ButtonVariant = "primary" | "secondary" | "danger" | "quiet";

/** Props of {@link Button}. */
export interface ButtonProps {
  children: ComponentChildren;
  variant?: ButtonVariant;
  /** Renders a link styled as a button. */
  href?: string;
  type?: "button" | "submit" | "reset";
  name?: string;
  value?: string;
  disabled?: boolean;
  small?: boolean;
}

/** A `<button>` (submit by default), or an `<a>` when `href` is given. */
export function Button(props: ButtonProps): JSX.Element {
  const cls = `btn btn-${props.variant ?? "secondary"}${props.small ? " btn-small" : ""}`;
  if (props.href !== undefined) {
    return <a class={cls} href={props.href}>{props.children}</a>;
  }
  return (
    <button
      class={cls}
      type={props.type ?? "submit"}
      name={props.name}
      value={props.value}
      disabled={props.disabled}
    >
      {props.children}
    </button>
  );
}
