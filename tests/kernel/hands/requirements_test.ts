import assert from "node:assert/strict";
import { checkRequirements, HandService } from "../../../kernel/hands/mod.ts";
import { HandRequirement } from "../../../kernel/types.ts";
import { talonError, withKernel } from "../fixtures.ts";

const SOP = ["Plan", "Gather", "Verify", "Produce", "Deliver"].map((p) =>
  `## ${p}\n\n${"step ".repeat(110)}`
).join("\n\n");

const TOML = `
id = "needy"
name = "Needy"
description = "Needs things."
category = "test"
icon = "N"
version = "1.0.0"

[[requires]]
kind = "bin"
name = "talon-test-no-such-binary"
hint = "Install it with: apt-get install talon-test-no-such-binary"

[[requires]]
kind = "env"
name = "TALON_TEST_NEEDY_KEY"
hint = "Create a key at example.com/keys."

[[requires]]
kind = "bin"
name = "sh"
hint = "Install a POSIX shell."

[schedule]
cron = "0 * * * *"
`;

Deno.test("a missing binary and a missing env key refuse activation, each with its fix, writing nothing", async () => {
  await withKernel((kernel) => {
    const env = (key: string) => key === "PATH" ? "/usr/bin:/bin" : undefined;
    const hands = new HandService({
      db: kernel.db,
      bus: kernel.bus,
      log: kernel.log,
      clock: kernel.clock,
      agents: kernel.agents,
      schedules: kernel.schedules,
      env,
      packages: [{ handToml: TOML, sopMd: SOP, where: "hands/needy" }],
    });
    const checked = hands.check("needy");
    assert.deepEqual(checked.map((r) => [r.name, r.met]), [
      ["talon-test-no-such-binary", false],
      ["TALON_TEST_NEEDY_KEY", false],
      ["sh", true],
    ]);
    assert.match(checked[0]!.detail, /not on PATH/);
    assert.match(checked[0]!.fix, /apt-get install talon-test-no-such-binary/);
    assert.match(checked[1]!.fix, /example\.com\/keys.*--allow-env=TALON_TEST_NEEDY_KEY/);
    assert.match(checked[2]!.detail, /found at \/(usr\/)?bin\/sh/);
    assert.equal(hands.list()[0]!.ready, false);
    assert.throws(() => hands.activate("needy", {}), (error: unknown) => {
      talonError("not_configured")(error);
      const message = (error as Error).message;
      assert.match(message, /talon-test-no-such-binary is not on PATH; Install it/);
      assert.match(message, /TALON_TEST_NEEDY_KEY is not set/);
      assert.doesNotMatch(message, /POSIX/);
      return true;
    });
    assert.equal(kernel.agents.list().length, 0);
    assert.equal(hands.instances().length, 0);
  });
});

Deno.test("a missing Deno permission is found in a subprocess started with restricted flags, naming the flag", async () => {
  const dir = await Deno.makeTempDir({ prefix: "talon-perm-" });
  try {
    const probe = `${dir}/probe.ts`;
    const requires = [
      {
        kind: "permission",
        name: "run",
        value: "/usr/bin/chromium",
        hint: "The browser Hand drives Chromium.",
      },
      { kind: "permission", name: "read", value: "/", hint: "Reads files." },
      { kind: "permission", name: "net", hint: "Needs the network." },
    ].map((r) => HandRequirement.parse(r));
    const mod = new URL("../../../kernel/hands/mod.ts", import.meta.url).href;
    await Deno.writeTextFile(
      probe,
      `import { checkRequirements } from "${mod}";\n` +
        `console.log(JSON.stringify(checkRequirements(${
          JSON.stringify(requires)
        }, { env: () => undefined })));\n`,
    );
    const config = new URL("../../../deno.json", import.meta.url).pathname;
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--config", config, "--allow-read", "--no-prompt", probe],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
    const statuses = JSON.parse(new TextDecoder().decode(out.stdout)) as ReturnType<
      typeof checkRequirements
    >;
    assert.deepEqual(statuses.map((s) => s.met), [false, true, false]);
    assert.match(statuses[0]!.fix, /Start Talon with --allow-run=\/usr\/bin\/chromium/);
    assert.match(statuses[0]!.detail, /without --allow-run=\/usr\/bin\/chromium/);
    assert.match(statuses[2]!.fix, /--allow-net\b/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  // This test process runs with -A: the same check passes here.
  const here = checkRequirements([
    HandRequirement.parse({
      kind: "permission",
      name: "run",
      value: "/usr/bin/chromium",
      hint: "h",
    }),
  ], { env: () => undefined });
  assert.equal(here[0]!.met, true);
});
