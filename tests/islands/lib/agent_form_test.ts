import assert from "node:assert/strict";
import { checkAgentForm, formValuesOf, refusalErrors } from "../../../islands/lib/agent_form.ts";
import { AgentManifest } from "../../../kernel/types.ts";

const manifest = AgentManifest.parse({
  name: "a",
  model: "echo",
  capabilities: ["file_read"],
  resources: { max_iterations: 5 },
});
const initial = formValuesOf(manifest);

Deno.test("checkAgentForm() sends only the fields that changed, parsed by AgentPatch", () => {
  const check = checkAgentForm(
    { ...initial, capabilities: "file_read, memory_read\n", max_tokens_per_hour: " 900 " },
    initial,
  );
  assert.deepEqual(check, {
    ok: true,
    patch: {
      capabilities: ["file_read", "memory_read"],
      resources: { max_tokens_per_hour: 900, max_iterations: 5 },
    },
  });
  const tools = checkAgentForm({ ...formValuesOf({ ...manifest, tools: ["x"] }), tools: "" }, {
    ...initial,
    tools: "x",
  });
  assert.deepEqual(tools, { ok: true, patch: { tools: null } }, "empty tools go back to defaults");
});

Deno.test("checkAgentForm() maps schema issues to the form's fields, and says when nothing changed", () => {
  const check = checkAgentForm(
    { ...initial, capabilities: "file_read\nnope", max_iterations: "5000", model: " " },
    initial,
  );
  assert.equal(check.ok, false);
  if (check.ok) return;
  assert.deepEqual(Object.keys(check.errors).sort(), ["capabilities", "max_iterations", "model"]);
  assert.match(check.errors.capabilities!, /^line 2: unknown capability/);
  const typo = checkAgentForm({ ...initial, max_tokens_per_hour: "lots" }, initial);
  assert.deepEqual(typo, {
    ok: false,
    errors: { max_tokens_per_hour: "must be a number, e.g. 5000" },
    formError: undefined,
  });
  assert.deepEqual(checkAgentForm(initial, initial), {
    ok: false,
    errors: {},
    formError: "Nothing changed: edit a field, then save.",
  });
});

Deno.test("refusalErrors() puts an edit refusal's message on the form and its fields on theirs", () => {
  assert.deepEqual(
    refusalErrors({
      message: "whole",
      fields: { "capabilities.1": "browser_control is not built yet", "tools.0": "unknown tool" },
    }),
    {
      errors: {
        capabilities: "line 2: browser_control is not built yet",
        tools: "line 1: unknown tool",
      },
      formError: "whole",
    },
  );
  assert.deepEqual(
    refusalErrors({ message: "whole", fields: { "resources.max_iterations": "no" } }),
    { errors: { max_iterations: "no" }, formError: "whole" },
  );
  assert.deepEqual(
    refusalErrors({ message: "whole", fields: { schedule: "not built" } }),
    { errors: {}, formError: "whole" },
    "a field the form does not show is covered by the message",
  );
  assert.deepEqual(refusalErrors({ message: "provider down" }), {
    errors: {},
    formError: "provider down",
  });
});
