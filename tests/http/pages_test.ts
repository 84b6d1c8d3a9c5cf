import assert from "node:assert/strict";
import { ROUTES } from "../../http/routes.gen.ts";
import { staticImports } from "../../scripts/bundle_graph.ts";
import { fetchPage, type PageReply, sessionCookie, withApi } from "./http_fixtures.ts";

/** The session cookie a login response set, as a `Cookie` header value. */
function cookieFrom(reply: PageReply): string {
  const set = reply.headers.get("set-cookie") ?? "";
  const match = /^(talon_session=[^;]+)/.exec(set);
  assert.ok(match, `no session cookie in ${set}`);
  return match[1]!;
}

Deno.test("a page without a session redirects to /login with next", async () => {
  await withApi(async (f) => {
    const reply = await fetchPage(f, "/?tab=x");
    assert.equal(reply.status, 303);
    assert.equal(reply.headers.get("location"), "/login?next=%2F%3Ftab%3Dx");
  });
});

Deno.test("every page but /login and /logout needs a session", async () => {
  await withApi(async (f) => {
    const open: string[] = [];
    for (const route of ROUTES) {
      const { pattern } = route;
      const module = "module" in route ? route.module : await route.load();
      for (const [method, def] of Object.entries(module.handler)) {
        if (!def.page) continue;
        if (def.role === "public") {
          open.push(`${method} ${pattern}`);
          continue;
        }
        const path = pattern.replaceAll(/:\w+/g, "x");
        const reply = await fetchPage(f, path, { method, origin: f.server.url });
        assert.equal(reply.status, 303, `${method} ${path}`);
        assert.equal(reply.headers.get("location"), `/login?next=${encodeURIComponent(path)}`);
      }
    }
    assert.deepEqual(open.sort(), ["GET /login", "POST /login", "POST /logout"]);
  });
});

Deno.test("the /login form logs in without JavaScript: cookie set, redirect to next, / renders", async () => {
  await withApi(async (f) => {
    const reply = await fetchPage(f, "/login", {
      form: { token: f.tokens.admin, next: "/agents?x=1" },
    });
    assert.equal(reply.status, 303);
    assert.equal(reply.headers.get("location"), "/agents?x=1");
    const set = reply.headers.get("set-cookie")!;
    assert.match(
      set,
      /^talon_session=[\w-]{43}; Max-Age=43200; Path=\/; HttpOnly; SameSite=Strict$/,
    );
    const home = await fetchPage(f, "/", { cookie: cookieFrom(reply) });
    assert.equal(home.status, 200);
    assert.match(home.headers.get("content-type")!, /^text\/html/);
    assert.match(home.text, /<a href="\/" aria-current="page">Overview<\/a>/);
    assert.match(home.text, /<a href="\/audit"\s*>Audit<\/a>/);
  });
});

Deno.test("the /login form with a bad token answers 401 with the error and no cookie", async () => {
  await withApi(async (f) => {
    const reply = await fetchPage(f, "/login", { form: { token: "tln_nope_<b>x</b>", next: "/" } });
    assert.equal(reply.status, 401);
    assert.equal(reply.headers.get("set-cookie"), null);
    assert.match(reply.text, /that token is not valid/);
    assert.ok(!reply.text.includes("<b>x</b>"), "the presented token is never echoed");
    const empty = await fetchPage(f, "/login", { form: { token: "  ", next: "/" } });
    assert.equal(empty.status, 400);
    assert.match(empty.text, /enter your API token/);
  });
});

Deno.test("the /login form refuses other origins and never redirects off-site", async () => {
  await withApi(async (f) => {
    const cross = await fetchPage(f, "/login", {
      form: { token: f.tokens.admin, next: "/" },
      origin: "http://evil.example",
    });
    assert.equal(cross.status, 403);
    assert.equal(cross.headers.get("set-cookie"), null);
    for (const next of ["//evil.example/x", "https://evil.example", "/\\evil.example", "x"]) {
      const reply = await fetchPage(f, "/login", { form: { token: f.tokens.viewer, next } });
      assert.equal(reply.headers.get("location"), "/", next);
    }
  });
});

