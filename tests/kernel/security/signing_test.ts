import assert from "node:assert/strict";
import {
  generateSigningKeyPair,
  keyIdOf,
  signPayload,
  verifyPayload,
} from "../../../kernel/security/mod.ts";

Deno.test("signPayload() signs the canonical JSON: key order does not matter, any change does", async () => {
  const key = await generateSigningKeyPair();
  assert.equal(key.key_id, keyIdOf(key.public_key));
  assert.match(key.key_id, /^[0-9a-f]{32}$/);
  const proof = await signPayload({ b: 2, a: [1, { y: "x", z: null }] }, key);
  assert.equal(proof.key_id, key.key_id);
  const publicKey = key.public_key;
  const reordered = { a: [1, { z: null, y: "x" }], b: 2 };
  assert.ok(verifyPayload(reordered, { signature: proof.signature, public_key: publicKey }));
  for (const changed of [{ a: [1, { y: "x", z: null }], b: 3 }, { a: [1], b: 2 }, null]) {
    assert.equal(
      verifyPayload(changed, { signature: proof.signature, public_key: publicKey }),
      false,
    );
  }
  const other = await generateSigningKeyPair();
  assert.equal(
    verifyPayload(reordered, { signature: proof.signature, public_key: other.public_key }),
    false,
    "another key does not verify it",
  );
});

Deno.test("verifyPayload() answers false, never throws, on malformed keys and signatures", async () => {
  const key = await generateSigningKeyPair();
  const proof = await signPayload({ n: 1 }, key);
  for (
    const bad of [
      { signature: "", public_key: key.public_key },
      { signature: "!!!", public_key: key.public_key },
      { signature: proof.signature.slice(0, 40), public_key: key.public_key },
      { signature: proof.signature, public_key: "short" },
      { signature: proof.signature, public_key: "@".repeat(43) },
    ]
  ) {
    assert.equal(verifyPayload({ n: 1 }, bad), false, JSON.stringify(bad));
  }
  assert.throws(() => keyIdOf("***"), TypeError);
});
