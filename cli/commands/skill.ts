/**
 * `talon skill list|show|install|remove`: bundled and installed skills.
 *
 * @module
 */
import { resolve } from "node:path";
import type { SkillView } from "../../kernel/types.ts";
import { withClient } from "../connect.ts";
import { json, table } from "../format.ts";
import type { Command } from "./command.ts";

const JSON_OPTION = { json: { type: "boolean", help: "print JSON" } } as const;

/** Every `talon skill` command. */
export const skillCommands: Command[] = [
  {
    words: ["skill", "list"],
    summary: "List bundled and installed skills, with their tools and status",
    args: [],
    options: JSON_OPTION,
    run: (ctx) =>
      withClient(ctx.globals, async (client) => {
        const skills = await client.listSkills();
        if (ctx.globals.json) ctx.io.out(json(skills));
        else if (skills.length === 0) ctx.io.out("No skills.\n");
        else {
          ctx.io.out(table(
            ["NAME", "VERSION", "SOURCE", "STATUS", "TOOLS"],
            skills.map((s) => [s.name, s.version, s.source, s.status, s.tools.join(", ") || "-"]),
          ));
        }
        return 0;
      }),
  },
  {
    words: ["skill", "show"],
    summary: "Show one skill: manifest, checks, tools and the prompt it adds",
    args: ["name"],
    options: JSON_OPTION,
    run: (ctx) =>
      withClient(ctx.globals, async (client) => {
        const skill = await client.showSkill(ctx.args[0]!);
        ctx.io.out(ctx.globals.json ? json(skill) : describe(skill));
        return 0;
      }),
  },
  {
    words: ["skill", "install"],
    summary: "Install the skill in a folder (SKILL.md, optional plugin.wasm)",
    args: ["dir"],
    options: JSON_OPTION,
    notes: [
      "The plugin's SHA-256 must match SKILL.md; it is instrumented for fuel when it is not yet.",
      "Prompt-injection text or over-broad capabilities are refused, with the reason.",
    ],
    run: (ctx) =>
      withClient(ctx.globals, async (client) => {
        const skill = await client.installSkill(resolve(ctx.args[0]!));
        ctx.io.out(
          ctx.globals.json
            ? json(skill)
            : `Installed skill ${skill.name} ${skill.version}${
              skill.tools.length ? ` (tools: ${skill.tools.join(", ")})` : ""
            }.\n`,
        );
        return 0;
      }),
  },
  {
    words: ["skill", "remove"],
    summary: "Remove an installed skill, its tools and its stored keys",
    args: ["name"],
    options: JSON_OPTION,
    run: (ctx) =>
      withClient(ctx.globals, async (client) => {
        await client.removeSkill(ctx.args[0]!);
        ctx.io.out(
          ctx.globals.json ? json({ removed: ctx.args[0] }) : `Removed skill ${ctx.args[0]}.\n`,
        );
        return 0;
      }),
  },
];

function describe(s: SkillView): string {
  const lines = [
    `${s.name} ${s.version} (${s.source}, ${s.status})`,
    s.description,
    ...(s.reason ? [`Refused: ${s.reason}`] : []),
    `Tools: ${s.tools.join(", ") || "-"}`,
    `Capabilities: ${s.capabilities.join(", ") || "-"}`,
    `Host functions: ${s.host_functions.join(", ") || "-"}`,
    `SHA-256: ${s.sha256 ?? "-"}`,
  ];
  if (s.requires.bins.length || s.requires.env.length) {
    lines.push(`Requires: ${[...s.requires.bins, ...s.requires.env].join(", ")}`);
  }
  if (s.prompt) lines.push("", s.prompt);
  return `${lines.join("\n")}\n`;
}
