/**
 * `GET /api/agents/{id}/sessions/{sid}/export?format=json|md`: the whole
 * session as a file (JSON in the `SessionExport` shape, or Markdown),
 * produced page by page as it is sent.
 */
import { readQuery } from "../../../../../../http/body.ts";
import { pathParam, route, type RouteHandlers } from "../../../../../../http/define.ts";
import { SessionExportQuery } from "../../../../../../kernel/types.ts";
import { sessionParam } from "../../../../../../http/session_param.ts";

export const handler: RouteHandlers = {
  GET: route("viewer", (c) => {
    const sid = sessionParam(c);
    const query = readQuery(c, SessionExportQuery);
    const file = c.get("kernel").sessions.export(pathParam(c, "id"), sid, query);
    const chunks = file.chunks[Symbol.iterator]();
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        const next = chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      },
    });
    return new Response(body, {
      headers: {
        "content-type": file.contentType,
        "content-disposition": `attachment; filename="${file.filename}"`,
      },
    });
  }, { download: true }),
};
