import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import type { Kernel } from "../../kernel/mod.ts";
import { bootQuiet, serveDataDir, talon } from "./cli_fixtures.ts";

/** Spawns agent `a` (audited as entry 1) and records five more entries about it. */
function seed(kernel: Kernel): void {
  const a = kernel.agents.spawn({ name: "a" });
  const audit = kernel.audit;
  audit.append({
    action: "agent.message",
    actor: "local",
    agent_id: a.id,
    detail: { text: "use tln_abcdefgh12345678 please" },
  });
  audit.append({
    action: "tool.call",
    actor: `agent:${a.id}`,
    agent_id: a.id,
    detail: { tool: "system_time" },
  });
  audit.append({
    action: "capability.denied",
    actor: `agent:${a.id}`,
    agent_id: a.id,
    detail: { capability: "shell_exec" },
  });
  audit.append({ action: "budget.set", actor: "local", detail: { cap_usd: 5 } });
  audit.append({ action: "agent.kill", actor: "local", agent_id: a.id });
}

async function seedDataDir(dataDir: string): Promise<void> {
  const kernel = await bootQuiet(dataDir);
  try {
    seed(kernel);
  } finally {
    await kernel.close();
  }
}

/** Runs raw SQL on a data dir's database through a connection of its own. */
function tamper(dataDir: string, sql: string): void {
  const db = new DatabaseSync(`${dataDir}/talon.db`);
  try {
    db.exec(sql);
  } finally {
    db.close();
  }
}

function normalize(text: string): string {
  return text
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, "<id>")
    .replace(/\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d{3}Z)?/g, "<time>")
    .replace(/[0-9a-f]{64}/g, "<hash>")
    .replace(/head (\d+) [0-9a-f]{16}/g, "head $1 <hash16>");
}

async function scenario(dataDir: string): Promise<string[]> {
  const steps: (string[] | string)[] = [
    ["audit", "verify"],
    ["audit", "verify", "--json"],
    ["audit", "list"],
    ["audit", "list", "--json", "--limit", "2"],
    ["audit", "list", "--agent", "a", "--limit", "3"],
    ["audit", "list", "--action", "capability.denied"],
    ["audit", "list", "--limit", "2", "--before", "3"],
    ["audit", "list", "--agent", "nobody"],
    `UPDATE audit_entries SET detail = '{"tool":"shell"}' WHERE id = 3`,
    ["audit", "verify"],
    ["audit", "verify", "--json"],
  ];
  const printed: string[] = [];
  for (const step of steps) {
    if (typeof step === "string") {
      tamper(dataDir, step);
      continue;
    }
    const r = await talon(dataDir, ...step);
    printed.push(`$ ${step.join(" ")}\n[${r.code}]\n${normalize(r.out)}${normalize(r.err)}`);
  }
  return printed;
}

