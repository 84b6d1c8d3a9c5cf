/**
 * `talon security audit`: prints the security posture — defences on and off,
 * which agents reach which high-risk tools unattended, the bind address and
 * tokens, MCP servers and Hands, the server's permissions, file modes — and
 * exits 1 when something is dangerous. Through a running server it needs an
 * admin credential (the local one `serve` publishes qualifies).
 *
 * @module
 */
import type { SecurityPosture } from "../../kernel/types.ts";
import { withClient } from "../connect.ts";
import { json, table } from "../format.ts";
import type { Command } from "./command.ts";

/** The posture as text: findings first, then what was checked. */
export function renderPosture(p: SecurityPosture): string {
  const lines: string[] = [];
  if (p.findings.length === 0) lines.push("No findings: nothing dangerous, nothing to warn about.");
  for (const f of p.findings) {
    lines.push(`${f.severity === "danger" ? "DANGER " : "warning"} ${f.code}: ${f.message}`);
    lines.push(`        fix: ${f.fix}`);
  }
  lines.push("", "Defences:");
  lines.push(
    table(
      ["layer", "on", "detail"],
      p.layers.map((l) => [l.name, l.on ? "on" : "OFF", l.detail]),
    ).trimEnd(),
  );
  const t = p.server.tokens;
  lines.push(
    "",
    `Server: ${p.server.host}:${p.server.port} (${
      p.server.loopback ? "loopback" : "NOT loopback"
    }); ` +
      `${t.active} active tokens (admin ${t.admin}, operator ${t.operator}, viewer ${t.viewer})`,
    `max_capabilities beyond the defaults: ${
      p.max_capabilities.beyond_defaults.join(", ") || "none"
    }`,
  );
  const reach = p.agents.filter((a) => a.sinks.length > 0);
  lines.push("", `Agents reaching high-risk tools: ${reach.length} of ${p.agents.length}`);
  if (reach.length > 0) {
    lines.push(
      table(
        ["agent", "tool", "risk", "approval"],
        reach.flatMap((a) =>
          a.sinks.map((s) => [a.name, s.tool, s.risk, s.gated_by ?? "NONE (runs unattended)"])
        ),
      ).trimEnd(),
    );
  }
  lines.push(
    "",
    `MCP servers: ${
      p.mcp_servers.map((s) =>
        `${s.name} (${s.transport}, ${s.status}${
          s.flagged.length && !s.allowed ? ", flagged" : ""
        })`
      ).join(", ") || "none"
    }`,
    `Hands: ${p.hands.map((h) => `${h.name} (${h.state})`).join(", ") || "none active"}`,
  );
  lines.push(
    p.permissions === null
      ? "Permissions: checked only through a running server (this ran in-process)."
      : `Permissions of the server: ${
        p.permissions.map((x) => `${x.name} ${x.unscoped ? "UNSCOPED" : x.state}`).join(", ")
      }`,
  );
  lines.push(
    `Files: ${
      p.files.map((f) =>
        `${f.path} ${f.mode ?? "?"}${f.others_can_access ? " (OTHERS CAN ACCESS)" : ""}`
      )
        .join(", ")
    }`,
  );
  lines.push("", p.dangerous ? "Verdict: DANGEROUS (exit 1)" : "Verdict: nothing dangerous");
  return lines.join("\n") + "\n";
}

/** Every `talon security` command. */
export const securityCommands: Command[] = [{
  words: ["security", "audit"],
  summary: "Print the security posture; exit 1 when something is dangerous",
  args: [],
  options: { json: { type: "boolean", help: "print JSON" } },
  notes: [
    "Dangerous: bound beyond loopback without tokens; an agent holding shell_exec and",
    "net_connect:* whose shell_exec runs without approval; max_capabilities beyond the",
    "defaults with ungated tools; a data dir or database other users can access.",
    "Through a running server it needs an admin credential.",
  ],
  run: (ctx) =>
    withClient(ctx.globals, async (client) => {
      const posture = await client.securityPosture();
      ctx.io.out(ctx.globals.json ? json(posture) : renderPosture(posture));
      return posture.dangerous ? 1 : 0;
    }),
}];
