import assert from "node:assert/strict";
import { callHash, LoopGuard } from "../../../kernel/agent/loop_guard.ts";

const call = (name: string, args: Record<string, unknown>, id = "c") => ({ id, name, args });

Deno.test("callHash() ignores key order and call ids but not values", () => {
  assert.equal(
    callHash(call("search", { q: "x", n: 1 }, "a")),
    callHash(call("search", { n: 1, q: "x" }, "b")),
  );
  assert.notEqual(callHash(call("search", { q: "x" })), callHash(call("search", { q: "y" })));
  assert.notEqual(callHash(call("search", { q: "x" })), callHash(call("fetch", { q: "x" })));
});

Deno.test("LoopGuard warns at the third identical call and blocks the fifth", () => {
  const guard = new LoopGuard();
  const verdicts = Array.from({ length: 6 }, () => guard.check(call("search", { q: "x" })));
  assert.deepEqual(verdicts.map((v) => v.action), [
    "allow",
    "allow",
    "warn",
    "warn",
    "block",
    "block",
  ]);
  assert.match((verdicts[4] as { note: string }).note, /Blocked.*call 5 in a row of "search"/);
});

Deno.test("LoopGuard starts counting again when the arguments change", () => {
  const guard = new LoopGuard();
  for (let i = 0; i < 4; i++) guard.check(call("search", { q: "x" }));
  assert.equal(guard.check(call("search", { q: "other" })).action, "allow");
  assert.equal(guard.check(call("search", { q: "x" })).action, "allow");
});

Deno.test("LoopGuard catches A→B→A→B ping-pong: warn at four, block at six", () => {
  const guard = new LoopGuard();
  const a = call("read", { path: "a" });
  const b = call("write", { path: "a" });
  const verdicts = [a, b, a, b, a, b].map((c) => guard.check(c));
  assert.deepEqual(verdicts.map((v) => v.action), [
    "allow",
    "allow",
    "allow",
    "warn",
    "warn",
    "block",
  ]);
  assert.match((verdicts[5] as { note: string }).note, /alternated between "read" and "write"/);
});

Deno.test("LoopGuard lets varied work through untouched", () => {
  const guard = new LoopGuard();
  for (let i = 0; i < 50; i++) {
    assert.equal(guard.check(call("fetch", { page: i })).action, "allow");
  }
});
