import assert from "node:assert/strict";
import { z } from "zod";
import {
  AgentPatch,
  CreateTokenBody,
  describeIssues,
  GlobalBudgetPatch,
  issueFields,
  ScheduleSpec,
  SpawnAgentBody,
} from "../../../kernel/types.ts";

const ROOT = new URL("../../../", import.meta.url).pathname;

/** Runs `code` as a module in a fresh Deno that loads only what it imports. */
async function runAlone(code: string): Promise<string> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--ext=ts", code],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(out.stderr);
  assert.equal(out.code, 0, stderr);
  return new TextDecoder().decode(out.stdout).trim();
}

Deno.test("a zod/mini schema module words its issues in English with no classic zod loaded (as in an island)", async () => {
  const bad = { max_tokens: "5000", description: 3, capabilities: ["bogus"] };
  const alone = await runAlone(`
    import { AgentPatch } from "./kernel/schemas/agent_manifest.ts";
    console.log(JSON.stringify(AgentPatch.safeParse(${JSON.stringify(bad)}).error?.issues));
  `);
  const onServer = AgentPatch.safeParse(bad);
  assert.equal(onServer.success, false);
  assert.deepEqual(JSON.parse(alone), JSON.parse(JSON.stringify(onServer.error!.issues)));
  assert.match(alone, /expected number, received string/);
  assert.doesNotMatch(alone, /"Invalid input"/);
});

Deno.test("the zod/mini wire schemas parse through classic zod's functions, and issues map to field paths", () => {
  const parsed = z.safeParse(SpawnAgentBody, {
    name: "Bad Name",
    capabilities: ["file_read", "nope"],
    resources: { max_iterations: 0 },
  });
  assert.equal(parsed.success, false);
  assert.deepEqual(Object.keys(issueFields(parsed.error!)).sort(), [
    "capabilities.1",
    "name",
    "resources.max_iterations",
  ]);
  assert.match(describeIssues(parsed.error!), /^name: must be a slug/);
  assert.equal(GlobalBudgetPatch.safeParse({}).error?.issues[0]?.message, "set at least one cap");
  assert.deepEqual(CreateTokenBody.parse({ role: "viewer" }), { role: "viewer", name: "token" });
});

Deno.test("z.toJSONSchema() describes a zod/mini schema (tool inputs are built from them)", () => {
  const schema = z.toJSONSchema(ScheduleSpec, { io: "input" }) as {
    type: string;
    properties: Record<string, { type?: string }>;
    required: string[];
    additionalProperties: boolean;
  };
  assert.equal(schema.type, "object");
  assert.equal(schema.additionalProperties, false);
  assert.deepEqual(schema.required, ["message"]);
  assert.equal(schema.properties.every?.type, "string");
});
