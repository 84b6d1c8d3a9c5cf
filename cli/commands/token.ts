/**
 * `talon token create|list|revoke`: API tokens (admin).
 *
 * @module
 */
import { TokenRole } from "../../kernel/types.ts";
import { withClient } from "../connect.ts";
import { json, shortTime, table } from "../format.ts";
import { UsageError } from "../io.ts";
import type { Command } from "./command.ts";

/** Every `talon token` command. */
export const tokenCommands: Command[] = [
  {
    words: ["token", "create"],
    summary: "Create an API token; it is printed once, alone on the last line",
    args: [],
    options: {
      role: { type: "string", value: "<role>", help: "admin, operator or viewer (default viewer)" },
      name: { type: "string", value: "<name>", help: "a label for the token" },
      json: { type: "boolean", help: "print JSON" },
    },
    run: (ctx) => {
      const role = TokenRole.safeParse(ctx.values.role ?? "viewer");
      if (!role.success) throw new UsageError("--role must be admin, operator or viewer");
      const name = (ctx.values.name as string | undefined) ?? `${role.data} token`;
      if (name.length === 0 || name.length > 100) {
        throw new UsageError("--name must be 1 to 100 characters");
      }
      return withClient(ctx.globals, async (client) => {
        const token = await client.createToken({ role: role.data, name });
        if (ctx.globals.json) ctx.io.out(json(token));
        else {
          ctx.io.out(
            `Created ${token.role} token ${token.id} (${token.name}). It is shown only now:\n${token.token}\n`,
          );
        }
        return 0;
      });
    },
  },
  {
    words: ["token", "list"],
    summary: "List API tokens (never their secrets)",
    args: [],
    options: { json: { type: "boolean", help: "print JSON" } },
    run: (ctx) =>
      withClient(ctx.globals, async (client) => {
        const tokens = await client.listTokens();
        if (ctx.globals.json) ctx.io.out(json(tokens));
        else if (tokens.length === 0) ctx.io.out("No tokens.\n");
        else {
          ctx.io.out(table(
            ["ID", "NAME", "ROLE", "CREATED", "LAST USED", "REVOKED"],
            tokens.map((t) => [
              t.id,
              t.name,
              t.role,
              shortTime(t.created_at),
              shortTime(t.last_used_at),
              shortTime(t.revoked_at),
            ]),
          ));
        }
        return 0;
      }),
  },
  {
    words: ["token", "revoke"],
    summary: "Revoke an API token",
    args: ["id"],
    options: { json: { type: "boolean", help: "print JSON" } },
    run: (ctx) =>
      withClient(ctx.globals, async (client) => {
        const token = await client.revokeToken(ctx.args[0]!);
        ctx.io.out(ctx.globals.json ? json(token) : `Revoked token ${token.id}.\n`);
        return 0;
      }),
  },
];
