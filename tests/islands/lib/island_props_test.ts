import assert from "node:assert/strict";
import { decodeIslandProps, encodeIslandProps } from "../../../islands/lib/island_props.ts";

const HOSTILE = ["</script><script>alert(1)</script>", "<!--", "\"'&<>", "\u2028\u2029"];

Deno.test("encodeIslandProps() round-trips strings, numbers, booleans, null, arrays, objects and Dates", () => {
  const props = {
    name: "a",
    n: -1.5,
    ok: true,
    none: null,
    list: [1, "two", [false], { deep: new Date("2026-01-02T03:04:05.678Z") }],
    nested: { when: new Date(0), label: "2026-01-02T03:04:05.678Z" },
    hostile: HOSTILE,
  };
  const decoded = decodeIslandProps(encodeIslandProps("Demo", props));
  assert.deepEqual(decoded, props);
  const nested = decoded.nested as { when: Date; label: string };
  assert.ok(nested.when instanceof Date);
  assert.equal(typeof nested.label, "string", "a string that looks like a date stays a string");
});

Deno.test("encodeIslandProps() leaves out undefined object properties", () => {
  const decoded = decodeIslandProps(
    encodeIslandProps("Demo", { a: undefined, b: { c: undefined } }),
  );
  assert.deepEqual(decoded, { b: {} });
});

Deno.test("encodeIslandProps() refuses other values, naming the island and the prop path", () => {
  class Agent {}
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ onClick: () => {} }, /island Demo: prop "onClick" is a function/],
    [{ m: new Map() }, /prop "m" is a Map/],
    [{ a: { b: [1, new Agent()] } }, /prop "a\.b\[1\]" is a Agent/],
    [{ big: 1n }, /prop "big" is bigint/],
    [{ n: NaN }, /prop "n" is NaN/],
    [{ n: Infinity }, /prop "n" is Infinity/],
    [{ s: Symbol("x") }, /prop "s" is symbol/],
    [{ list: [undefined] }, /prop "list\[0\]" is undefined/],
    [{ d: new Date("nope") }, /prop "d" is an invalid Date/],
    [cyclic, /prop "self" is a circular reference/],
  ];
  for (const [props, message] of cases) {
    assert.throws(() => encodeIslandProps("Demo", props), (e: unknown) => {
      assert.ok(e instanceof TypeError);
      assert.match(e.message, message);
      assert.match(e.message, /may only be strings, finite numbers, booleans, null/);
      return true;
    });
  }
});

Deno.test("encodeIslandProps() accepts the same object twice when it is not a cycle", () => {
  const shared = { x: 1 };
  assert.deepEqual(decodeIslandProps(encodeIslandProps("Demo", { a: shared, b: shared })), {
    a: { x: 1 },
    b: { x: 1 },
  });
});

Deno.test("decodeIslandProps() does not let a __proto__ key reach Object.prototype", () => {
  const props = JSON.parse('{"__proto__": {"polluted": true}, "when": "x"}');
  const decoded = decodeIslandProps(encodeIslandProps("Demo", props));
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.deepEqual(Object.keys(decoded).sort(), ["__proto__", "when"]);
});
