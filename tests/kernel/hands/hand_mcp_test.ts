import assert from "node:assert/strict";
import { HandService } from "../../../kernel/hands/mod.ts";
import type { Kernel } from "../../../kernel/kernel.ts";
import type { TalonError } from "../../../kernel/errors.ts";
import { talonError, withKernel } from "../fixtures.ts";

const SOP = ["Plan", "Gather", "Verify", "Produce", "Deliver"].map((p) =>
  `## ${p}\n\n${"step ".repeat(110)}`
).join("\n\n");

const TOML = `
id = "linked"
name = "Linked"
description = "Uses MCP servers."
category = "test"
icon = "L"
version = "1.0.0"
mcp_servers = ["files", "tracker"]

[agent]
capabilities = ["mcp:files", "mcp:tracker"]

[schedule]
cron = "0 * * * *"
`;

function handsOf(kernel: Kernel): HandService {
  return new HandService({
    db: kernel.db,
    bus: kernel.bus,
    log: kernel.log,
    clock: kernel.clock,
    agents: kernel.agents,
    schedules: kernel.schedules,
    env: () => undefined,
    packages: [{ handToml: TOML, sopMd: SOP, where: "hands/linked" }],
    mcpServers: kernel.mcp,
  });
}

const entry = (name: string) => ({ name, transport: "stdio", command: "/bin/true" });

Deno.test("a Hand naming an MCP server that is not configured is refused at activation, naming the entry", async () => {
  await withKernel((kernel) => {
    kernel.mcp.add(entry("files"), { actor: "token:admin" });
    const hands = handsOf(kernel);
    assert.deepEqual(hands.get("linked").manifest.mcp_servers, ["files", "tracker"]);
    assert.throws(() => hands.activate("linked", {}), (error: unknown) => {
      talonError("not_configured", /mcp_servers: .*not configured: tracker \(configured: files\)/)(
        error,
      );
      const fields = (error as TalonError).fields ?? {};
      assert.deepEqual(Object.keys(fields), ["mcp_servers.1"]);
      assert.match(fields["mcp_servers.1"]!, /no MCP server named "tracker"/);
      return true;
    });
    assert.equal(kernel.agents.list().length, 0, "nothing was spawned");
    assert.equal(hands.instances().length, 0);
  });
});

Deno.test("a Hand's instance agent gets the MCP servers its HAND.toml names", async () => {
  await withKernel((kernel) => {
    kernel.mcp.add(entry("files"), { actor: "token:admin" });
    kernel.mcp.add(entry("tracker"), { actor: "token:admin" });
    const instance = handsOf(kernel).activate("linked", {});
    const agent = kernel.agents.get(instance.agent_id);
    assert.deepEqual(agent.manifest.mcp_servers, ["files", "tracker"]);
    assert.deepEqual(agent.manifest.capabilities, ["mcp:files", "mcp:tracker"]);
  }, { config: 'max_capabilities = ["mcp:*"]\n' });
});
