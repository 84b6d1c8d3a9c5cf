/**
 * The HTML document around every page: head (title, stylesheet, icon,
 * color-scheme), body, and the islands boot script last in the body.
 *
 * @module
 */
import type { ComponentChildren, JSX } from "preact";
import { BootScript, useAssets } from "../http/islands.tsx";

/** `<html>` with head and body; `title` is suffixed with "· Talon". */
export function Document(props: { title: string; children: ComponentChildren }): JSX.Element {
  const assets = useAssets();
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <title>{`${props.title} · Talon`}</title>
        <link rel="stylesheet" href={assets.stylesheet} />
        <link rel="icon" href={assets.icon} type="image/svg+xml" />
      </head>
      <body>
        {props.children}
        <BootScript />
      </body>
    </html>
  );
}
