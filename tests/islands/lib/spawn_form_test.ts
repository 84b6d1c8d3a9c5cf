import assert from "node:assert/strict";
import {
  checkSpawnForm,
  emptySpawnForm,
  refusalErrors,
  spawnBodyOf,
  type SpawnFormValues,
  spawnValuesOf,
} from "../../../islands/lib/spawn_form.ts";

function valuesWith(patch: Partial<SpawnFormValues>): SpawnFormValues {
  return { ...emptySpawnForm(), name: "ok", ...patch };
}

Deno.test("spawnValuesOf() keeps every typed string, repeated fields as lists", () => {
  const data = new FormData();
  for (
    const [k, v] of [
      ["name", "Bad Name!"],
      ["capabilities", "file_read"],
      ["capabilities", "memory_read"],
      ["net_connect", "a.example.com"],
      ["net_connect", ""],
      ["max_iterations", "x"],
    ]
  ) {
    data.append(k!, v!);
  }
  data.append("file", new File(["x"], "ignored.txt"));
  const values = spawnValuesOf((name) => data.getAll(name));
  assert.equal(values.name, "Bad Name!");
  assert.deepEqual(values.capabilities, ["file_read", "memory_read"]);
  assert.deepEqual(values.net_connect, ["a.example.com", ""]);
  assert.equal(values.resources.max_iterations, "x");
  assert.equal(values.provider, "");
});

Deno.test("spawnBodyOf() leaves blank optional fields out and prefixes capability entries", () => {
  const body = spawnBodyOf(valuesWith({
    capabilities: ["file_read"],
    net_connect: [" api.example.com ", "", "net_connect:*.example.org"],
    env_read: ["HOME"],
    resources: { ...emptySpawnForm().resources, max_cost_usd_per_day: "0.25" },
  }));
  assert.deepEqual(body, {
    name: "ok",
    description: "",
    capabilities: [
      "file_read",
      "net_connect:api.example.com",
      "net_connect:*.example.org",
      "env_read:HOME",
    ],
    skills: [],
    resources: { max_cost_usd_per_day: 0.25 },
  });
});

Deno.test("checkSpawnForm() names the field of each problem, capability entries included", () => {
  const checked = checkSpawnForm(valuesWith({
    name: "Bad Name!",
    net_connect: ["ok.example.com", "bad host!"],
    env_read: ["not-a-key"],
    resources: { ...emptySpawnForm().resources, max_iterations: "many", max_tokens_per_hour: "-1" },
  }));
  assert.equal(checked.ok, false);
  if (checked.ok) return;
  assert.deepEqual(Object.keys(checked.errors).sort(), [
    "env_read",
    "name",
    "net_connect",
    "resources.max_iterations",
    "resources.max_tokens_per_hour",
  ]);
  assert.match(checked.errors.name!, /slug/);
  assert.equal(checked.errors["resources.max_iterations"], "enter a number");
  assert.deepEqual(checkSpawnForm(valuesWith({ capabilities: ["file_read"] })), {
    ok: true,
    body: { name: "ok", description: "", capabilities: ["file_read"], skills: [], resources: {} },
  });
});

Deno.test("refusalErrors() places a server refusal by its fields, never by its message", () => {
  const values = valuesWith({
    capabilities: ["memory_read"],
    net_connect: ["", "api.example.com"],
    env_read: ["HOME"],
    tools: ["system_time", "nope"],
  });
  // capabilitiesOf(values) = [memory_read, net_connect:api.example.com, env_read:HOME]
  const refused = (fields: Record<string, string>) =>
    refusalErrors(values, { code: "x", message: "the whole message", fields });
  assert.deepEqual(refused({ "capabilities.0": "a" }), { capabilities: "a" });
  assert.deepEqual(refused({ "capabilities.1": "b" }), { net_connect: "b" });
  assert.deepEqual(refused({ "capabilities.2": "c" }), { env_read: "c" });
  assert.deepEqual(refused({ "tools.1": "unknown tool" }), { tools: "unknown tool" });
  assert.deepEqual(refused({ "skills.0": "s" }), { skills: "s" });
  assert.deepEqual(refused({ provider: "p" }), { provider: "p" });
  assert.deepEqual(refused({ "resources.max_iterations": "big" }), {
    "resources.max_iterations": "big",
  });
  assert.deepEqual(
    refused({ schedule: "not built", name: "n" }),
    { form: "the whole message", name: "n" },
    "a field the form does not show goes to the alert",
  );
  // The message names a field, but without `fields` nothing is guessed from it.
  assert.deepEqual(
    refusalErrors(values, { code: "invalid_manifest", message: 'unknown provider "x"' }),
    { form: 'unknown provider "x"' },
  );
  assert.deepEqual(
    refusalErrors(values, { code: "name_taken", message: 'an agent named "ok" already exists' }),
    { name: 'an agent named "ok" already exists' },
    "a taken name is a whole-request refusal the form still puts on the name",
  );
});
