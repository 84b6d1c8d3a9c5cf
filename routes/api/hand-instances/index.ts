/** `GET /api/hand-instances`: instances, oldest first (`?hand=`, `?state=`). */
import { readQuery } from "../../../http/body.ts";
import { route, type RouteHandlers } from "../../../http/define.ts";
import { HandInstanceList, HandInstanceQuery } from "../../../kernel/types.ts";

export const handler: RouteHandlers = {
  GET: route("viewer", (c) => {
    const query = readQuery(c, HandInstanceQuery);
    return c.json(
      { instances: c.get("kernel").hands.instances(query) } satisfies HandInstanceList,
    );
  }, { json: HandInstanceList }),
};
