import assert from "node:assert/strict";
import {
  AgentManifest,
  describeIssues,
  MessageBody,
  PageQuery,
  SpawnAgentBody,
} from "../../kernel/types.ts";

Deno.test("AgentManifest applies defaults to a minimal manifest", () => {
  const m = AgentManifest.parse({ name: "bot" });
  assert.equal(m.description, "");
  assert.equal(m.version, "0.1.0");
  assert.equal(m.module, "builtin:chat");
  assert.deepEqual(m.capabilities, []);
  assert.equal(m.tools, undefined);
  assert.equal(m.schedule, undefined);
  assert.equal(m.max_tokens, 4096);
});

Deno.test("AgentManifest rejects bad fields and describeIssues() names each path", () => {
  const cases: [unknown, RegExp][] = [
    [{ name: "bot", extra: 1 }, /unknown field "extra"/],
    [{ name: "bot", version: "1" }, /version: must be a semantic version/],
    [{ name: "bot", module: "npm:x" }, /module/],
    [{ name: "bot", temperature: 3 }, /temperature/],
    [
      { name: "bot", schedule: { mode: "periodic", message: "x", every: "1m" } },
      /schedule\.mode: `mode` was replaced: give cron, every or at/,
    ],
    [{ name: "bot", schedule: { message: "x" } }, /schedule\.cron: give one of cron, every or at/],
    [
      { name: "bot", schedule: { every: "soon", message: "x" } },
      /schedule\.every: must be a positive duration/,
    ],
    [
      { name: "bot", schedule: { cron: "* * * * *", tz: "Mars/Base", message: "x" } },
      /schedule\.tz: unknown time zone/,
    ],
    [{ name: "bot", resources: { max_iterations: 0 } }, /resources\.max_iterations/],
    [{ name: "bot", resources: { gpu: 1 } }, /unknown field "resources\.gpu"/],
    [{ name: "bot", tools: ["Bad Tool"] }, /tools\.0/],
    [{ name: "bot", metadata: { k: { nested: true } } }, /metadata\.k/],
    [{}, /name/],
  ];
  for (const [input, pattern] of cases) {
    const parsed = AgentManifest.safeParse(input);
    assert.equal(parsed.success, false, JSON.stringify(input));
    assert.match(describeIssues(parsed.error!), pattern);
  }
});

Deno.test("SpawnAgentBody, MessageBody and PageQuery validate their wire shapes", () => {
  assert.equal(SpawnAgentBody.parse({ name: "c", parent: "p" }).parent, "p");
  assert.equal(MessageBody.safeParse({ text: "" }).success, false);
  assert.equal(MessageBody.safeParse({ text: "hi", extra: 1 }).success, false);
  assert.equal(PageQuery.parse({}).limit, 50);
  assert.equal(PageQuery.parse({ limit: "10" }).limit, 10);
  assert.equal(PageQuery.safeParse({ limit: "0" }).success, false);
  assert.equal(PageQuery.safeParse({ limit: "501" }).success, false);
});
