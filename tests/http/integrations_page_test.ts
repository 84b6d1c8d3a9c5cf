import assert from "node:assert/strict";
import { fetchPage, sessionCookie, withApi } from "./http_fixtures.ts";

const HOSTILE = `</script><script>alert(1)</script>`;

Deno.test("/integrations lists MCP servers and the A2A card and peers for every role; only admins get the add form, others are told why", async () => {
  await withApi(async (f) => {
    f.kernel.mcp.add({
      name: "files",
      transport: "stdio",
      command: "/usr/bin/env",
      args: [HOSTILE],
      env: ["HOME"],
    }, { actor: "token:admin" });
    f.kernel.agents.spawn({ name: "scribe", description: "Writes.", a2a: true });
    assert.equal((await fetchPage(f, "/integrations")).status, 303, "sign-in first");

    const viewer = await fetchPage(f, "/integrations", {
      cookie: await sessionCookie(f, "viewer"),
    });
    assert.equal(viewer.status, 200);
    assert.match(viewer.text, /<a href="\/integrations" aria-current="page">Integrations<\/a>/);
    assert.match(viewer.text, /data-server="files"/);
    assert.match(viewer.text, /data-status="idle"/);
    assert.ok(!viewer.text.includes(HOSTILE), "arguments are escaped");
    assert.match(viewer.text, /needs the admin role: a stdio server runs a\s+command/);
    assert.match(viewer.text, /You are signed in as viewer/);
    assert.ok(!viewer.text.includes("Add server"), "no add form below admin");
    assert.ok(!viewer.text.includes("Test connection"));
    // A2A: this Talon's public card with the agents it offers, and its peers (none configured).
    assert.match(viewer.text, /<div id="a2a">/);
    assert.match(viewer.text, /href="http:\/\/127\.0\.0\.1:\d+\/\.well-known\/agent-card\.json"/);
    assert.match(viewer.text, /<a href="\/agents\/scribe">scribe<\/a>/);
    assert.match(viewer.text, /No A2A peers/);

    const operator = await fetchPage(f, "/integrations", {
      cookie: await sessionCookie(f, "operator"),
    });
    assert.match(operator.text, /You are signed in as operator/);

    const admin = await fetchPage(f, "/integrations", {
      cookie: await sessionCookie(f, "admin"),
    });
    assert.equal(admin.status, 200);
    assert.match(admin.text, /Add server/);
    assert.match(admin.text, /Test connection/);
    assert.match(admin.text, />Remove</);
    assert.ok(!admin.text.includes("needs the admin role"));
  });
});
