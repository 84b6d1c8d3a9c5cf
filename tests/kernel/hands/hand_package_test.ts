import assert from "node:assert/strict";
import {
  BUNDLED_HANDS,
  loadHandPackage,
  SOP_PHASES,
  sopProblems,
  wordCount,
} from "../../../kernel/hands/mod.ts";
import { TalonError } from "../../../kernel/errors.ts";
import { handSettingsSchema } from "../../../kernel/types.ts";

const GOOD_SOP = [
  "# SOP",
  ...SOP_PHASES.map((p) => `## ${p[0]!.toUpperCase()}${p.slice(1)}\n\n${"word ".repeat(110)}`),
].join("\n\n");

const GOOD_TOML = `
id = "demo"
name = "Demo"
description = "A demo Hand."
category = "test"
icon = "D"
version = "1.0.0"
tools = ["report_write"]

[[settings]]
key = "topic"
label = "Topic"
type = "text"
required = true

[schedule]
cron = "0 * * * *"
`;

function load(toml: string, sop = GOOD_SOP, where = "hands/demo") {
  return loadHandPackage({ handToml: toml, sopMd: sop, where });
}

function refusal(fn: () => unknown): TalonError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof TalonError, `a TalonError, got ${error}`);
    return error;
  }
  assert.fail("expected a refusal");
}

Deno.test("every bundled HAND.toml parses and each SOP has 500+ words and the five phases in order", () => {
  assert.deepEqual(
    BUNDLED_HANDS.map((p) => p.where.split("/")[1]).filter((id) =>
      ["researcher", "collector", "lead", "predictor", "social"].includes(id!)
    ).sort(),
    ["collector", "lead", "predictor", "researcher", "social"],
  );
  for (const pkg of BUNDLED_HANDS) {
    const hand = loadHandPackage(pkg);
    assert.equal(hand.manifest.id, pkg.where.split("/")[1]);
    assert.ok(wordCount(hand.sop) >= 500, `${pkg.where}: ${wordCount(hand.sop)} words`);
    assert.deepEqual(sopProblems(hand.sop), [], pkg.where);
    for (const phase of SOP_PHASES) {
      assert.match(hand.sop, new RegExp(`^#{1,4} .*${phase}`, "im"), `${pkg.where}: ${phase}`);
    }
    assert.match(hand.sop, /refused/i, `${pkg.where} says what to do when a tool is refused`);
  }
});

Deno.test("the researcher Hand requires a topic, and social gates social_publish", () => {
  const byId = new Map(BUNDLED_HANDS.map((p) => [p.where, loadHandPackage(p).manifest]));
  const researcher = byId.get("hands/researcher")!;
  const topic = researcher.settings.find((s) => s.key === "topic")!;
  assert.equal(topic.required, true);
  const schema = handSettingsSchema(researcher.settings);
  assert.equal(schema.safeParse({}).success, false);
  assert.deepEqual(byId.get("hands/social")!.approval.tools, ["social_publish"]);
});

Deno.test("a valid HAND.toml loads with its defaults applied", () => {
  const hand = load(GOOD_TOML);
  assert.equal(hand.manifest.schedule.tz, "UTC");
  assert.deepEqual(hand.manifest.mcp_servers, []);
  assert.equal(hand.manifest.settings[0]!.required, true);
});

Deno.test("bad HAND.toml inputs are refused naming the field", () => {
  const cases: [string, string, RegExp][] = [
    [GOOD_TOML.replace('id = "demo"', 'id = "Demo!"'), "id", /slug/],
    [GOOD_TOML.replace('type = "text"', 'type = "colour"'), "settings.0.type", /select/],
    [GOOD_TOML + "\n[budget]\nusd_per_run = -1\n", "budget.usd_per_run", /./],
    [GOOD_TOML.replace('version = "1.0.0"', 'version = "one"'), "version", /semantic/],
    [GOOD_TOML + '\n[[requires]]\nkind = "bin"\nname = "ffmpeg"\n', "requires.0.hint", /./],
    [
      GOOD_TOML + '\n[[requires]]\nkind = "magic"\nname = "x"\nhint = "h"\n',
      "requires.0.kind",
      /bin/,
    ],
    [
      GOOD_TOML + '\n[[settings]]\nkey = "mode"\nlabel = "Mode"\ntype = "select"\n',
      "settings.1.options",
      /options/,
    ],
    [
      GOOD_TOML + '\n[[settings]]\nkey = "n"\nlabel = "N"\ntype = "number"\ndefault = "x"\n',
      "settings.1.default",
      /number/,
    ],
    ["surprise = 1\n" + GOOD_TOML, "surprise", /unknown/],
    [
      GOOD_TOML.replace('cron = "0 * * * *"', 'tz = "Mars/Base"\ncron = "0 * * * *"'),
      "schedule.tz",
      /time zone/,
    ],
    [GOOD_TOML + '\n[approval]\ntools = ["web_fetch"]\n', "approval.tools.0", /not in tools/],
  ];
  for (const [toml, field, message] of cases) {
    const error = refusal(() => load(toml));
    assert.equal(error.code, "invalid_manifest", field);
    assert.ok(error.fields?.[field], `${field} in ${JSON.stringify(error.fields)}`);
    assert.match(error.fields![field]!, message, field);
    assert.match(error.message, /hands\/demo\/HAND\.toml/);
  }
});

Deno.test("a HAND.toml that is not TOML, or names another folder, is refused", () => {
  const broken = refusal(() => load('id = "demo'));
  assert.equal(broken.code, "invalid_manifest");
  assert.match(broken.message, /hands\/demo\/HAND\.toml is not valid TOML at line 1/);
  const other = refusal(() => load(GOOD_TOML, GOOD_SOP, "hands/other"));
  assert.deepEqual(Object.keys(other.fields ?? {}), ["id"]);
});

Deno.test("a HAND.toml's mcp_servers names servers; a malformed name is refused naming its entry", () => {
  const hand = load(GOOD_TOML.replace("tools =", 'mcp_servers = ["github", "fs"]\ntools ='));
  assert.deepEqual(hand.manifest.mcp_servers, ["github", "fs"]);
  const error = refusal(() =>
    load(GOOD_TOML.replace("tools =", 'mcp_servers = ["github", "Not A Name"]\ntools ='))
  );
  assert.equal(error.code, "invalid_manifest");
  assert.deepEqual(Object.keys(error.fields ?? {}), ["mcp_servers.1"]);
});

Deno.test("an SOP that is short or lacks a phase is refused, saying which", () => {
  const short = refusal(() =>
    load(GOOD_TOML, "## Plan\n## Gather\n## Verify\n## Produce\n## Deliver\n")
  );
  assert.match(short.message, /at least 500/);
  const noVerify = refusal(() => load(GOOD_TOML, GOOD_SOP.replace("## Verify", "## Check")));
  assert.match(noVerify.message, /no heading for the verify phase/);
});
