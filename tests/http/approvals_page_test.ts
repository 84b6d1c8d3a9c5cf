import assert from "node:assert/strict";
import { settle } from "../kernel/fixtures.ts";
import {
  exists,
  gatedConfig,
  sendAndPark,
  spawnWriter,
} from "../kernel/scheduler/approval_fixtures.ts";
import {
  type ApiFixture,
  fetchPage as fetchShared,
  type PageReply,
  sessionCookie,
  withApi,
} from "./http_fixtures.ts";

function fetchPage(
  f: ApiFixture,
  path: string,
  init: { cookie?: string; form?: Record<string, string> } = {},
): Promise<PageReply> {
  return fetchShared(f, path, { ...init, origin: init.form ? f.server.url : undefined });
}

/** The nav's pending count as rendered. */
function navCount(html: string): string | undefined {
  return /data-pending-approvals="(\d+)"/.exec(html)?.[1];
}

Deno.test("the approvals page shows exactly what will run, escaped; approving by plain POST runs the call, and again is a 409", async () => {
  await withApi(async (f) => {
    const writer = await spawnWriter(f.kernel, f.dir);
    const { handle, request } = await sendAndPark(f.kernel, writer.id);
    const operator = await sessionCookie(f, "operator");

    const shown = await fetchPage(f, "/approvals", { cookie: operator });
    assert.equal(shown.status, 200);
    assert.match(shown.text, new RegExp(`data-approval="${request.id}"`));
    assert.match(shown.text, /<code>file_write<\/code>/);
    assert.match(shown.text, /badge badge-[a-z]+">(low|medium|high) risk/);
    assert.match(shown.text, /approvals\.require/);
    assert.match(shown.text, /&quot;content&quot;: &quot;approved!&quot;|"content": "approved!"/);
    assert.match(shown.text, /Time left: <time class="approval-left"[^>]*>\d+m \d\ds</);
    assert.match(shown.text, /name="action" value="approve"/);
    assert.equal(navCount(shown.text), "1", "the nav shows one pending request");
    const elsewhere = await fetchPage(f, "/skills", { cookie: operator });
    assert.equal(navCount(elsewhere.text), "1", "on every page");
    assert.ok(!elsewhere.text.includes("<script"), "a page without islands still ships none");
    assert.equal(await exists(writer.file), false);

    const approved = await fetchPage(f, "/approvals", {
      cookie: operator,
      form: { id: request.id, action: "approve", reason: "" },
    });
    assert.equal(approved.status, 303, approved.text.slice(0, 300));
    assert.equal(approved.location, `/approvals?decided=${request.id}`);
    const result = await settle(handle.result, "the approved turn");
    assert.equal(result.status, "completed");
    assert.equal(await Deno.readTextFile(writer.file), "approved!");
    const after = await fetchPage(f, approved.location!, { cookie: operator });
    assert.match(after.text, /Approved file_write for writer\./);
    assert.match(after.text, /badge badge-ok">approved</);
    assert.equal(navCount(after.text), "0");

    const again = await fetchPage(f, "/approvals", {
      cookie: operator,
      form: { id: request.id, action: "reject", reason: "too late" },
    });
    assert.equal(again.status, 409);
    assert.match(again.text, /already approved/);
    assert.match(again.text, /value="too late"|class="form-error"/);
  }, { config: gatedConfig() });
});

Deno.test("rejecting by plain POST passes the reason; a viewer sees requests but cannot decide", async () => {
  await withApi(async (f) => {
    const writer = await spawnWriter(f.kernel, f.dir);
    const { handle, request } = await sendAndPark(f.kernel, writer.id);
    const viewer = await sessionCookie(f, "viewer");
    const seen = await fetchPage(f, "/approvals", { cookie: viewer });
    assert.equal(seen.status, 200);
    assert.match(seen.text, new RegExp(`data-approval="${request.id}"`));
    assert.ok(!seen.text.includes('value="approve"'), "no buttons for a viewer");
    const refused = await fetchPage(f, "/approvals", {
      cookie: viewer,
      form: { id: request.id, action: "approve" },
    });
    assert.equal(refused.status, 403);
    assert.equal(f.kernel.approvals.get(request.id).status, "pending");

    const operator = await sessionCookie(f, "operator");
    const long = await fetchPage(f, "/approvals", {
      cookie: operator,
      form: { id: request.id, action: "reject", reason: "x".repeat(2001) },
    });
    assert.equal(long.status, 400);
    assert.equal(f.kernel.approvals.get(request.id).status, "pending", "nothing decided");

    const rejected = await fetchPage(f, "/approvals", {
      cookie: operator,
      form: { id: request.id, action: "reject", reason: "not <that> file" },
    });
    assert.equal(rejected.status, 303);
    const decided = f.kernel.approvals.get(request.id);
    assert.deepEqual([decided.status, decided.reason], ["rejected", "not <that> file"]);
    await settle(handle.result, "the rejected turn");
    assert.equal(await exists(writer.file), false, "a rejected call never runs");
    const page = await fetchPage(f, "/approvals", { cookie: viewer });
    assert.match(page.text, /not &lt;that> file|not &lt;that&gt; file/);
  }, { config: gatedConfig() });
});
