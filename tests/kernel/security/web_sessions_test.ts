import assert from "node:assert/strict";
import { WebSessionService } from "../../../kernel/security/mod.ts";
import { countWebSessionsOfToken } from "../../../kernel/store/mod.ts";
import { talonError, withKernel } from "../fixtures.ts";

Deno.test("WebSessionService stores only a hash of the session id and carries the token's current role", async () => {
  await withKernel(async (kernel) => {
    const token = await kernel.tokens.create({ actor: "test", role: "operator", name: "o" });
    const session = kernel.webSessions.create(token.id);
    assert.match(session.id, /^[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(kernel.webSessions.resolve(session.id), {
      token_id: token.id,
      role: "operator",
      expires_at: session.expires_at,
    });
    const rows = kernel.db.prepare("SELECT * FROM web_sessions").all();
    assert.equal(rows.length, 1);
    assert.ok(!JSON.stringify(rows).includes(session.id), "the id itself is never stored");
    assert.equal(kernel.webSessions.resolve("A".repeat(43)), undefined);
    assert.equal(kernel.webSessions.resolve("not a session id"), undefined);
  });
});

Deno.test("WebSessionService: a session ends at expiry, on end(), and when its token is revoked", async () => {
  await withKernel(async (kernel) => {
    let now = Date.parse("2030-01-01T00:00:00Z");
    const sessions = new WebSessionService(kernel.db, {
      audit: kernel.audit,
      ttlHours: 2,
      now: () => now,
    });
    assert.equal(sessions.ttlSeconds, 7200);
    const token = await kernel.tokens.create({ actor: "test", role: "viewer", name: "v" });
    const expiring = sessions.create(token.id);
    assert.equal(expiring.expires_at, "2030-01-01T02:00:00.000Z");
    now += 2 * 3_600_000 - 1;
    assert.ok(sessions.resolve(expiring.id));
    now += 1;
    assert.equal(sessions.resolve(expiring.id), undefined, "expired");
    assert.equal(sessions.prune(), 1);

    const ended = sessions.create(token.id);
    assert.equal(sessions.end(ended.id, { actor: "test" }), true);
    assert.equal(sessions.resolve(ended.id), undefined);
    assert.equal(sessions.end(ended.id, { actor: "test" }), false);

    const a = sessions.create(token.id);
    const b = sessions.create(token.id);
    assert.equal(countWebSessionsOfToken(kernel.db, token.id), 2);
    kernel.tokens.revoke(token.id, { actor: "test" });
    assert.equal(sessions.resolve(a.id), undefined);
    assert.equal(sessions.resolve(b.id), undefined);
    assert.equal(countWebSessionsOfToken(kernel.db, token.id), 0, "revoke deletes them");
    assert.throws(() => sessions.create(token.id), talonError("unauthorized", /revoked/));
    assert.throws(() => sessions.create("nope"), talonError("unauthorized"));
  });
});