Deno.test("talon audit verify exits 0 on an intact chain and 1 naming the first broken entry", async () => {
  const dir = await Deno.makeTempDir();
  try {
    assert.deepEqual(await talon(dir, "audit", "verify"), {
      code: 0,
      out: "Audit chain intact: 0 entries, no head\n",
      err: "",
    });
    await seedDataDir(dir);
    const intact = await talon(dir, "audit", "verify");
    assert.equal(intact.code, 0);
    assert.match(
      intact.out,
      /^Audit chain intact: 6 entries, head 6 [0-9a-f]{16}; 1 anchor match\n$/,
      "the seeding kernel anchored its head at shutdown",
    );
    const head = JSON.parse((await talon(dir, "audit", "verify", "--json")).out).head;
    assert.ok(intact.out.includes(` ${head.hash.slice(0, 16)};`));

    tamper(dir, `UPDATE audit_entries SET detail = '{"tool":"shell"}' WHERE id = 3`);
    assert.deepEqual(await talon(dir, "audit", "verify"), {
      code: 1,
      out: "Audit chain BROKEN at entry 3: hash does not match its contents (edited?)\n",
      err: "",
    });
    const json = await talon(dir, "audit", "verify", "--json");
    assert.equal(json.code, 1);
    assert.deepEqual(JSON.parse(json.out), {
      ok: false,
      entries: 6,
      head,
      first_broken: { id: 3, reason: "entry 3: hash does not match its contents (edited?)" },
      anchors: { checked: 1, newest: head },
    });

    tamper(dir, `UPDATE audit_entries SET detail = '{"tool":"system_time"}' WHERE id = 3`);
    assert.equal((await talon(dir, "audit", "verify")).code, 0, "restoring the row mends it");
    tamper(dir, "DELETE FROM audit_entries WHERE id = 5");
    assert.deepEqual(await talon(dir, "audit", "verify"), {
      code: 1,
      out: "Audit chain BROKEN at entry 6: entry 6 follows 4: entry 5 is missing\n",
      err: "",
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("talon audit prints the same output in-process and through a running server", async () => {
  const root = await Deno.makeTempDir();
  try {
    const localDir = `${root}/local`;
    await seedDataDir(localDir);
    const local = await scenario(localDir);

    const dataDir = `${root}/served`;
    const kernel = await bootQuiet(dataDir);
    seed(kernel);
    // As the local data dir's seeding kernel did at its shutdown.
    kernel.auditAnchors.anchor("manual");
    const stopServing = await serveDataDir(kernel, dataDir);
    let remote: string[];
    try {
      // The server's kernel holds the data dir's lock, so the CLI can only go through HTTP.
      remote = await scenario(dataDir);
      assert.equal(kernel.audit.verify().first_broken?.id, 3);
    } finally {
      await stopServing();
    }
    assert.deepEqual(remote, local);
    assert.match(
      local[0]!,
      /\[0\]\nAudit chain intact: 6 entries, head 6 <hash16>; 1 anchor match\n$/,
    );
    assert.match(
      local[2]!,
      /ID +TIME +ACTION +ACTOR +AGENT +DETAIL\n6 +<time> +agent\.kill +local/,
    );
    assert.match(local[2]!, /\{"text":"use \[REDACTED\] please"\}/, "listed detail is redacted");
    assert.equal(JSON.parse(local[3]!.split("\n").slice(2).join("\n")).length, 2);
    assert.match(local[4]!, /More: talon audit list --agent a --limit 3 --before 3\n$/);
    assert.match(
      local[5]!,
      /capability\.denied +agent:<id> +<id> +\{"capability":"shell_exec"\}\n$/,
    );
    assert.match(local[6]!, /\n2 +<time>[^\n]+\n1 +<time>[^\n]+\n$/, "paged before 3, no More");
    assert.match(local[7]!, /\[0\]\nNo audit entries\.\n$/);
    assert.match(local[8]!, /\[1\]\nAudit chain BROKEN at entry 3: hash does not match/);
    assert.match(local[9]!, /\[1\]\n\{\n {2}"ok": false/);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("talon audit rejects bad input with exit 2, one line, and an unchanged log", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await seedDataDir(dir);
    const cases: [string[], RegExp][] = [
      [["audit", "list", "--limit", "0"], /--limit must be an integer from 1 to 500/],
      [["audit", "list", "--limit", "many"], /--limit must be an integer from 1 to 500/],
      [["audit", "list", "--limit", "501"], /--limit must be an integer from 1 to 500/],
      [["audit", "list", "--before", "abc"], /--before must be an audit entry id/],
      [["audit", "list", "--action", "agent.dance"], /--action must be one of agent\.spawn, /],
      [["audit", "list", "--agent", ""], /--agent must be an agent id or name/],
      [["audit", "list", "--bogus"], /Unknown option '--bogus'/],
      [["audit", "verify", "--fast"], /Unknown option '--fast'/],
      [["audit", "verify", "extra"], /unexpected argument "extra"/],
      [["audit", "frob"], /unknown command "talon audit frob"/],
    ];
    for (const [args, pattern] of cases) {
      const r = await talon(dir, ...args);
      assert.equal(r.code, 2, `${args.join(" ")} → exit ${r.code}: ${r.err}`);
      assert.match(r.err, pattern, args.join(" "));
      assert.match(r.err, /^error: [^\n]+\n$/, `one line for ${args.join(" ")}`);
      assert.equal(r.out, "");
    }
    assert.match((await talon(dir, "audit", "verify")).out, /intact: 6 entries/);
    const help = await talon(dir, "audit", "--help");
    assert.equal(help.code, 0);
    assert.match(help.out, /audit verify +Verify the audit chain/);
    assert.match((await talon(dir, "--help")).out, /audit list/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