Deno.test("POST /api/auth/login sets the session cookie; GET /api/auth/session says how the caller came", async () => {
  await withApi(async (f) => {
    const bad = await fetchPage(f, "/api/auth/login", { json: { token: "tln_bad_bad" } });
    assert.equal(bad.status, 401);
    assert.equal(JSON.parse(bad.text).error.code, "unauthorized");
    const reply = await fetchPage(f, "/api/auth/login", { json: { token: f.tokens.operator } });
    assert.equal(reply.status, 200);
    const body = JSON.parse(reply.text);
    assert.equal(body.role, "operator");
    assert.ok(Date.parse(body.expires_at) > Date.now());
    const cookie = cookieFrom(reply);
    const viaCookie = await fetchPage(f, "/api/auth/session", { cookie });
    assert.deepEqual(JSON.parse(viaCookie.text), {
      token_id: body.token_id,
      role: "operator",
      via: "cookie",
    });
    const viaBearer = await fetchPage(f, "/api/auth/session", { token: f.tokens.viewer });
    assert.equal(JSON.parse(viaBearer.text).via, "bearer");
    const logout = await fetchPage(f, "/api/auth/logout", {
      method: "POST",
      cookie,
      origin: f.server.url,
    });
    assert.equal(logout.status, 204);
    assert.equal((await fetchPage(f, "/api/auth/session", { cookie })).status, 401);
  });
});

Deno.test("cookie-authenticated changes must come from Talon's own origin", async () => {
  await withApi(async (f) => {
    const cookie = await sessionCookie(f, "operator");
    const spawn = { name: "a", provider: "offline", model: "echo" };
    const none = await fetchPage(f, "/api/agents", { json: spawn, cookie });
    assert.equal(none.status, 403);
    assert.match(JSON.parse(none.text).error.message, /cross-site request refused/);
    const other = await fetchPage(f, "/api/agents", {
      json: spawn,
      cookie,
      origin: "http://evil.example",
    });
    assert.equal(other.status, 403);
    const same = await fetchPage(f, "/api/agents", { json: spawn, cookie, origin: f.server.url });
    assert.equal(same.status, 201, same.text);
    assert.equal(
      (await fetchPage(f, "/api/agents", { cookie })).status,
      200,
      "reads need no Origin",
    );
  });
});

