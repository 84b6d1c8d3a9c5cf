import assert from "node:assert/strict";
import { renderToString } from "preact-render-to-string";
import { Button } from "../../components/Button.tsx";
import { EmptyState } from "../../components/EmptyState.tsx";
import { Field } from "../../components/Field.tsx";
import { isCurrent, navFor } from "../../components/Layout.tsx";
import { Table } from "../../components/Table.tsx";

Deno.test("Field wires its label, hint and inline error to the control", () => {
  const html = renderToString(
    <Field name="name" label="Name" hint="a slug" error="name is taken" value='<"x">' />,
  );
  assert.match(html, /<label for="name">Name<\/label>/);
  assert.match(html, /id="name"/);
  assert.match(html, /aria-describedby="name-hint name-error"/);
  assert.match(html, /aria-invalid="true"/);
  assert.match(html, /value="&lt;&quot;x&quot;>"/);
  assert.match(html, /<p id="name-error" class="field-error">name is taken<\/p>/);
  const plain = renderToString(<Field name="q" label="Search" />);
  assert.ok(!plain.includes("aria-invalid") && !plain.includes("aria-describedby"), plain);
});

Deno.test("Table renders a captioned table, or its empty state when there are no rows", () => {
  const rows = [{ id: "1", name: "<b>a</b>", n: 3 }];
  const columns = [
    { label: "Name", cell: (r: typeof rows[number]) => r.name },
    { label: "Count", cell: (r: typeof rows[number]) => r.n, numeric: true },
  ];
  const html = renderToString(
    <Table caption="Agents" rows={rows} columns={columns} rowKey={(r) => r.id} />,
  );
  assert.match(html, /<caption class="visually-hidden">Agents<\/caption>/);
  assert.match(html, /<th\s+scope="col"\s*>Name<\/th>/);
  assert.match(html, /<td\s+class="num">3<\/td>/);
  assert.match(html, /&lt;b>a&lt;\/b>/);
  const empty = renderToString(
    <Table
      caption="Agents"
      rows={[]}
      columns={columns}
      rowKey={(r) => r.id}
      empty={
        <EmptyState title="No agents yet" action={<Button href="/agents/new">Spawn</Button>} />
      }
    />,
  );
  assert.ok(!empty.includes("<table"));
  assert.match(empty, /No agents yet/);
  assert.match(empty, /<a class="btn btn-secondary" href="\/agents\/new">Spawn<\/a>/);
});

Deno.test("the nav marks the current section and hides entries above the role", () => {
  assert.ok(isCurrent("/", "/"));
  assert.ok(!isCurrent("/", "/agents"));
  assert.ok(isCurrent("/agents", "/agents/abc"));
  assert.ok(!isCurrent("/agents", "/agentsx"));
  assert.deepEqual(navFor("viewer").map((e) => e.label), [
    "Overview",
    "Agents",
    "Schedules",
    "Approvals",
    "Hands",
    "Usage",
    "Skills",
    "Integrations",
    "Audit",
    "Settings",
  ]);
  const entries = [
    { label: "Overview", href: "/", role: "viewer" as const },
    { label: "Approvals", href: "/approvals", role: "operator" as const },
    { label: "Tokens", href: "/tokens", role: "admin" as const },
  ];
  assert.deepEqual(navFor("viewer", entries).map((e) => e.label), ["Overview"]);
  assert.deepEqual(navFor("operator", entries).map((e) => e.label), ["Overview", "Approvals"]);
  assert.equal(navFor("admin", entries).length, 3);
});
