/**
 * `POST /api/auth/login` `{ "token": "tln_…" }`: exchanges an API token for
 * an HttpOnly, SameSite=Strict session cookie (`Secure` over https). A bad
 * token is a 401 that sets nothing; failed attempts are limited per client
 * IP (`[http.rate_limit] login_per_minute`), and a browser request from
 * another site is refused, so no page can log a visitor in as someone else.
 */
import { readBody } from "../../../http/body.ts";
import { route, type RouteHandlers } from "../../../http/define.ts";
import { logIn } from "../../../http/session.ts";
import { LoginBody, LoginResult } from "../../../kernel/types.ts";

export const handler: RouteHandlers = {
  POST: route("public", async (c) => {
    const { token } = await readBody(c, LoginBody);
    return c.json(await logIn(c, token));
  }, { json: LoginResult }),
};
