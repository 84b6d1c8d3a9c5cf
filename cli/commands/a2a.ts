/**
 * `talon a2a discover <url>`: reads the agent card of a configured A2A peer
 * (`[a2a.peers.<name>]`) and shows its skills.
 *
 * @module
 */
import { withClient } from "../connect.ts";
import { json, table } from "../format.ts";
import type { Command } from "./command.ts";

/** Every `talon a2a` command. */
export const a2aCommands: Command[] = [
  {
    words: ["a2a", "discover"],
    summary: "Read a configured A2A peer's agent card: its endpoint and skills",
    args: ["url"],
    options: { json: { type: "boolean", help: "print JSON" } },
    run: (ctx) =>
      withClient(ctx.globals, async (client) => {
        const card = await client.discoverA2a(ctx.args[0]!);
        if (ctx.globals.json) {
          ctx.io.out(json(card));
          return 0;
        }
        ctx.io.out(
          `${card.name} ${card.version}\n${card.description}\ncard: ${card.card_url}\nendpoint: ${
            card.endpoint ?? "(none)"
          }\nauth: ${card.auth.join(", ") || "(none)"}\n\n`,
        );
        if (card.skills.length === 0) ctx.io.out("No skills.\n");
        else {
          ctx.io.out(table(
            ["SKILL", "NAME", "DESCRIPTION"],
            card.skills.map((s) => [s.id, s.name, s.description.split("\n")[0]!.slice(0, 100)]),
          ));
        }
        return 0;
      }),
  },
];
