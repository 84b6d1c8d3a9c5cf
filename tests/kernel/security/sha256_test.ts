import assert from "node:assert/strict";
import { createHash, randomBytes as nodeRandomBytes } from "node:crypto";
import {
  fromBase64Url,
  randomBytes,
  sha256Base64Url,
  sha256Hex,
  toBase64Url,
} from "../../../kernel/security/sha256.ts";

Deno.test("sha256Hex() equals node:crypto's SHA-256 for every length around the block edges and beyond", () => {
  for (let n = 0; n <= 300; n++) {
    const bytes = new Uint8Array(nodeRandomBytes(n));
    assert.equal(sha256Hex(bytes), createHash("sha256").update(bytes).digest("hex"), `length ${n}`);
  }
  const big = new Uint8Array(nodeRandomBytes(200_003));
  assert.equal(sha256Hex(big), createHash("sha256").update(big).digest("hex"));
});

Deno.test("sha256 of a string hashes its UTF-8, as node:crypto does; base64url has no padding", () => {
  for (const text of ["", "abc", "héllo wörld 🦅", "x".repeat(1000)]) {
    assert.equal(sha256Hex(text), createHash("sha256").update(text).digest("hex"));
    assert.equal(sha256Base64Url(text), createHash("sha256").update(text).digest("base64url"));
  }
  assert.equal(
    sha256Hex("abc"),
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
  );
});

Deno.test("a subarray view is hashed as its own bytes, not its whole buffer", () => {
  const buffer = new Uint8Array(nodeRandomBytes(100));
  const view = buffer.subarray(7, 77);
  assert.equal(sha256Hex(view), createHash("sha256").update(view).digest("hex"));
});

Deno.test("base64url round-trips and matches Buffer's; randomBytes gives fresh bytes of the length asked", () => {
  for (let n = 0; n < 40; n++) {
    const bytes = new Uint8Array(nodeRandomBytes(n));
    const text = toBase64Url(bytes);
    assert.equal(text, Buffer.from(bytes).toString("base64url"));
    assert.deepEqual(fromBase64Url(text), bytes);
  }
  assert.equal(randomBytes(32).length, 32);
  assert.notDeepEqual(randomBytes(16), randomBytes(16));
});
