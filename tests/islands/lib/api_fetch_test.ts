import assert from "node:assert/strict";
import {
  ApiCallError,
  apiFetch,
  apiJson,
  BAD_RESPONSE,
  errorOfBody,
  NETWORK_FAILURE,
  pathSegments,
} from "../../../islands/lib/api_fetch.ts";
import { ErrorBody } from "../../../kernel/types.ts";

const SAMPLES: unknown[] = [
  { error: { code: "x", message: "m" } },
  { error: { code: "x", message: "m", fields: { "capabilities.2": "no" } } },
  { error: { code: "x", message: "m", fields: {}, details: { missing: ["a"] } } },
  { error: { code: "x", message: "m", extra: 1 }, more: true },
  { error: { code: "x", message: "m", fields: { a: 1 } } },
  { error: { code: "x", message: "m", fields: ["a"] } },
  { error: { code: "x", message: "m", details: "d" } },
  { error: { code: "x", message: "m", details: null } },
  { error: { code: 1, message: "m" } },
  { error: { code: "x" } },
  { error: "x" },
  { error: null },
  { error: [] },
  {},
  [],
  null,
  "error",
  42,
];

Deno.test("errorOfBody() accepts exactly what the ErrorBody schema accepts", () => {
  for (const sample of SAMPLES) {
    const parsed = ErrorBody.safeParse(sample);
    const guarded = errorOfBody(sample);
    assert.equal(guarded !== undefined, parsed.success, JSON.stringify(sample));
    if (parsed.success) {
      const { code, message, fields, details } = parsed.data.error;
      assert.deepEqual(guarded, {
        code,
        message,
        ...(fields ? { fields } : {}),
        ...(details ? { details } : {}),
      });
    }
  }
});

Deno.test("pathSegments() reads dotted paths with numeric indices", () => {
  assert.deepEqual(pathSegments("capabilities.2"), ["capabilities", 2]);
  assert.deepEqual(pathSegments("resources.max_iterations"), ["resources", "max_iterations"]);
  assert.deepEqual(pathSegments("name"), ["name"]);
});

/** Serves `handler` on a free loopback port for `fn`. */
async function withServer(
  handler: (request: Request) => Response | Promise<Response>,
  fn: (base: string) => Promise<void>,
): Promise<void> {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, handler);
  try {
    await fn(`http://127.0.0.1:${server.addr.port}`);
  } finally {
    await server.shutdown();
  }
}

async function failure(call: Promise<unknown>): Promise<ApiCallError> {
  try {
    await call;
  } catch (error) {
    assert.ok(error instanceof ApiCallError, String(error));
    return error;
  }
  assert.fail("expected the call to fail");
}

Deno.test("apiFetch() turns an error body into ApiCallError with code, fields and details", async () => {
  const seen: { auth: string | null; type: string | null; body: string }[] = [];
  await withServer(async (request) => {
    seen.push({
      auth: request.headers.get("authorization"),
      type: request.headers.get("content-type"),
      body: await request.text(),
    });
    const path = new URL(request.url).pathname;
    if (path === "/ok") return Response.json({ id: "a" }, { status: 201 });
    if (path === "/gone") return new Response(null, { status: 204 });
    if (path === "/html") return new Response("<h1>proxy</h1>", { status: 502 });
    return Response.json({
      error: {
        code: "not_supported",
        message: "not yet",
        fields: { schedule: "schedules are not built yet" },
        details: { missing: ["x"] },
      },
    }, { status: 422 });
  }, async (base) => {
    const options = { base, headers: { authorization: "Bearer t" } };
    assert.deepEqual(await apiJson("POST", "/ok", { name: "a" }, options), { id: "a" });
    assert.equal(await apiJson("DELETE", "/gone", undefined, options), null);
    assert.deepEqual(seen[0], { auth: "Bearer t", type: "application/json", body: '{"name":"a"}' });
    const refused = await failure(
      apiFetch("POST", "/refuse", {
        ...options,
        body: { text: 'name = "a"', type: "application/toml" },
      }),
    );
    assert.equal(seen.at(-1)!.type, "application/toml");
    assert.equal(seen.at(-1)!.body, 'name = "a"');
    assert.equal(refused.status, 422);
    assert.equal(refused.code, "not_supported");
    assert.equal(refused.message, "not yet");
    assert.deepEqual(refused.fields, { schedule: "schedules are not built yet" });
    assert.deepEqual(refused.details, { missing: ["x"] });
    const html = await failure(apiFetch("GET", "/html", options));
    assert.equal(html.status, 502);
    assert.equal(html.code, BAD_RESPONSE);
    assert.equal(html.fields, undefined);
  });
});

Deno.test("apiFetch() reports a server that does not answer as status 0, code network", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = listener.addr.port;
  listener.close();
  const error = await failure(apiFetch("GET", "/api/status", { base: `http://127.0.0.1:${port}` }));
  assert.equal(error.status, 0);
  assert.equal(error.code, NETWORK_FAILURE);
  assert.match(error.message, /Talon did not answer/);
});
