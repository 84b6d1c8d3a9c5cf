import assert from "node:assert/strict";
import {
  checkSpawnForm,
  emptySpawnForm,
  fieldOfRefusal,
  spawnBodyOf,
  type SpawnFormValues,
  spawnValuesOf,
} from "../../islands/spawn_form.ts";

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

Deno.test("fieldOfRefusal() puts server refusals on the field they are about", () => {
  assert.equal(fieldOfRefusal("name_taken", 'an agent named "x" exists'), "name");
  assert.equal(
    fieldOfRefusal("capability_exceeded", "asks for shell_exec, beyond"),
    "capabilities",
  );
  assert.equal(fieldOfRefusal("capability_exceeded", "asks for env_read:HOME, beyond"), "env_read");
  assert.equal(fieldOfRefusal("provider_unavailable", "needs OPENAI_API_KEY"), "provider");
  assert.equal(fieldOfRefusal("invalid_manifest", 'unknown provider "x"; use one of'), "provider");
  assert.equal(fieldOfRefusal("invalid_manifest", 'unknown tool "nope"; available'), "tools");
  assert.equal(fieldOfRefusal("skill_refused", 'skill "s" was refused'), "skills");
  assert.equal(fieldOfRefusal("network", "Talon did not answer"), "form");
});
