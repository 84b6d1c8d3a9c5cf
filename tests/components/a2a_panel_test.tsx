import assert from "node:assert/strict";
import { renderToString } from "preact-render-to-string";
import { A2aPanel } from "../../components/A2aPanel.tsx";
import { talonAgentCard } from "../../kernel/mod.ts";
import type { A2aPeerView } from "../../kernel/types.ts";
import { withKernel } from "../kernel/fixtures.ts";

const PEERS: A2aPeerView[] = [
  {
    name: "buddy",
    url: "https://buddy.example/",
    has_token: true,
    card: {
      card_url: "https://buddy.example/.well-known/agent-card.json",
      name: "Buddy",
      description: "A peer.",
      version: "2.0.0",
      endpoint: "https://buddy.example/rpc",
      streaming: true,
      auth: ["bearer"],
      skills: [{ id: "tr", name: "Translate <fast>", description: "", tags: [] }],
    },
    error: null,
    discovered_at: "2026-01-01T00:00:00.000Z",
  },
  {
    name: "down",
    url: "https://down.example/",
    has_token: false,
    card: null,
    error: "cannot fetch",
    discovered_at: "2026-01-01T00:00:00.000Z",
  },
];

Deno.test("A2aPanel shows this Talon's card with its offered agents, and each peer's status and skills", async () => {
  await withKernel((kernel) => {
    kernel.agents.spawn({ name: "scribe", description: "Writes.", a2a: true });
    kernel.agents.spawn({ name: "quiet" });
    const card = talonAgentCard(kernel, "https://talon.example/agents");
    const html = renderToString(
      <A2aPanel
        card={card}
        cardUrl="https://talon.example/.well-known/agent-card.json"
        peers={PEERS}
      />,
    );
    assert.match(html, /href="https:\/\/talon.example\/.well-known\/agent-card.json"/);
    assert.match(html, /auth: bearer/);
    assert.match(html, /<a href="\/agents\/scribe">scribe<\/a>/);
    assert.ok(!html.includes("quiet"), "agents not offered are not shown");
    assert.match(html, /badge-ok">discovered/);
    assert.match(html, /title="cannot fetch">failed/);
    assert.match(html, /Translate &lt;fast>/);
    assert.match(html, /Buddy 2.0.0/);
  });
});

Deno.test("A2aPanel says how to offer an agent and add a peer when there are none", async () => {
  await withKernel((kernel) => {
    const card = talonAgentCard(kernel, "https://talon.example/");
    const html = renderToString(<A2aPanel card={card} cardUrl="/x" peers={[]} />);
    assert.match(html, /No agent is offered over A2A/);
    assert.match(html, /<code>a2a = true<\/code>/);
    assert.match(html, /No A2A peers/);
  });
});
