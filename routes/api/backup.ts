/**
 * `GET /api/backup` (admin): a consistent snapshot of the database, taken
 * while Talon runs (`VACUUM INTO` inside the data dir, removed once opened),
 * streamed as a file. `talon backup <file>` saves it.
 */
import { actorOf, route, type RouteHandlers } from "../../http/define.ts";

export const handler: RouteHandlers = {
  GET: route("admin", async (c) => {
    const snapshot = await c.get("kernel").openBackup({ actor: actorOf(c) });
    return new Response(snapshot.file.readable, {
      headers: {
        "content-type": "application/vnd.sqlite3",
        "content-length": String(snapshot.size),
        "content-disposition": `attachment; filename="${snapshot.name}"`,
        "cache-control": "no-store",
      },
    });
  }, { download: true }),
};
