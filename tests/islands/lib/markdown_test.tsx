import assert from "node:assert/strict";
import { renderToString } from "preact-render-to-string";
import { MarkdownText, TurnItem } from "../../../islands/lib/chat_parts.tsx";
import { isSafeUrl, renderMarkdown } from "../../../islands/lib/markdown.ts";
import { loadMarkdown, markdownRenderer } from "../../../islands/lib/markdown_lazy.ts";
import { REPO_ROOT } from "../../talon_process.ts";

/** Every way a reply could try to run script or load something. */
const HOSTILE = [
  "<script>alert(1)</script>",
  '<img src=x onerror="alert(1)">',
  "<!-- a comment --> <style>body{display:none}</style>",
  "[click](javascript:alert(1)) [two](JaVaScRiPt:alert(1)) [tab](java\tscript:alert(1))",
  "[ent](&#106;avascript:alert(1)) [d](data:text/html;base64,PHNjcmlwdD4=) [v](vbscript:msgbox(1))",
  '<javascript:alert(1)> <a href="javascript:alert(1)">raw</a>',
  "![pic](https://evil.example/x.png) ![inline](data:image/png;base64,AAAA)",
  '[t](https://ok.example "a\\" onclick=\\"alert(1)")',
].join("\n\n");

function assertInert(html: string): void {
  assert.doesNotMatch(html, /<script/i, "no script element");
  assert.doesNotMatch(html, /<style/i, "no style element");
  assert.doesNotMatch(html, /<img/i, "no image is loaded");
  assert.doesNotMatch(html, /<!--/, "comments are text");
  const attributes = [...html.matchAll(/<\w+((?:\s+[\w-]+(?:="[^"]*")?)*)\s*>/g)]
    .flatMap((tag) => [...tag[1]!.matchAll(/\s([\w-]+)(?:="[^"]*")?/g)].map((a) => a[1]!));
  assert.ok(attributes.includes("href"), "links are parsed");
  assert.deepEqual(attributes.filter((a) => /^on/i.test(a)), [], "no event handler attribute");
  assert.doesNotMatch(html, /(href|src)="\s*(javascript|data|vbscript):/i, "no script URL");
  assert.doesNotMatch(html, /\sstyle=/i, "no inline style (CSP style-src 'self')");
}

Deno.test("renderMarkdown() renders bold, lists, code spans and blocks, tables and links", () => {
  const html = renderMarkdown(
    "# Plan\n**now** and `x<y`\n\n- one\n- two\n\n1. first\n\n" +
      '| a | b |\n|:-:|--:|\n| 1 | 2 |\n\n```ts\nconst s = "<b>";\n```\n\n' +
      "[docs](https://example.com/a?b=1) and https://bare.example.org",
  );
  assert.match(html, /<h3>Plan<\/h3>/, "headings start at h3, under the page's h2");
  assert.match(html, /<strong>now<\/strong> and <code>x&lt;y<\/code>/);
  assert.match(html, /<ul>\n<li>one<\/li>\n<li>two<\/li>\n<\/ul>/);
  assert.match(html, /<ol>\n<li>first<\/li>\n<\/ol>/);
  assert.match(html, /<div class="md-table"><table>/);
  assert.match(html, /<th class="align-center">a<\/th>\n<th class="align-right">b<\/th>/);
  assert.match(
    html,
    /<div class="code-block"><div class="code-head"><span class="code-lang">ts<\/span><button type="button" class="code-copy" data-copy-code>Copy<\/button><\/div><pre><code class="language-ts">const s = &quot;&lt;b&gt;&quot;;<\/code><\/pre><\/div>/,
  );
  const rel = 'target="_blank" rel="noopener noreferrer nofollow"';
  assert.ok(html.includes(`<a href="https://example.com/a?b=1" ${rel}>docs</a>`));
  assert.ok(html.includes(`<a href="https://bare.example.org" ${rel}>`), "bare URLs link");
});

Deno.test("renderMarkdown() keeps raw HTML, comments and script URLs inert and never loads an image", () => {
  const html = renderMarkdown(HOSTILE);
  assertInert(html);
  assert.ok(html.includes("&lt;script&gt;alert(1)&lt;/script&gt;"), "raw HTML shown as text");
  assert.ok(html.includes("&lt;!-- a comment --&gt;"), "a comment is shown as text");
  assert.ok(html.includes("[click](javascript:alert(1))"), "a refused link stays text");
  assert.ok(
    html.includes(
      '<a href="https://evil.example/x.png" target="_blank" rel="noopener noreferrer nofollow" class="md-image">Image: pic</a>',
    ),
    "an image is a link to it",
  );
  assert.ok(html.includes("![inline](data:image/png;base64,AAAA)"), "a data: image stays text");
});

Deno.test("renderMarkdown() refuses misuse and isSafeUrl() admits only web, mail and relative targets", () => {
  assert.throws(() => renderMarkdown(42 as unknown as string), TypeError);
  for (
    const ok of ["https://a.b/c", "http://x", "mailto:a@b.c", "/agents", "#x", "//cdn.example/x"]
  ) {
    assert.equal(isSafeUrl(ok), true, ok);
  }
  for (
    const bad of [
      "javascript:x",
      " JAVASCRIPT:x",
      "java\nscript:x",
      "data:text/html,x",
      "vbscript:x",
      "file:///etc/passwd",
      "blob:x",
    ]
  ) {
    assert.equal(isSafeUrl(bad), false, bad);
  }
});

Deno.test("the chat renders agent text as the markdown module's HTML and user text as plain text", async () => {
  const text = "**bold** <b>raw</b>\n\n```\ncode\n```";
  assert.match(renderToString(<MarkdownText text={text} />), /^<p class="msg-text">\*\*bold\*\*/);
  await loadMarkdown();
  assert.equal(markdownRenderer(), renderMarkdown);
  const html = renderToString(
    <TurnItem
      agentName="scout"
      turn={{
        key: "t",
        input: "**not markdown** <i>x</i>",
        status: "interrupted",
        blocks: [{ kind: "text", text }],
      }}
    />,
  );
  assert.ok(html.includes(`<div class="msg-text md">${renderMarkdown(text)}</div>`), html);
  assert.ok(html.includes('<p class="msg-text">**not markdown** &lt;i>x&lt;/i></p>'), html);
  assert.match(html, /class="badge badge-warn">interrupted</);
  assert.match(html, /Cut off: Talon stopped while this answer was being written/);
});

Deno.test("a tool card cuts a long result, saying its full size, and shows a failed call's code", async () => {
  await loadMarkdown();
  const html = renderToString(
    <TurnItem
      agentName="scout"
      turn={{
        key: "t",
        input: "go",
        status: "complete",
        blocks: [
          {
            kind: "tool",
            id: "1",
            name: "web_fetch",
            args: {},
            output: "x".repeat(12_345),
            ok: true,
          },
          {
            kind: "tool",
            id: "2",
            name: "shell_exec",
            args: {},
            output: "needs shell_exec",
            ok: false,
            errorCode: "capability_denied",
          },
        ],
      }}
    />,
  );
  assert.match(html, /Cut: showing the first 2,000 of 12,345\s+characters/);
  assert.ok(!html.includes("x".repeat(2001)), "the rest is not in the page");
  assert.match(html, /tool-state-failed">failed<\/span><code class="tool-code">capability_denied</);
});

Deno.test("markdown-it is not in the chat page's static import graph (loaded on first render)", async () => {
  // Serve loads pages on their first request (http/routes.gen.ts); the chat page renders AgentChat.
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", `${REPO_ROOT}routes/agents/[id].tsx`],
    cwd: REPO_ROOT,
    stdout: "piped",
    stderr: "null",
  }).output();
  assert.ok(out.success, "deno info routes/agents/[id].tsx");
  const graph = JSON.parse(new TextDecoder().decode(out.stdout)) as {
    roots: string[];
    modules: {
      specifier: string;
      dependencies?: { code?: { specifier: string }; isDynamic?: boolean }[];
    }[];
  };
  const bySpecifier = new Map(graph.modules.map((m) => [m.specifier, m]));
  const seen = new Set<string>();
  const stack = [...graph.roots];
  while (stack.length) {
    const specifier = stack.pop()!;
    if (seen.has(specifier)) continue;
    seen.add(specifier);
    for (const dep of bySpecifier.get(specifier)?.dependencies ?? []) {
      if (dep.code && !dep.isDynamic) stack.push(dep.code.specifier);
    }
  }
  assert.ok(seen.has(new URL("islands/lib/markdown_lazy.ts", `file://${REPO_ROOT}`).href));
  assert.deepEqual([...seen].filter((s) => /markdown\.ts$|markdown-it/.test(s)), []);
});
