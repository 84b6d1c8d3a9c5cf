/**
 * The `{sid}` path parameter of the session routes, checked to be a session
 * id before the kernel looks it up.
 *
 * @module
 */
import { validate } from "./body.ts";
import { pathParam, type RouteContext } from "./define.ts";
import { SessionId } from "../kernel/types.ts";

/** The session id of the path; `invalid_input` when it is not one. */
export function sessionParam(c: RouteContext): string {
  return validate(SessionId, pathParam(c, "sid"), "session id");
}
