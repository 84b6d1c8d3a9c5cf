import assert from "node:assert/strict";
import {
  checkMcpForm,
  emptyMcpForm,
  mcpBodyOf,
  mcpRefusalErrors,
} from "../../../islands/lib/mcp_form.ts";
import { issueFields, McpServerAddBody } from "../../../kernel/types.ts";

Deno.test("the MCP form builds a stdio body from lines and words, leaving blanks out", () => {
  const body = mcpBodyOf({
    ...emptyMcpForm(),
    name: " fs ",
    command: "/usr/bin/npx",
    args: "-y\r\n@modelcontextprotocol/server-filesystem\n\n/srv/files",
    env: "HOME, GITHUB_TOKEN",
    url: "ignored for stdio",
    tools: "read_text_file list_directory",
  });
  assert.deepEqual(body, {
    name: "fs",
    transport: "stdio",
    command: "/usr/bin/npx",
    args: ["-y", "@modelcontextprotocol/server-filesystem", "/srv/files"],
    env: ["HOME", "GITHUB_TOKEN"],
    timeout_s: 60,
    tools: ["read_text_file", "list_directory"],
  });
  const check = checkMcpForm({ ...emptyMcpForm(), name: "fs", command: "/usr/bin/npx" });
  assert.equal(check.ok, true);
});

Deno.test("the MCP form builds an http body with header variables", () => {
  const check = checkMcpForm({
    ...emptyMcpForm(),
    name: "remote",
    transport: "http",
    url: "https://mcp.example.test/mcp",
    headers_env: "Authorization = MCP_TOKEN\nX-Team=TEAM_ID",
    timeout_s: "15",
  });
  assert.deepEqual(check, {
    ok: true,
    body: {
      name: "remote",
      transport: "http",
      url: "https://mcp.example.test/mcp",
      headers_env: { Authorization: "MCP_TOKEN", "X-Team": "TEAM_ID" },
      timeout_s: 15,
    },
  });
});

Deno.test("bad MCP form input is flagged on the control holding it, with the API schema's words", () => {
  const stdio = checkMcpForm({
    ...emptyMcpForm(),
    name: "Bad-Name",
    env: "HOME 9LIVES",
    timeout_s: "soon",
  });
  assert.equal(stdio.ok, false);
  if (stdio.ok) return;
  assert.deepEqual(Object.keys(stdio.errors).sort(), ["command", "env", "name", "timeout_s"]);
  assert.match(stdio.errors.name!, /lowercase letter/);
  assert.match(stdio.errors.env!, /^1: must be an environment variable name/);

  const http = checkMcpForm({
    ...emptyMcpForm(),
    name: "remote",
    transport: "http",
    url: "ftp://x.test/",
    headers_env: "Bad Header=TOKEN\nX-Ok",
  });
  assert.equal(http.ok, false);
  if (http.ok) return;
  assert.deepEqual(Object.keys(http.errors).sort(), ["headers_env", "url"]);
  const odd = checkMcpForm({ ...emptyMcpForm(), name: "x", transport: "smoke" });
  assert.equal(odd.ok, false);
  if (!odd.ok) assert.ok(odd.errors.transport, "an unknown transport is flagged on its select");
});

Deno.test("the API's refusal fields land on the same controls", () => {
  const parsed = McpServerAddBody.safeParse({
    name: "ok",
    transport: "stdio",
    command: "x",
    args: ["a", 7],
    env: ["FINE", "not ok"],
  });
  assert.equal(parsed.success, false);
  const fields = issueFields(parsed.error!);
  assert.deepEqual(Object.keys(fields).sort(), ["args.1", "env.1"]);
  const shown = mcpRefusalErrors({ message: "invalid body", fields });
  assert.deepEqual(Object.keys(shown.errors).sort(), ["args", "env"]);
  assert.equal(shown.formError, "invalid body");
});
