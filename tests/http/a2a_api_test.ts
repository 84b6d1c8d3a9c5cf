import assert from "node:assert/strict";
import { A2aCardView, A2aPeerList } from "../../kernel/types.ts";
import { call, withApi } from "./http_fixtures.ts";

Deno.test("POST /api/a2a/discover reads a peer Talon's card (operator); GET /api/a2a/peers shows it (viewer)", async () => {
  await withApi(async (peer) => {
    peer.kernel.agents.spawn({ name: "scribe", a2a: true });
    const config =
      `[tools.web]\nallow_hosts = ["127.0.0.1"]\n\n[a2a.peers.other]\nurl = "${peer.server.url}"\n`;
    await withApi(async (f) => {
      const before = A2aPeerList.parse(
        (await call(f, "GET", "/api/a2a/peers", {
          token: f.tokens.viewer,
        })).body,
      );
      assert.deepEqual(before.peers.map((p) => [p.name, p.card]), [["other", null]]);

      const refused = await call(f, "POST", "/api/a2a/discover", {
        token: f.tokens.viewer,
        body: JSON.stringify({ url: peer.server.url }),
      });
      assert.equal(refused.status, 403);

      const found = await call(f, "POST", "/api/a2a/discover", {
        token: f.tokens.operator,
        body: JSON.stringify({ url: peer.server.url }),
      });
      assert.equal(found.status, 200, found.text);
      const card = A2aCardView.parse(found.body);
      assert.deepEqual(card.skills.map((s) => s.id), ["scribe"]);

      const after = A2aPeerList.parse(
        (await call(f, "GET", "/api/a2a/peers", {
          token: f.tokens.viewer,
        })).body,
      );
      assert.equal(after.peers[0]!.card?.name, "Talon");

      const bad = await call(f, "POST", "/api/a2a/discover", {
        token: f.tokens.operator,
        body: JSON.stringify({ url: "ftp://x" }),
      });
      assert.equal(bad.status, 400);
      assert.ok((bad.body.error as { fields: Record<string, string> }).fields.url);

      const stranger = await call(f, "POST", "/api/a2a/discover", {
        token: f.tokens.operator,
        body: JSON.stringify({ url: "http://127.0.0.1:1/" }),
      });
      assert.equal(stranger.status, 403);
      assert.equal((stranger.body.error as { code: string }).code, "url_denied");
    }, { config });
  });
});
