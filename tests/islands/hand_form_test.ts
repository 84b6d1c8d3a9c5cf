import assert from "node:assert/strict";
import {
  checkHandForm,
  emptyHandForm,
  handRefusalErrors,
  handValuesFrom,
} from "../../islands/lib/hand_form.ts";
import { HandSetting } from "../../kernel/types.ts";

const SETTINGS = [
  { key: "topic", label: "Topic", type: "text", required: true },
  { key: "depth", label: "Depth", type: "select", options: ["quick", "deep"], default: "quick" },
  { key: "max", label: "Max", type: "number", default: 3 },
  { key: "loud", label: "Loud", type: "toggle", default: true },
].map((s) => HandSetting.parse(s));

Deno.test("emptyHandForm() starts each setting at its default, as text", () => {
  assert.deepEqual(emptyHandForm(SETTINGS).settings, {
    topic: "",
    depth: "quick",
    max: "3",
    loud: "true",
  });
});

Deno.test("handValuesFrom() reads an unchecked toggle (absent from the submission) as false", () => {
  const form: Record<string, string> = { "settings.topic": "t", "settings.max": "5" };
  const values = handValuesFrom(SETTINGS, (name) => form[name]);
  assert.equal(values.settings.loud, "false");
  assert.equal(values.settings.max, "5");
  assert.equal(values.name, "");
});

Deno.test("checkHandForm() builds the API body with typed settings, blanks left to their defaults", () => {
  const check = checkHandForm(SETTINGS, {
    name: " desk ",
    model: "",
    cron: "",
    tz: "",
    settings: { topic: "edge", depth: "", max: "", loud: "false" },
  });
  assert.ok(check.ok);
  assert.deepEqual(check.body, { name: "desk", settings: { topic: "edge", loud: "false" } });
});

Deno.test("checkHandForm() refuses bad values with errors on their field paths", () => {
  const check = checkHandForm(SETTINGS, {
    name: "Bad Name",
    model: "",
    cron: "",
    tz: "",
    settings: { topic: " ", depth: "abyss", max: "many", loud: "true" },
  });
  assert.ok(!check.ok);
  assert.deepEqual(Object.keys(check.errors).sort(), [
    "name",
    "settings.depth",
    "settings.max",
    "settings.topic",
  ]);
  assert.equal(check.errors["settings.topic"], "Topic is required");
  assert.deepEqual(handRefusalErrors({ message: "m", fields: { name: "taken" } }), {
    errors: { name: "taken" },
    formError: "m",
  });
});
