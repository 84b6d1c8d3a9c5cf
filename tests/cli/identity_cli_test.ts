import assert from "node:assert/strict";
import { parse as parseToml } from "smol-toml";
import { withTempDir } from "../kernel/fixtures.ts";
import { talon } from "./cli_fixtures.ts";

const AGENT_TOML = `# a signed agent
name = "signed"
version = "1.0.0"
system_prompt = "You are careful."

[resources]
max_iterations = 5
`;

Deno.test("talon key create writes a 0600 key file, prints its public key, and never overwrites it", async () => {
  await withTempDir(async (dir) => {
    const file = `${dir}/k.json`;
    const made = await talon(dir, "key", "create", "--out", file);
    assert.equal(made.code, 0, made.err);
    const key = JSON.parse(await Deno.readTextFile(file));
    assert.equal(key.kind, "talon-signing-key");
    assert.match(made.out, new RegExp(`public key: ${key.public_key}`));
    assert.match(made.out, new RegExp(`key id:\\s+${key.key_id}`));
    assert.equal((await Deno.stat(file)).mode! & 0o777, 0o600);
    const again = await talon(dir, "key", "create", "--out", file);
    assert.equal(again.code, 2);
    assert.match(again.err, /already exists/);
    assert.deepEqual(JSON.parse(await Deno.readTextFile(file)), key, "the key file is unchanged");
  });
});

Deno.test("talon manifest sign round trip: the signed TOML spawns under require_signed_manifests; edited or unsigned ones do not", async () => {
  await withTempDir(async (dir) => {
    const keyFile = `${dir}/k.json`;
    assert.equal((await talon(dir, "key", "create", "--out", keyFile)).code, 0);
    const key = JSON.parse(await Deno.readTextFile(keyFile));
    await Deno.writeTextFile(
      `${dir}/config.toml`,
      `[security]\nrequire_signed_manifests = true\nmanifest_keys = ["${key.public_key}"]\n`,
    );
    const manifest = `${dir}/agent.toml`;
    await Deno.writeTextFile(manifest, AGENT_TOML);
    const unsigned = await talon(dir, "agent", "spawn", manifest);
    assert.equal(unsigned.code, 2);
    assert.match(unsigned.err, /not signed/);
    const signed = await talon(dir, "manifest", "sign", manifest, "--key", keyFile);
    assert.equal(signed.code, 0, signed.err);
    const text = await Deno.readTextFile(manifest);
    assert.ok(text.startsWith("# a signed agent\n"), "the file keeps its text");
    const doc = parseToml(text) as { signature: { key_id: string } };
    assert.equal(doc.signature.key_id, key.key_id);
    await Deno.writeTextFile(`${dir}/edited.toml`, text.replace("careful", "reckless"));
    const edited = await talon(dir, "agent", "spawn", `${dir}/edited.toml`);
    assert.equal(edited.code, 2);
    assert.match(edited.err, /changed after signing/);
    const spawned = await talon(dir, "agent", "spawn", manifest, "--json");
    assert.equal(spawned.code, 0, spawned.err);
    assert.equal(JSON.parse(spawned.out).manifest.system_prompt, "You are careful.");
    // Signing again replaces the old signature block.
    const resigned = await talon(dir, "manifest", "sign", manifest, "--key", keyFile);
    assert.equal(resigned.code, 0, resigned.err);
    assert.equal((await Deno.readTextFile(manifest)).match(/\[signature\]/g)?.length, 1);
  });
});

Deno.test("talon manifest sign writes JSON to --out, and refuses a manifest without a version or a bad key file", async () => {
  await withTempDir(async (dir) => {
    const keyFile = `${dir}/k.json`;
    assert.equal((await talon(dir, "key", "create", "--out", keyFile)).code, 0);
    await Deno.writeTextFile(`${dir}/a.json`, JSON.stringify({ name: "j", version: "0.2.0" }));
    const out = await talon(
      dir,
      "manifest",
      "sign",
      `${dir}/a.json`,
      "--key",
      keyFile,
      "--out",
      `${dir}/b.json`,
    );
    assert.equal(out.code, 0, out.err);
    const signed = JSON.parse(await Deno.readTextFile(`${dir}/b.json`));
    assert.match(signed.signature.value, /^[A-Za-z0-9_-]{86}$/);
    assert.deepEqual(JSON.parse(await Deno.readTextFile(`${dir}/a.json`)), {
      name: "j",
      version: "0.2.0",
    });
    await Deno.writeTextFile(`${dir}/nov.json`, JSON.stringify({ name: "j" }));
    const noVersion = await talon(dir, "manifest", "sign", `${dir}/nov.json`, "--key", keyFile);
    assert.equal(noVersion.code, 2);
    assert.match(noVersion.err, /must state its version/);
    await Deno.writeTextFile(`${dir}/bad.json`, "{}");
    const badKey = await talon(
      dir,
      "manifest",
      "sign",
      `${dir}/a.json`,
      "--key",
      `${dir}/bad.json`,
    );
    assert.equal(badKey.code, 2);
    assert.match(badKey.err, /not a key file/);
    const noKey = await talon(dir, "manifest", "sign", `${dir}/a.json`);
    assert.equal(noKey.code, 2);
    assert.match(noKey.err, /--key <file> is required/);
  });
});
