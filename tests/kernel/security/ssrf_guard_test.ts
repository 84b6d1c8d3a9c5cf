import assert from "node:assert/strict";
import { type Resolver, SsrfGuard } from "../../../kernel/security/mod.ts";
import { blockedRange } from "../../../kernel/security/ip_ranges.ts";
import { serveWeb, untilClosed } from "../../fakes/web_server.ts";
import { settle, talonError } from "../fixtures.ts";

const text = (body: string, type = "text/plain") =>
  new Response(body, { headers: { "content-type": type } });

/** A resolver answering from a table, counting calls per name. */
function tableResolver(table: Record<string, string[] | string[][]>): {
  resolver: Resolver;
  calls: Record<string, number>;
} {
  const calls: Record<string, number> = {};
  return {
    calls,
    resolver: (name) => {
      const n = calls[name] = (calls[name] ?? 0) + 1;
      const entry = table[name];
      if (!entry) return Promise.reject(new Error(`no such host ${name}`));
      // A list of lists answers differently on each call.
      const answer = Array.isArray(entry[0]) ? (entry as string[][])[n - 1] ?? [] : entry;
      return Promise.resolve(answer as string[]);
    },
  };
}

Deno.test("blockedRange() names every private, local and metadata range, in IPv4, IPv6 and mapped forms", () => {
  const cases: Record<string, string | undefined> = {
    "127.0.0.1": "loopback",
    "127.8.9.10": "loopback",
    "10.1.2.3": "private",
    "172.16.0.1": "private",
    "192.168.1.1": "private",
    "169.254.169.254": "cloud metadata",
    "169.254.1.1": "linkLocal",
    "100.64.0.1": "carrierGradeNat",
    "224.0.0.1": "multicast",
    "0.0.0.0": "unspecified",
    "255.255.255.255": "broadcast",
    "::1": "loopback",
    "::": "unspecified",
    "::ffff:127.0.0.1": "loopback",
    "::ffff:a9fe:a9fe": "cloud metadata",
    "::ffff:10.0.0.1": "private",
    "fe80::1": "linkLocal",
    "fc00::1": "uniqueLocal",
    "fd00:ec2::254": "cloud metadata",
    "ff02::1": "multicast",
    "[::1]": "loopback",
    "8.8.8.8": undefined,
    "93.184.216.34": undefined,
    "2606:4700:4700::1111": undefined,
    "not-an-ip": "not an IP address",
  };
  for (const [address, range] of Object.entries(cases)) {
    assert.equal(blockedRange(address), range, address);
  }
});

Deno.test("SsrfGuard refuses loopback, private, metadata and mapped literals without connecting", async () => {
  await using server = serveWeb(() => text("should not be reached"));
  const guard = new SsrfGuard({ resolver: () => Promise.reject(new Error("not used")) });
  for (
    const url of [
      `http://127.0.0.1:${server.port}/`,
      `http://[::1]:${server.port}/`,
      `http://[::ffff:127.0.0.1]:${server.port}/`,
      `http://2130706433:${server.port}/`,
      "http://10.0.0.1/",
      "http://169.254.169.254/latest/meta-data/",
      "http://[fd00:ec2::254]/",
      "http://100.64.1.1/",
      "http://0.0.0.0/",
    ]
  ) {
    await assert.rejects(
      guard.fetch(url),
      talonError("url_denied", /address; only public hosts/),
      url,
    );
  }
  assert.deepEqual(server.hits, []);
});

Deno.test("SsrfGuard refuses other schemes and URLs with credentials", async () => {
  const guard = new SsrfGuard();
  await assert.rejects(guard.fetch("file:///etc/passwd"), talonError("url_denied", /file: URLs/));
  await assert.rejects(guard.fetch("ftp://example.com/"), talonError("url_denied"));
  await assert.rejects(
    guard.fetch("http://u:p@example.com/"),
    talonError("url_denied", /credentials/),
  );
  await assert.rejects(guard.fetch("not a url"), talonError("url_denied", /not a valid URL/));
});

Deno.test("SsrfGuard refuses a name that resolves to a private address (injected resolver)", async () => {
  const { resolver } = tableResolver({
    "intranet.test": ["10.1.2.3"],
    "mixed.test": ["93.184.216.34", "127.0.0.1"],
  });
  const guard = new SsrfGuard({ resolver });
  await assert.rejects(
    guard.fetch("http://intranet.test/"),
    talonError("url_denied", /intranet\.test resolves to 10\.1\.2\.3, which is a private address/),
  );
  await assert.rejects(
    guard.fetch("http://mixed.test/"),
    talonError("url_denied", /resolves to 127\.0\.0\.1/),
  );
});

Deno.test("the allow-list lets a test reach its own 127.0.0.1 server, on the listed port only", async () => {
  await using server = serveWeb(() => text("hello", "text/plain; charset=utf-8"));
  const open = new SsrfGuard({ allowHosts: ["127.0.0.1"] });
  const res = await open.fetch(`${server.origin}/hi?x=1`);
  assert.deepEqual([res.status, res.text, res.bytes, res.url], [
    200,
    "hello",
    5,
    `${server.origin}/hi?x=1`,
  ]);
  assert.equal(server.requests[0]!.headers.get("host"), `127.0.0.1:${server.port}`);
  const portBound = new SsrfGuard({ allowHosts: [`127.0.0.1:${server.port + 1}`] });
  await assert.rejects(portBound.fetch(`${server.origin}/`), talonError("url_denied"));
  assert.deepEqual(server.hits, ["/hi?x=1"]);
});

