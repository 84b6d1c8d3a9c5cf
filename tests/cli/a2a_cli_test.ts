import assert from "node:assert/strict";
import { withApi } from "../http/http_fixtures.ts";
import { withTempDir } from "../kernel/fixtures.ts";
import { bootQuiet, serveDataDir, talon } from "./cli_fixtures.ts";

function configFor(peerUrl: string): string {
  return `[tools.web]\nallow_hosts = ["127.0.0.1"]\n\n[a2a.peers.other]\nurl = "${peerUrl}"\n`;
}

async function scenario(dataDir: string, peerUrl: string): Promise<string[]> {
  const steps = [
    ["a2a", "discover", peerUrl],
    ["a2a", "discover", `${peerUrl}/.well-known/agent-card.json`, "--json"],
    ["a2a", "discover", "http://127.0.0.1:1/"],
    ["a2a", "discover", "not a url"],
  ];
  const printed: string[] = [];
  for (const step of steps) {
    const r = await talon(dataDir, ...step);
    printed.push(
      `$ ${step.join(" ")}\n[${r.code}]\n${r.out + r.err}`.replaceAll(peerUrl, "<peer>")
        // The server names the body it refused; in-process, the URL.
        .replace(/invalid (body|peer URL): /, "invalid: "),
    );
  }
  return printed;
}

Deno.test("talon a2a discover reads another Talon's card, in-process and through a server; other URLs are refused", async () => {
  await withApi(async (peer) => {
    peer.kernel.agents.spawn({ name: "scribe", description: "Writes things down.", a2a: true });
    await withTempDir(async (root) => {
      const local = `${root}/local`;
      await Deno.mkdir(local);
      await Deno.writeTextFile(`${local}/config.toml`, configFor(peer.server.url));
      const printedLocal = await scenario(local, peer.server.url);
      assert.match(printedLocal[0]!, /^\$ a2a discover <peer>\n\[0\]\nTalon /);
      assert.match(printedLocal[0]!, /scribe +scribe +Writes things down\./);
      assert.match(printedLocal[0]!, /auth: bearer/);
      const card = JSON.parse(printedLocal[1]!.split("\n").slice(2).join("\n"));
      assert.equal(card.skills[0].id, "scribe");
      assert.match(printedLocal[2]!, /^\$ a2a discover http:\/\/127\.0\.0\.1:1\/\n\[1\]\n/);
      assert.match(printedLocal[2]!, /not one of this Talon's A2A peers \(other/);
      assert.match(printedLocal[3]!, /\[2\]/);

      const served = `${root}/served`;
      await Deno.mkdir(served);
      await Deno.writeTextFile(`${served}/config.toml`, configFor(peer.server.url));
      const kernel = await bootQuiet(served);
      const stop = await serveDataDir(kernel, served);
      try {
        assert.deepEqual(await scenario(served, peer.server.url), printedLocal);
        const listed = kernel.a2a.list();
        assert.equal(listed[0]!.card?.name, "Talon", "the serving kernel remembers the card");
      } finally {
        await stop();
      }
    });
  });
});
