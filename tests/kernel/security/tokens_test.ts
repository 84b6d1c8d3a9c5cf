import assert from "node:assert/strict";
import {
  constantTimeEqual,
  mintToken,
  parseToken,
  randomCredential,
  verifyTokenSecret,
} from "../../../kernel/security/tokens.ts";

Deno.test("mintToken() produces a parseable token whose secret verifies against its hash", async () => {
  const minted = await mintToken();
  assert.match(minted.token, /^tln_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
  const parsed = parseToken(minted.token);
  assert.ok(parsed);
  assert.equal(parsed.id, minted.id);
  assert.ok(!minted.hash.includes(parsed.secret), "the hash is not the secret");
  assert.equal(await verifyTokenSecret(parsed.secret, minted.salt, minted.hash), true);
});

Deno.test("verifyTokenSecret() rejects a wrong secret, salt or hash", async () => {
  const a = await mintToken();
  const b = await mintToken();
  const secretA = parseToken(a.token)!.secret;
  const secretB = parseToken(b.token)!.secret;
  assert.notEqual(a.token, b.token);
  assert.equal(await verifyTokenSecret(secretB, a.salt, a.hash), false);
  assert.equal(await verifyTokenSecret(secretA, b.salt, a.hash), false);
  assert.equal(await verifyTokenSecret(secretA, a.salt, "short"), false);
});

Deno.test("parseToken() refuses malformed tokens", () => {
  const good = `tln_0123456789ab_${"a".repeat(43)}`;
  assert.ok(parseToken(good));
  for (
    const bad of [
      "",
      "tln_",
      good.toUpperCase(),
      good + "x",
      good.slice(0, -1),
      `tln_0123456789aZ_${"a".repeat(43)}`,
      ` ${good}`,
      `Bearer ${good}`,
      `tln_0123456789ab_${"a".repeat(42)}!`,
    ]
  ) {
    assert.equal(parseToken(bad), undefined, bad);
  }
});

Deno.test("constantTimeEqual() compares strings of any length", () => {
  assert.equal(constantTimeEqual("abc", "abc"), true);
  assert.equal(constantTimeEqual("abc", "abd"), false);
  assert.equal(constantTimeEqual("abc", "abcd"), false);
  assert.equal(constantTimeEqual("", ""), true);
  const a = randomCredential();
  assert.match(a, /^[A-Za-z0-9_-]{43}$/);
  assert.notEqual(a, randomCredential());
});

Deno.test("verifyTokenSecret() accepts hashes stored by earlier versions (node:crypto scrypt, base64url) and refuses garbage", async () => {
  const { randomBytes, scryptSync } = await import("node:crypto");
  const secret = randomBytes(32).toString("base64url");
  const salt = randomBytes(16).toString("base64url");
  const hash = scryptSync(secret, Buffer.from(salt, "base64url"), 32, { N: 16384, r: 8, p: 1 })
    .toString("base64url");
  assert.equal(await verifyTokenSecret(secret, salt, hash), true);
  assert.equal(await verifyTokenSecret(secret + "x", salt, hash), false);
  assert.equal(await verifyTokenSecret(secret, salt, "not base64url!"), false);
  assert.equal(await verifyTokenSecret(secret, salt, hash.slice(0, -2)), false);
});

Deno.test("constantTimeEqual() compares whole strings, including unequal lengths and non-ASCII", () => {
  assert.equal(constantTimeEqual("abc", "abc"), true);
  assert.equal(constantTimeEqual("abc", "abd"), false);
  assert.equal(constantTimeEqual("abc", "abcd"), false);
  assert.equal(constantTimeEqual("", ""), true);
  assert.equal(constantTimeEqual("", "a"), false);
  assert.equal(constantTimeEqual("é", "e"), false);
  assert.equal(randomCredential().length, 43);
});
