import assert from "node:assert/strict";
import { z } from "zod";
import { defineTool, ToolRegistry } from "../../../kernel/tools/mod.ts";
import { withKernel } from "../fixtures.ts";

const base = {
  description: "does a thing",
  input: z.strictObject({}),
  capabilities: [],
  risk: "low" as const,
  handler: () => "ok",
};

Deno.test("defineTool() accepts snake_case names up to 64 characters and refuses others", () => {
  for (const name of ["a", "system_time", "mcp_github_list_issues", "a".repeat(64), "x9_"]) {
    assert.equal(defineTool({ ...base, name }).name, name);
  }
  for (const name of ["", "A", "9a", "_a", "has-dash", "has space", "a".repeat(65), "é"]) {
    assert.throws(() => defineTool({ ...base, name }), TypeError, JSON.stringify(name));
  }
});

Deno.test("defineTool() refuses unknown capabilities and bad timeouts; a non-object schema fails when its parameters are read", () => {
  assert.throws(
    () => defineTool({ ...base, name: "t", capabilities: ["root"] }),
    /unknown capabilities: root/,
  );
  assert.throws(() => defineTool({ ...base, name: "t", timeoutMs: 0 }), /timeoutMs/);
  assert.throws(
    () => defineTool({ ...base, name: "t", input: z.string() }).parameters,
    /JSON object/,
  );
  assert.throws(
    () => defineTool({ ...base, name: "t", input: z.strictObject({ at: z.date() }) }).parameters,
    /no JSON Schema form/,
  );
  assert.throws(() => defineTool({ ...base, name: "t", description: " " }), /description/);
});

Deno.test("defineTool() generates the JSON Schema of the input without the $schema dialect", () => {
  const tool = defineTool({
    ...base,
    name: "search",
    input: z.strictObject({
      query: z.string().describe("what to find"),
      limit: z.number().int().min(1).max(50).default(10),
    }),
  });
  assert.deepEqual(tool.parameters, {
    type: "object",
    properties: {
      query: { type: "string", description: "what to find" },
      limit: { type: "integer", minimum: 1, maximum: 50, default: 10 },
    },
    required: ["query"],
    additionalProperties: false,
  });
});

Deno.test("ToolRegistry.register() refuses a second tool with the same name (TypeError)", () => {
  const registry = new ToolRegistry();
  registry.register(defineTool({ ...base, name: "t" }));
  assert.throws(() => registry.register(defineTool({ ...base, name: "t" })), TypeError);
  assert.deepEqual(registry.list().map((t) => t.name), ["t"]);
  assert.equal(registry.has("t"), true);
  assert.equal(registry.get("nope"), undefined);
});

/** Every built-in tool the kernel registers. */
const BUILTIN_TOOLS = [
  "a2a_discover",
  "a2a_send",
  "agent_kill",
  "agent_list",
  "agent_send",
  "agent_spawn",
  "apply_patch",
  "browser_click",
  "browser_fill",
  "browser_open",
  "browser_read",
  "browser_screenshot",
  "browser_submit",
  "file_list",
  "file_read",
  "file_write",
  "forecast_record",
  "forecast_resolve",
  "knowledge_add",
  "knowledge_query",
  "knowledge_relate",
  "memory_recall",
  "memory_remember",
  "memory_store",
  "memory_tool_history",
  "page_diff",
  "report_write",
  "schedule_create",
  "schedule_delete",
  "schedule_list",
  "shell_exec",
  "social_publish",
  "system_time",
  "video_clip",
  "web_fetch",
  "web_search",
];

Deno.test("The kernel's built-ins expose JSON Schemas generated from their zod inputs", async () => {
  await withKernel((kernel) => {
    const schemas = Object.fromEntries(kernel.tools.list().map((t) => [t.name, t.parameters]));
    assert.deepEqual(Object.keys(schemas).sort(), BUILTIN_TOOLS);
    assert.deepEqual(schemas.system_time, {
      type: "object",
      properties: {
        timezone: {
          type: "string",
          minLength: 1,
          maxLength: 100,
          description: "IANA time zone for the local time, e.g. Europe/Paris; UTC when omitted",
        },
      },
      additionalProperties: false,
    });
    assert.deepEqual(schemas.agent_list, {
      type: "object",
      properties: {},
      additionalProperties: false,
    });
    const send = schemas.agent_send as {
      properties: Record<string, { type: string }>;
      required: string[];
    };
    assert.deepEqual(send.required, ["agent", "message"]);
    assert.equal(send.properties.agent!.type, "string");
    assert.equal(send.properties.message!.type, "string");
    // What the model is offered carries the same schema.
    const agent = kernel.agents.spawn({ name: "a", tools: ["agent_send"] });
    assert.deepEqual(kernel.tools.definitions(agent)[0]!.parameters, schemas.agent_send);
  });
});

Deno.test("every tool a booted kernel registers has an object JSON Schema (generated on first read)", async () => {
  await withKernel((kernel) => {
    kernel.skills.list();
    const tools = kernel.tools.list();
    assert.ok(tools.length > 20, `only ${tools.length} tools`);
    for (const tool of tools) {
      assert.equal(tool.parameters.type, "object", tool.name);
      assert.equal(tool.parameters, tool.parameters, `${tool.name}: generated once`);
    }
  });
});
