/**
 * Loads islands/markdown.ts (and markdown-it) on first use, so it stays off
 * serve's boot path and out of the islands' first bundle: a page handler
 * awaits {@link loadMarkdown} before rendering markdown, an island's
 * `prepare()` awaits it before hydrating (islands/boot.ts), and components
 * read the loaded renderer with {@link markdownRenderer}.
 *
 * @module
 */

/** Renders markdown text to safe HTML (islands/markdown.ts `renderMarkdown`). */
export type MarkdownRenderer = (text: string) => string;

let loaded: MarkdownRenderer | undefined;
let loading: Promise<MarkdownRenderer> | undefined;

/** Imports the markdown module once; resolves to its renderer. */
export function loadMarkdown(): Promise<MarkdownRenderer> {
  loading ??= import("./markdown.ts").then((m) => (loaded = m.renderMarkdown));
  return loading;
}

/** The renderer once {@link loadMarkdown} resolved; undefined before (show plain text then). */
export function markdownRenderer(): MarkdownRenderer | undefined {
  return loaded;
}
