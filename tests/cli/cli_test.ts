import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { runCli } from "../../cli/main.ts";
import { MIGRATIONS } from "../../migrations/mod.ts";
import { VERSION } from "../../kernel/mod.ts";
import { bootQuiet, serveDataDir, talon } from "./cli_fixtures.ts";

function normalize(text: string): string {
  return text
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, "<id>")
    .replace(/\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}\.\d{3}Z)?/g, "<time>")
    .replace(/tln_[0-9a-f]{12}_[A-Za-z0-9_-]{43}/g, "<token>")
    .replace(/"id": "[0-9a-f]{12}"/g, '"id": "<tid>"')
    .replace(/token [0-9a-f]{12}/g, "token <tid>");
}

/** A scenario of CLI commands; returns everything printed, normalized. */
async function scenario(dataDir: string): Promise<string[]> {
  const steps = [
    ["agent", "spawn", "--name", "a", "--description", "first"],
    ["agent", "spawn", "--name", "kid", "--parent", "a"],
    ["agent", "message", "a", "hello world"],
    ["agent", "list"],
    ["agent", "list", "--json"],
    ["agent", "show", "a"],
    ["agent", "pause", "a"],
    ["agent", "message", "a", "are you there"],
    ["agent", "resume", "a"],
    ["agent", "spawn", "--name", "a"],
    ["agent", "kill", "a"],
    ["agent", "show", "kid", "--json"],
    ["agent", "purge"],
    ["agent", "show", "nobody"],
    ["agent", "list", "--state", "killed"],
  ];
  const printed: string[] = [];
  for (const step of steps) {
    const r = await talon(dataDir, ...step);
    printed.push(`$ ${step.join(" ")}\n[${r.code}]\n${normalize(r.out)}${normalize(r.err)}`);
  }
  return printed;
}

