/** `POST /api/auth/login`: trade an API token for the `talon_session` cookie. */
import { readBody } from "../../../http/body.ts";
import { route, type RouteHandlers } from "../../../http/define.ts";
import { logIn } from "../../../http/session.ts";
import { LoginBody } from "../../../kernel/types.ts";

export const handler: RouteHandlers = {
  POST: route("public", async (c) => {
    const { token } = await readBody(c, LoginBody);
    return c.json(await logIn(c, token));
  }),
};