Deno.test("SsrfGuard checks every redirect: a redirect to a private address is refused", async () => {
  await using inside = serveWeb(() => text("internal secrets"), "127.0.0.2");
  await using outside = serveWeb((req) => {
    const to = new URL(req.url).searchParams.get("to")!;
    return new Response(null, { status: 302, headers: { location: to } });
  });
  const { resolver } = tableResolver({ "public.test": ["127.0.0.1"] });
  const guard = new SsrfGuard({ resolver, allowHosts: ["public.test"] });
  const base = `http://public.test:${outside.port}/r?to=`;
  for (
    const target of [
      `${inside.origin}/`,
      "http://169.254.169.254/latest/meta-data/",
      `http://127.0.0.1:${outside.port}/`,
      `http://[::ffff:127.0.0.2]:${inside.port}/`,
    ]
  ) {
    await assert.rejects(guard.fetch(base + encodeURIComponent(target)), talonError("url_denied"));
  }
  assert.deepEqual(inside.hits, []);
  await assert.rejects(
    guard.fetch(base + encodeURIComponent("file:///etc/passwd")),
    talonError("url_denied", /file: URLs are not fetched/),
  );
});

Deno.test("SsrfGuard follows allowed redirects up to max_redirects and passes each URL to checkUrl", async () => {
  await using server = serveWeb((req) => {
    const n = Number(new URL(req.url).pathname.slice(1));
    return n > 0
      ? new Response(null, { status: 301, headers: { location: `/${n - 1}` } })
      : text("end");
  });
  const seen: string[] = [];
  const guard = new SsrfGuard({ allowHosts: ["127.0.0.1"], maxRedirects: 2 });
  const res = await guard.fetch(`${server.origin}/2`, { checkUrl: (u) => seen.push(u.pathname) });
  assert.equal(res.text, "end");
  assert.deepEqual(seen, ["/2", "/1", "/0"]);
  assert.deepEqual(res.redirects, [`${server.origin}/2`, `${server.origin}/1`]);
  await assert.rejects(
    guard.fetch(`${server.origin}/3`),
    talonError("fetch_failed", /more than 2 redirects/),
  );
});

Deno.test("SsrfGuard connects to the address it checked: DNS rebinding between checks finds nothing to rebind", async () => {
  await using good = serveWeb(() => text("checked address"));
  await using evil = serveWeb(() => text("rebound address"), "127.0.0.2");
  assert.equal(good.port === evil.port, false);
  // The first answer is allowed; any second lookup would answer the unchecked 127.0.0.2.
  const { resolver, calls } = tableResolver({ "rebind.test": [["127.0.0.1"], ["127.0.0.2"]] });
  const guard = new SsrfGuard({ resolver, allowHosts: ["127.0.0.1"] });
  const res = await guard.fetch(`http://rebind.test:${good.port}/`);
  assert.equal(res.text, "checked address");
  assert.equal(calls["rebind.test"], 1, "the host is resolved once per hop");
  assert.deepEqual(evil.hits, []);
  // On a second fetch the name now answers 127.0.0.2, which is checked and refused.
  await assert.rejects(guard.fetch(`http://rebind.test:${good.port}/`), talonError("url_denied"));
  assert.deepEqual(evil.hits, []);
});

Deno.test("SsrfGuard stops a body past max_bytes, declared or streamed", async () => {
  await using server = serveWeb((req) => {
    if (new URL(req.url).pathname === "/declared") return text("x".repeat(100));
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < 10; i++) c.enqueue(new TextEncoder().encode("y".repeat(20)));
        c.close();
      },
    });
    return new Response(body, { headers: { "content-type": "text/plain" } });
  });
  const guard = new SsrfGuard({ allowHosts: ["127.0.0.1"], maxBytes: 50 });
  await assert.rejects(
    guard.fetch(`${server.origin}/declared`),
    talonError("fetch_failed", /declares 100 bytes; the limit is 50 bytes/),
  );
  await assert.rejects(
    guard.fetch(`${server.origin}/streamed`),
    talonError("fetch_failed", /sent more than 50 bytes/),
  );
});

Deno.test("SsrfGuard refuses binary content types and gives up at its time limit", async () => {
  await using server = serveWeb(async (req, closed) => {
    if (new URL(req.url).pathname === "/png") return text("\x89PNG", "image/png");
    await untilClosed(closed);
    return text("too late");
  });
  const guard = new SsrfGuard({ allowHosts: ["127.0.0.1"], timeoutMs: 200 });
  await assert.rejects(
    guard.fetch(`${server.origin}/png`),
    talonError("fetch_failed", /image\/png; only text, HTML, JSON and XML/),
  );
  // /slow never answers: only the time limit can end this fetch, and the message says it did.
  await assert.rejects(
    settle(guard.fetch(`${server.origin}/slow`), "the slow fetch"),
    talonError("fetch_failed", /no complete answer within 200 ms/),
  );
});
