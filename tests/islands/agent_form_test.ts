import assert from "node:assert/strict";
import { checkAgentForm, formValuesOf } from "../../islands/agent_form.ts";
import { AgentManifest } from "../../kernel/types.ts";

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