Deno.test("runCli prints the same output in-process and through a running server", async () => {
  const root = await Deno.makeTempDir();
  try {
    const local = await scenario(`${root}/local`);

    const dataDir = `${root}/served`;
    const kernel = await bootQuiet(dataDir);
    const stopServing = await serveDataDir(kernel, dataDir);
    let remote: string[];
    try {
      remote = await scenario(dataDir);
      // The server really served them: its kernel saw the turns.
      assert.equal(kernel.agents.list({ state: "killed" }).length, 0);
    } finally {
      await stopServing();
    }
    assert.deepEqual(remote, local);
    assert.match(local[2]!, /^\$ agent message a hello world\n\[0\]\nOffline echo: "hello world"/);
    assert.match(
      local[7]!,
      /\[1\]\nerror: agent "a" is paused and accepts no messages; resume it first/,
    );
    assert.match(local[9]!, /\[2\]\nerror: an agent named "a" already exists/);
    assert.match(local[11]!, /"state": "killed"/, "kill cascades to the child");
    assert.match(local[12]!, /Purged 2 killed agents/);
    assert.match(local[13]!, /\[1\]\nerror: no agent with id or name "nobody"/);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

function tableCounts(dbPath: string): Record<string, number> {
  const db = new DatabaseSync(dbPath, { readOnly: true });
  try {
    const counts: Record<string, number> = {};
    for (const table of ["agents", "turns", "messages", "events", "api_tokens"]) {
      counts[table] = (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
    }
    return counts;
  } finally {
    db.close();
  }
}

Deno.test("runCli rejects bad input with exit 2, one line, and an unchanged database", async () => {
  const dir = await Deno.makeTempDir();
  try {
    assert.equal((await talon(dir, "agent", "spawn", "--name", "base")).code, 0);
    const before = tableCounts(`${dir}/talon.db`);
    await Deno.writeTextFile(`${dir}/broken.toml`, 'name = "x"\nbogus = [');
    await Deno.writeTextFile(`${dir}/unknown.toml`, 'name = "x"\nflavour = "mint"');
    await Deno.writeTextFile(`${dir}/badcap.toml`, 'name = "x"\ncapabilities = ["root"]');
    await Deno.writeTextFile(`${dir}/toomuch.toml`, 'name = "x"\ncapabilities = ["shell_exec"]');
    const cases: [string[], RegExp][] = [
      [["agent", "spawn", "--bogus"], /Unknown option '--bogus'/],
      [["agent", "spawn"], /give a manifest file or --name/],
      [["agent", "spawn", "--name", "Bad Name"], /name: must be a slug/],
      [["agent", "spawn", `${dir}/broken.toml`], /broken.toml is not valid TOML at line 2/],
      [["agent", "spawn", `${dir}/unknown.toml`], /unknown field "flavour"/],
      [["agent", "spawn", `${dir}/badcap.toml`], /unknown capability/],
      [["agent", "spawn", `${dir}/toomuch.toml`], /shell_exec, beyond max_capabilities/],
      [["agent", "spawn", `${dir}/missing.toml`], /cannot read manifest/],
      [["agent", "spawn", "--name", "base"], /already exists/],
      [["agent", "message", "base"], /missing <text>/],
      [["agent", "message", "base", "   "], /message text is empty/],
      [["agent", "show"], /missing <agent>/],
      [["agent", "show", "a", "b"], /unexpected argument "b"/],
      [["agent", "list", "--state", "sleeping"], /--state must be one of/],
      [["agent", "list", "--limit", "0"], /--limit must be an integer/],
      [["agent", "frobnicate"], /unknown command "talon agent frobnicate"/],
      [["launch"], /unknown command "launch"/],
      [["serve", "--port", "99999"], /--port must be an integer/],
      [["token", "create", "--role", "god"], /--role must be admin, operator or viewer/],
      [["agent", "list", "--log-level", "loud"], /--log-level must be one of/],
    ];
    for (const [args, pattern] of cases) {
      const r = await talon(dir, ...args);
      assert.equal(r.code, 2, `${args.join(" ")} → exit ${r.code}: ${r.err}`);
      assert.match(r.err, pattern, args.join(" "));
      assert.equal(r.err.trim().split("\n").length, 1, `one line for ${args.join(" ")}: ${r.err}`);
      assert.match(r.err, /^error: /);
      assert.equal(r.out, "");
    }
    assert.deepEqual(tableCounts(`${dir}/talon.db`), before);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("runCli rejects a bad config file naming the key, exit 2", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/config.toml`, '[server]\nhots = "x"\n');
    const r = await talon(dir, "agent", "list");
    assert.equal(r.code, 2);
    assert.match(r.err, /unknown field "server\.hots"/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("runCli --version, --help everywhere, and global flags before the command", async () => {
  const dir = await Deno.makeTempDir();
  try {
    assert.deepEqual(await talon(dir, "--version"), {
      code: 0,
      out: `talon ${VERSION}\n`,
      err: "",
    });
    const help = await talon(dir, "--help");
    assert.equal(help.code, 0);
    assert.match(help.out, /agent spawn/);
    const spawnHelp = await talon(dir, "agent", "spawn", "--help");
    assert.match(spawnHelp.out, /--system-prompt <text>/);
    assert.match((await talon(dir, "agent", "--help")).out, /agent purge/);
    let out = "";
    const code = await runCli(["--data-dir", dir, "agent", "spawn", "--name", "early"], {
      out: (t) => (out += t),
      err: () => {},
    });
    assert.equal(code, 0);
    assert.match(out, /Spawned agent early/);
    const list = await talon(dir, "agent", "list", "--json");
    assert.equal(JSON.parse(list.out)[0].name, "early");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("runCli token create prints the token alone on the last line; migrate reports the schema", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const created = await talon(dir, "token", "create", "--role", "operator", "--name", "ci");
    assert.equal(created.code, 0);
    const last = created.out.trim().split("\n").at(-1)!;
    assert.match(last, /^tln_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    const listed = JSON.parse((await talon(dir, "token", "list", "--json")).out);
    assert.equal(listed.length, 1);
    assert.equal(listed[0].role, "operator");
    assert.ok(!JSON.stringify(listed).includes(last.slice(17)), "the secret is never listed");
    assert.equal((await talon(dir, "token", "revoke", listed[0].id)).code, 0);
    assert.equal((await talon(dir, "token", "revoke", listed[0].id)).code, 1);
    const migrated = await talon(dir, "migrate", "--json");
    assert.equal(JSON.parse(migrated.out).to, MIGRATIONS.at(-1)!.version);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
