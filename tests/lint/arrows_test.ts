import assert from "node:assert/strict";
import { arrowViolation } from "../../lint/arrows.ts";

Deno.test("arrowViolation() refuses kernel imports of server code, Hono and Preact", () => {
  assert.match(
    arrowViolation("kernel/agent/registry.ts", "../../http/app.ts", "http/app.ts")!,
    /kernel\/ must not import http\/app\.ts/,
  );
  assert.match(
    arrowViolation("kernel/kernel.ts", "../routes/api/health.ts", "routes/api/health.ts")!,
    /must not import/,
  );
  assert.match(arrowViolation("kernel/kernel.ts", "hono", undefined)!, /never sees a Request/);
  assert.match(arrowViolation("kernel/kernel.ts", "preact", undefined)!, /Preact/);
  assert.equal(arrowViolation("kernel/kernel.ts", "zod", undefined), undefined);
});

Deno.test("arrowViolation() allows only a kernel folder's mod.ts from outside it", () => {
  assert.match(
    arrowViolation("http/app.ts", "../kernel/store/agents.ts", "kernel/store/agents.ts")!,
    /import kernel\/store\/mod\.ts/,
  );
  assert.match(
    arrowViolation("kernel/kernel.ts", "./store/agents.ts", "kernel/store/agents.ts")!,
    /mod\.ts/,
  );
  assert.equal(
    arrowViolation("http/auth.ts", "../kernel/security/mod.ts", "kernel/security/mod.ts"),
    undefined,
  );
  assert.equal(
    arrowViolation("kernel/store/mod.ts", "./agents.ts", "kernel/store/agents.ts"),
    undefined,
  );
  assert.equal(arrowViolation("cli/main.ts", "../kernel/mod.ts", "kernel/mod.ts"), undefined);
});

Deno.test("arrowViolation() keeps _private files inside their folder and islands browser-safe", () => {
  assert.match(
    arrowViolation("kernel/llm/offline.ts", "../agent/_queue.ts", "kernel/agent/_queue.ts")!,
    /private to kernel\/agent\//,
  );
  assert.equal(
    arrowViolation("kernel/agent/registry.ts", "./_queue.ts", "kernel/agent/_queue.ts"),
    undefined,
  );
  assert.equal(
    arrowViolation("islands/Chat.tsx", "../kernel/types.ts", "kernel/types.ts", {
      typeOnly: true,
    }),
    undefined,
  );
  assert.match(
    arrowViolation("islands/Chat.tsx", "../kernel/mod.ts", "kernel/mod.ts")!,
    /only kernel\/types\.ts, kernel\/vocabulary\.ts, kernel\/format\.ts/,
  );
  assert.match(
    arrowViolation("islands/Chat.tsx", "../http/define.ts", "http/define.ts")!,
    /server code/,
  );
});

Deno.test("arrowViolation() lets islands import the zod-free kernel modules, and keeps them zod-free", () => {
  for (const target of ["kernel/vocabulary.ts", "kernel/format.ts"]) {
    assert.equal(arrowViolation("islands/Chat.tsx", `../${target}`, target), undefined);
  }
  assert.match(
    arrowViolation("islands/x.ts", "../kernel/config.ts", "kernel/config.ts")!,
    /not kernel\/config\.ts/,
  );
  assert.match(arrowViolation("kernel/vocabulary.ts", "zod", undefined)!, /zod-free.*not zod/);
  assert.match(
    arrowViolation("kernel/format.ts", "./types.ts", "kernel/types.ts")!,
    /must stay zod-free/,
  );
  assert.equal(
    arrowViolation("kernel/format.ts", "./vocabulary.ts", "kernel/vocabulary.ts"),
    undefined,
  );
});

Deno.test("arrowViolation() lets islands import only types from kernel/types.ts", () => {
  assert.match(
    arrowViolation("islands/lib/token_form.ts", "../../kernel/types.ts", "kernel/types.ts")!,
    /import only types from kernel\/types\.ts.*kernel\/schemas\/token\.ts/,
  );
  assert.equal(
    arrowViolation("routes/settings.tsx", "../kernel/types.ts", "kernel/types.ts"),
    undefined,
  );
});

Deno.test("arrowViolation() lets islands import the zod/mini schema modules, which import only zod/mini and each other", () => {
  for (const target of ["kernel/schemas/agent_manifest.ts", "kernel/schemas/token.ts"]) {
    assert.equal(arrowViolation("islands/x.ts", `../${target}`, target), undefined);
  }
  assert.match(
    arrowViolation("islands/x.ts", "../kernel/schemas/agent.ts", "kernel/schemas/agent.ts")!,
    /import kernel\/schemas\/mod\.ts/,
  );
  assert.match(
    arrowViolation(
      "routes/settings.tsx",
      "../kernel/schemas/token.ts",
      "kernel/schemas/token.ts",
    )!,
    /import kernel\/schemas\/mod\.ts/,
  );
  for (const specifier of ["zod/mini", "zod/locales"]) {
    assert.equal(arrowViolation("kernel/schemas/token.ts", specifier, undefined), undefined);
  }
  for (
    const [specifier, target] of [["./role.ts", "kernel/schemas/role.ts"], [
      "../vocabulary.ts",
      "kernel/vocabulary.ts",
    ]]
  ) {
    assert.equal(arrowViolation("kernel/schemas/token.ts", specifier, target), undefined);
  }
  assert.match(
    arrowViolation("kernel/schemas/token.ts", "zod", undefined)!,
    /shipped by islands.*not zod$/,
  );
  assert.match(
    arrowViolation("kernel/schemas/agent_manifest.ts", "./common.ts", "kernel/schemas/common.ts")!,
    /not kernel\/schemas\/common\.ts/,
  );
  assert.match(
    arrowViolation("kernel/schemas/auth.ts", "../types.ts", "kernel/types.ts")!,
    /not kernel\/types\.ts/,
  );
});