Deno.test("revoking the token ends its sessions; sign-out clears the cookie", async () => {
  await withApi(async (f) => {
    const cookie = await sessionCookie(f, "viewer");
    assert.equal((await fetchPage(f, "/", { cookie })).status, 200);
    const viewerId = f.kernel.tokens.list().find((t) => t.role === "viewer")!.id;
    f.kernel.tokens.revoke(viewerId, { actor: "test" });
    assert.equal((await fetchPage(f, "/", { cookie })).status, 303);

    const admin = await sessionCookie(f, "admin");
    const out = await fetchPage(f, "/logout", {
      method: "POST",
      cookie: admin,
      origin: f.server.url,
    });
    assert.equal(out.status, 303);
    assert.equal(out.headers.get("location"), "/login");
    assert.match(out.headers.get("set-cookie")!, /^talon_session=; Max-Age=0; Path=\//);
    assert.equal((await fetchPage(f, "/", { cookie: admin })).status, 303);
  });
});

Deno.test("the layout shows only the nav entries the role may open", async () => {
  await withApi(async (f) => {
    const home = await fetchPage(f, "/", { cookie: await sessionCookie(f, "viewer") });
    assert.match(home.text, /<a href="\/agents"\s*>Agents<\/a>/);
    assert.match(
      home.text,
      /<a href="\/audit"\s*>Audit<\/a>/,
      "the audit log is readable by viewers",
    );
    assert.match(home.text, /<span class="role"[^>]*>viewer<\/span>/);
  });
});

Deno.test("a page without islands ships no script; /login ships one, with the CSP nonce", async () => {
  await withApi(async (f) => {
    const skills = await fetchPage(f, "/skills", { cookie: await sessionCookie(f, "viewer") });
    assert.equal(skills.status, 200);
    assert.ok(!skills.text.includes("<script"), "the skills page has no island");
    const login = await fetchPage(f, "/login");
    assert.equal(login.status, 200);
    const scripts = [
      ...login.text.matchAll(/<script type="module" nonce="([^"]+)" src="([^"]+)">/g),
    ];
    assert.equal(scripts.length, 1);
    assert.equal(login.text.match(/<script/g)!.length, 1);
    const csp = login.headers.get("content-security-policy")!;
    assert.ok(csp.includes(`'nonce-${scripts[0]![1]}'`), csp);
    assert.match(csp, /script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
    const boot = await fetchPage(f, scripts[0]![2]!);
    assert.equal(boot.status, 200);
    assert.equal(boot.headers.get("cache-control"), "public, max-age=31536000, immutable");
    assert.match(boot.headers.get("content-type")!, /^text\/javascript/);
  });
});

Deno.test("a page preloads every file its islands and boot script import, with the CSP nonce", async () => {
  await withApi(async (f) => {
    const page = await fetchPage(f, "/agents", { cookie: await sessionCookie(f, "operator") });
    assert.equal(page.status, 200);
    const nonce = /'nonce-([^']+)'/.exec(page.headers.get("content-security-policy")!)![1];
    const links = [
      ...page.text.matchAll(/<link rel="modulepreload" nonce="([^"]+)" href="([^"]+)">/g),
    ];
    assert.ok(links.length > 3, page.text);
    for (const [, linkNonce] of links) assert.equal(linkNonce, nonce);
    const preloaded = new Set(links.map((m) => m[2]!));
    assert.equal(preloaded.size, links.length, "each file once");
    const boot = /<script type="module" nonce="[^"]+" src="([^"]+)">/.exec(page.text)![1]!;
    const islands = [...page.text.matchAll(/data-src="([^"]+)"/g)].map((m) => m[1]!);
    for (const src of islands) assert.ok(preloaded.has(src), `island bundle ${src} preloaded`);
    for (const url of [boot, ...preloaded]) {
      const file = await fetchPage(f, url);
      assert.equal(file.status, 200, url);
      for (const dep of staticImports(file.text)) {
        assert.ok(preloaded.has(`/static/build/${dep}`), `${url} imports ${dep}, not preloaded`);
      }
    }
  });
});

Deno.test("static assets are served hashed and immutable; unknown ones are 404", async () => {
  await withApi(async (f) => {
    const login = await fetchPage(f, "/login");
    const href = /<link rel="stylesheet" href="(\/static\/talon-[0-9a-f]{12}\.css)">/.exec(
      login.text,
    )![1]!;
    const css = await fetchPage(f, href);
    assert.equal(css.status, 200);
    assert.match(css.headers.get("content-type")!, /^text\/css/);
    assert.equal(css.headers.get("cache-control"), "public, max-age=31536000, immutable");
    assert.match(css.text, /prefers-color-scheme: dark/);
    assert.equal((await fetchPage(f, "/static/talon.css")).status, 404);
    assert.equal((await fetchPage(f, "/static/../deno.json")).status, 404);
  });
});

Deno.test("unknown pages render a 404 page; unknown API paths stay JSON", async () => {
  await withApi(async (f) => {
    const page = await fetchPage(f, "/no-such-page");
    assert.equal(page.status, 404);
    assert.match(page.text, /There is no page at \/no-such-page\./);
    const api = await fetchPage(f, "/api/nope");
    assert.equal(api.status, 404);
    assert.equal(JSON.parse(api.text).error.code, "not_found");
  });
});

Deno.test("page modules are loaded on their first request, not with the app: the manifest imports only API modules", async () => {
  const manifest = await Deno.readTextFile(new URL("../../http/routes.gen.ts", import.meta.url));
  const imported = [...manifest.matchAll(/^import \* as \$\d+ from "([^"]+)";$/gm)].map((m) =>
    m[1]!
  );
  assert.ok(imported.length > 0);
  assert.ok(imported.every((p) => p.endsWith(".ts")), `pages imported statically: ${imported}`);
  assert.ok(
    ROUTES.every((r) =>
      ("load" in r) === /^\/(?!api\/|v1\/|mcp$|a2a\/|\.well-known\/)/.test(r.pattern)
    ),
    "every page route (and only those) is loaded lazily",
  );
});
