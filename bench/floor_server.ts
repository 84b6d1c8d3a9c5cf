/** The floor for whole-process figures: a bare `Deno.serve` answering JSON. */
Deno.serve(
  { hostname: "127.0.0.1", port: Number(Deno.args[0] ?? 0), onListen: () => {} },
  () => Response.json({ status: "ok" }),
);