Deno.test("arrowViolation() lets the CLI import the shared API client and nothing else from islands", () => {
  assert.equal(
    arrowViolation("cli/http_client.ts", "../islands/lib/api_fetch.ts", "islands/lib/api_fetch.ts"),
    undefined,
  );
  assert.equal(
    arrowViolation("islands/ManifestForm.tsx", "./lib/api_fetch.ts", "islands/lib/api_fetch.ts"),
    undefined,
  );
  assert.match(
    arrowViolation(
      "cli/commands/agent.ts",
      "../../islands/lib/spawn_form.ts",
      "islands/lib/spawn_form.ts",
    )!,
    /only islands\/lib\/api_fetch\.ts/,
  );
  assert.match(
    arrowViolation("main.ts", "./islands/lib/sse_stream.ts", "islands/lib/sse_stream.ts")!,
    /only islands\/lib\/api_fetch\.ts/,
  );
});

Deno.test("arrowViolation() keeps the shared API client free of everything but kernel/types.ts", () => {
  assert.equal(
    arrowViolation("islands/lib/api_fetch.ts", "../../kernel/types.ts", "kernel/types.ts", {
      typeOnly: true,
    }),
    undefined,
  );
  assert.match(
    arrowViolation("islands/lib/api_fetch.ts", "preact", undefined)!,
    /imports only kernel\/types\.ts/,
  );
  assert.match(
    arrowViolation("islands/lib/api_fetch.ts", "./spawn_form.ts", "islands/lib/spawn_form.ts")!,
    /imports only kernel\/types\.ts/,
  );
});

Deno.test("the import-arrows plugin reports a violation through deno lint", async () => {
  const root = new URL("../../", import.meta.url).pathname;
  const file = `${root}kernel/_lint_probe_${crypto.randomUUID().slice(0, 8)}.ts`;
  await Deno.writeTextFile(file, 'import "../http/app.ts";\n');
  try {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["lint", "--rules-include=talon/import-arrows", file],
      cwd: root,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
    assert.notEqual(out.code, 0);
    assert.match(text, /talon\/import-arrows/);
    assert.match(text, /kernel\/ must not import http\/app\.ts/);
  } finally {
    await Deno.remove(file);
  }
});

Deno.test("the import-arrows plugin tells an island's type imports of kernel/types.ts from value imports", async () => {
  const root = new URL("../../", import.meta.url).pathname;
  const file = `${root}islands/lib/_lint_probe_${crypto.randomUUID().slice(0, 8)}.ts`;
  await Deno.writeTextFile(
    file,
    [
      'import type { AgentView } from "../../kernel/types.ts";',
      'import { type TokenView } from "../../kernel/types.ts";',
      'export type { SpawnCatalog } from "../../kernel/types.ts";',
      'import { MessageBody } from "../../kernel/types.ts";',
      "export type T = [AgentView, TokenView, typeof MessageBody];",
      "",
    ].join("\n"),
  );
  try {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["lint", "--rules-include=talon/import-arrows", "--json", file],
      cwd: root,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const report = JSON.parse(new TextDecoder().decode(out.stdout)) as {
      diagnostics: { code: string; range: { start: { line: number } }; message: string }[];
    };
    const arrows = report.diagnostics.filter((d) => d.code === "talon/import-arrows");
    assert.deepEqual(arrows.map((d) => d.range.start.line), [4]);
    assert.match(arrows[0]!.message, /import only types from kernel\/types\.ts/);
  } finally {
    await Deno.remove(file);
  }
});

Deno.test("arrowViolation() makes pages take islands from http/islands.gen.ts and keeps components out of islands", () => {
  assert.match(
    arrowViolation("routes/login.tsx", "../islands/LoginForm.tsx", "islands/LoginForm.tsx")!,
    /import the island LoginForm from http\/islands\.gen\.ts/,
  );
  assert.equal(
    arrowViolation("routes/login.tsx", "../http/islands.gen.ts", "http/islands.gen.ts"),
    undefined,
  );
  assert.equal(
    arrowViolation(
      "http/islands.tsx",
      "../islands/lib/island_props.ts",
      "islands/lib/island_props.ts",
    ),
    undefined,
  );
  assert.match(
    arrowViolation("islands/LoginForm.tsx", "../components/Field.tsx", "components/Field.tsx")!,
    /must not import server code/,
  );
});
