/**
 * Talon's one markdown renderer: the chat's agent messages now, Hand reports
 * later. Browser-safe; the server and the AgentChat island give the same
 * HTML for the same text. `markdown-it` with raw HTML off (`html: false`:
 * every `<tag>`, comment and entity-looking text is escaped), and:
 *
 * - links: only `http:`, `https:`, `mailto:`, relative and `#` targets
 *   (anything else, `javascript:`, `data:`, `vbscript:` included, stays
 *   text); they open in a new tab with `rel="noopener noreferrer nofollow"`;
 * - images are never loaded (CSP `img-src 'self' data:`): they render as a
 *   link to the image, labelled with its alt text;
 * - code blocks get a header with the language and a Copy button
 *   (`data-copy-code`; hidden by CSS until an island handles it with
 *   islands/code_copy.ts);
 * - table alignment is a class (`align-left|center|right`), not an inline
 *   style (CSP `style-src 'self'`), and wide tables scroll in a wrapper;
 * - headings start at `<h3>` (a message sits under the page's `<h2>`);
 * - single newlines are line breaks, and bare URLs become links.
 *
 * Heavy to import (markdown-it and its parts): the server loads it on first
 * use through islands/markdown_lazy.ts, never on serve's boot path.
 *
 * @module
 */
// @deno-types="@types/markdown-it"
import MarkdownIt from "markdown-it";

type Token = ReturnType<MarkdownIt["parse"]>[number];

const HEADING_OFFSET = 2;
const SAFE_SCHEME = /^(https?|mailto):/;
const ANY_SCHEME = /^[a-z][a-z0-9+.-]*:/;
const LINK_REL = "noopener noreferrer nofollow";

/**
 * Whether `url` may be a link target: http(s), mailto, or a relative or
 * fragment URL. Control characters and whitespace are ignored when looking
 * for the scheme, as browsers do (`java\tscript:` is still `javascript:`).
 */
export function isSafeUrl(url: string): boolean {
  // deno-lint-ignore no-control-regex
  const bare = url.replace(/[\u0000-\u0020\u007f-\u009f]/g, "").toLowerCase();
  return SAFE_SCHEME.test(bare) || !ANY_SCHEME.test(bare);
}

function escape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

function codeBlock(code: string, info: string): string {
  const lang = /^[\w#+.-]{1,30}/.exec(info.trim())?.[0] ?? "";
  const cls = lang ? ` class="language-${escape(lang)}"` : "";
  return `<div class="code-block"><div class="code-head"><span class="code-lang">${
    escape(lang || "code")
  }</span><button type="button" class="code-copy" data-copy-code>Copy</button></div>` +
    `<pre><code${cls}>${escape(code.replace(/\n$/, ""))}</code></pre></div>\n`;
}

function alignToClass(tokens: Token[]): void {
  for (const token of tokens) {
    const style = token.attrGet("style");
    if (style === null) continue;
    token.attrs = (token.attrs ?? []).filter(([name]) => name !== "style");
    const align = /text-align:(left|center|right)/.exec(style)?.[1];
    if (align) token.attrJoin("class", `align-${align}`);
  }
}

function createRenderer(): MarkdownIt {
  const md = new MarkdownIt({ html: false, linkify: true, breaks: true, typographer: false });
  const builtin = md.validateLink.bind(md);
  md.validateLink = (url) => builtin(url) && isSafeUrl(url);
  md.core.ruler.push("talon_tables", (state) => {
    for (const token of state.tokens) {
      if (token.type === "th_open" || token.type === "td_open") alignToClass([token]);
    }
  });
  const r = md.renderer.rules;
  r.link_open = (tokens, i, options, _env, self) => {
    const token = tokens[i]!;
    token.attrSet("target", "_blank");
    token.attrSet("rel", LINK_REL);
    return self.renderToken(tokens, i, options);
  };
  r.image = (tokens, i) => {
    const token = tokens[i]!;
    const src = token.attrGet("src") ?? "";
    const alt = md.renderer.renderInlineAsText(token.children ?? [], md.options, {});
    return `<a href="${escape(src)}" target="_blank" rel="${LINK_REL}" class="md-image">` +
      `${escape(alt ? `Image: ${alt}` : `Image: ${src}`)}</a>`;
  };
  r.fence = (tokens, i) => codeBlock(tokens[i]!.content, tokens[i]!.info);
  r.code_block = (tokens, i) => codeBlock(tokens[i]!.content, "");
  r.table_open = () => `<div class="md-table"><table>\n`;
  r.table_close = () => `</table></div>\n`;
  r.heading_open = (tokens, i, options, _env, self) => {
    const token = tokens[i]!;
    token.tag = `h${Math.min(6, Number(token.tag.slice(1)) + HEADING_OFFSET)}`;
    return self.renderToken(tokens, i, options);
  };
  r.heading_close = r.heading_open;
  return md;
}

const renderer = createRenderer();

/** `text` (markdown) as HTML that is safe to insert: no raw HTML, no script, no remote image. */
export function renderMarkdown(text: string): string {
  if (typeof text !== "string") throw new TypeError("renderMarkdown() takes a string");
  return renderer.render(text);
}
