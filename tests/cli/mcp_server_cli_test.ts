import assert from "node:assert/strict";
import { withTempDir } from "../kernel/fixtures.ts";
import { FAKE_SERVER, REPO_ROOT } from "../kernel/protocols/mcp_fixtures.ts";
import { bootQuiet, serveDataDir, talon } from "./cli_fixtures.ts";

const ADD = [
  "mcp-server",
  "add",
  "fake",
  "--command",
  Deno.execPath(),
  "--arg",
  "run",
  "--arg=-A",
  "--arg=--frozen",
  "--arg",
  FAKE_SERVER,
  "--cwd",
  REPO_ROOT,
  "--timeout",
  "30",
];

async function scenario(dataDir: string): Promise<string[]> {
  const steps = [
    ADD,
    ["mcp-server", "list"],
    ["mcp-server", "test", "fake"],
    ["mcp-server", "list", "--json"],
    ADD,
    ["mcp-server", "add", "both", "--command", "x", "--url", "http://127.0.0.1:1/mcp"],
    ["mcp-server", "add", "Bad", "--url", "ftp://x"],
    ["mcp-server", "allow", "fake"],
    ["mcp-server", "remove", "fake"],
    ["mcp-server", "remove", "fake"],
  ];
  const printed: string[] = [];
  for (const step of steps) {
    const r = await talon(dataDir, ...step);
    printed.push(
      `$ ${step.join(" ")}\n[${r.code}]\n${r.out + r.err}`.replaceAll(Deno.execPath(), "<deno>"),
    );
  }
  return printed;
}

Deno.test("talon mcp-server add|list|test|allow|remove: same output in-process and through a server", async () => {
  await withTempDir(async (root) => {
    const local = await scenario(`${root}/local`);
    const dataDir = `${root}/served`;
    const kernel = await bootQuiet(dataDir);
    const stopServing = await serveDataDir(kernel, dataDir);
    let remote: string[];
    try {
      remote = await scenario(dataDir);
      assert.equal(kernel.audit.list({ action: "mcp.server.add" }).entries.length, 1);
    } finally {
      await stopServing();
    }
    // A serving kernel remembers the tools it saw; a fresh CLI kernel has seen none.
    const skipKnownTools = (lines: string[]) => lines.filter((_, i) => i !== 3);
    assert.deepEqual(skipKnownTools(remote), skipKnownTools(local));
    assert.match(
      local[0]!,
      /\[0\]\nAdded MCP server fake \(stdio\)\. Talon needs --allow-run=<deno>/,
    );
    assert.match(local[1]!, /\nfake\s+stdio\s+api\s+idle\s+-\n/, "nothing started it");
    assert.match(local[2]!, /\[0\]\nTOOL\s+ORIGINAL\s+DESCRIPTION\nmcp_fake_die\s+die\s+/);
    assert.match(local[2]!, /\nmcp_fake_add_numbers\s+Add\.Numbers\s+Adds two numbers\./);
    assert.match(local[3]!, /"status": "idle"/, "test stopped it again");
    assert.match(local[4]!, /\[2\]\n.*already exists.*\(field name\)/);
    assert.match(local[5]!, /\[2\]\n.*either --command .* or --url/);
    assert.match(local[6]!, /\[2\]\n.*\(fields? .*name.*url|url.*name/);
    assert.match(local[7]!, /\[0\]\nAllowed MCP server fake\./);
    assert.match(local[8]!, /\[0\]\nRemoved MCP server fake\./);
    assert.match(local[9]!, /\[1\]\n.*no MCP server named "fake"/);
  });
});
