/**
 * Talon's A2A client against a peer built with the official SDK inside the
 * test (its DefaultRequestHandler and JSON-RPC transport handler on a
 * loopback Deno.serve): discovery, send, the tools' capability gate and
 * outside-data marking, the allow-list, the SSRF guard, and a peer that
 * dies mid-call.
 */
import assert from "node:assert/strict";
import http from "node:http";
import { AgentCard, formatSSEEvent, type Message, Role, SSE_HEADERS } from "@a2a-js/sdk";
import {
  AgentEvent,
  type AgentExecutor,
  DefaultRequestHandler,
  type ExecutionEventBus,
  InMemoryTaskStore,
  JsonRpcTransportHandler,
  type RequestContext,
  ServerCallContext,
} from "@a2a-js/sdk/server";
import type { Kernel } from "../../../kernel/kernel.ts";
import { type A2aPeers, a2aTools } from "../../../kernel/protocols/mod.ts";
import { TurnTaint } from "../../../kernel/security/mod.ts";
import type { AuditSink } from "../../../kernel/tools/mod.ts";
import type { AgentView } from "../../../kernel/types.ts";
import { collect, talonError, withKernel, writeScript } from "../fixtures.ts";

const PEER_TOKEN = "peer-secret-token-0123456789";

interface Peer {
  url: string;
  /** Authorization headers the peer received. */
  auth: (string | null)[];
  close(): Promise<void>;
}

function replyTo(request: RequestContext): Message {
  const part = request.userMessage.parts[0]?.content;
  const text = part?.$case === "text" ? part.value : "";
  return {
    messageId: crypto.randomUUID(),
    contextId: request.contextId,
    taskId: request.taskId,
    role: Role.ROLE_AGENT,
    parts: [{
      content: { $case: "text", value: `peer heard: ${text}` },
      mediaType: "text/plain",
      filename: "",
      metadata: undefined,
    }],
    metadata: undefined,
    extensions: [],
    referenceTaskIds: [],
  };
}

/** An echoing agent: a task that completes with the reply as an artifact. */
const echoExecutor: AgentExecutor = {
  execute: (request: RequestContext, bus: ExecutionEventBus) => {
    const ids = { taskId: request.taskId, contextId: request.contextId };
    bus.publish(AgentEvent.task({
      id: ids.taskId,
      contextId: ids.contextId,
      status: { state: 1, message: undefined, timestamp: new Date().toISOString() },
      artifacts: [],
      history: [request.userMessage],
      metadata: undefined,
    }));
    bus.publish(AgentEvent.artifactUpdate({
      ...ids,
      artifact: {
        artifactId: "a",
        name: "answer",
        description: "",
        parts: replyTo(request).parts,
        metadata: undefined,
        extensions: [],
      },
      append: false,
      lastChunk: true,
      metadata: undefined,
    }));
    bus.publish(AgentEvent.statusUpdate({
      ...ids,
      status: { state: 3, message: undefined, timestamp: new Date().toISOString() },
      metadata: undefined,
    }));
    bus.finished();
    return Promise.resolve();
  },
  cancelTask: () => Promise.resolve(),
};

/** A peer built with the SDK: its card at the well-known path, JSON-RPC at /rpc. */
function startPeer(): Promise<Peer> {
  const auth: (string | null)[] = [];
  // The card names the server's URL, known once it listens.
  const peer: { card?: AgentCard; handler?: JsonRpcTransportHandler } = {};
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    const path = new URL(req.url).pathname;
    if (req.method === "GET" && path === "/.well-known/agent-card.json") {
      return Response.json(AgentCard.toJSON(peer.card!));
    }
    if (req.method !== "POST" || path !== "/rpc") return new Response("no", { status: 404 });
    auth.push(req.headers.get("authorization"));
    const context = new ServerCallContext({
      requestedVersion: req.headers.get("a2a-version") ?? undefined,
    });
    const answer = await peer.handler!.handle(await req.text(), context);
    if (typeof (answer as AsyncIterable<unknown>)[Symbol.asyncIterator] !== "function") {
      return Response.json(answer);
    }
    let body = "";
    for await (const event of answer as AsyncIterable<unknown>) body += formatSSEEvent(event);
    return new Response(body, { headers: SSE_HEADERS });
  });
  const url = `http://127.0.0.1:${server.addr.port}`;
  const card = peer.card = AgentCard.fromJSON({
    name: "Echo peer",
    description: "Echoes what it hears.",
    version: "1.0.0",
    supportedInterfaces: [{
      url: `${url}/rpc`,
      protocolBinding: "JSONRPC",
      protocolVersion: "1.0",
    }],
    capabilities: { streaming: false },
    defaultInputModes: ["text/plain"],
    defaultOutputModes: ["text/plain"],
    skills: [{ id: "echo", name: "Echo", description: "Repeats a message.", tags: ["test"] }],
  });
  peer.handler = new JsonRpcTransportHandler(
    new DefaultRequestHandler(card, new InMemoryTaskStore(), echoExecutor),
  );
  return Promise.resolve({ url, auth, close: () => server.shutdown() });
}

/** A peer whose card is fine but whose endpoint drops the connection mid-answer. */
function startDyingPeer(): Promise<{ url: string; close(): Promise<void> }> {
  return new Promise((resolve) => {
    const server = http.createServer((req, res) => {
      if (req.method === "GET") {
        const port = (server.address() as { port: number }).port;
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({
          name: "Dying peer",
          description: "Dies mid-call.",
          version: "1.0.0",
          supportedInterfaces: [{
            url: `http://127.0.0.1:${port}/rpc`,
            protocolBinding: "JSONRPC",
            protocolVersion: "1.0",
          }],
          capabilities: {},
          defaultInputModes: ["text/plain"],
          defaultOutputModes: ["text/plain"],
          skills: [],
        }));
        return;
      }
      req.resume();
      res.writeHead(200, { "content-type": "application/json", "content-length": "500" });
      res.write('{"jsonrpc":"2.0","id":');
      setTimeout(() => res.destroy(), 20);
    });
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as { port: number }).port;
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}

function configFor(peers: Record<string, string>, extra = ""): string {
  const entries = Object.entries(peers).map(([name, url]) =>
    `[a2a.peers.${name}]\nurl = "${url}"\ntoken_env = "PEER_TOKEN"\ntimeout_s = 10\n`
  );
  return `[tools.web]\nallow_hosts = ["127.0.0.1"]\n${extra}\n${entries.join("\n")}`;
}

const env = (key: string) => key === "PEER_TOKEN" ? PEER_TOKEN : undefined;

async function withPeer(fn: (kernel: Kernel, peer: Peer, dir: string) => Promise<void>) {
  const peer = await startPeer();
  try {
    await withKernel((kernel, dir) => fn(kernel, peer, dir), {
      config: configFor({ buddy: peer.url, lan: "http://10.1.2.3:8080" }),
      boot: { env },
    });
  } finally {
    await peer.close();
  }
}

Deno.test("A2aPeers.discover() reads an SDK peer's card and remembers it for the peer list", async () => {
  await withPeer(async (kernel, peer) => {
    assert.deepEqual(kernel.a2a.list().map((p) => [p.name, p.card, p.has_token]), [
      ["buddy", null, true],
      ["lan", null, true],
    ]);
    const card = await kernel.a2a.discover(peer.url);
    assert.equal(card.name, "Echo peer");
    assert.equal(card.endpoint, `${peer.url}/rpc`);
    assert.deepEqual(card.skills.map((s) => s.id), ["echo"]);
    assert.equal(card.card_url, `${peer.url}/.well-known/agent-card.json`);
    const listed = kernel.a2a.list().find((p) => p.name === "buddy")!;
    assert.equal(listed.card?.name, "Echo peer");
    assert.equal(listed.error, null);
  });
});

Deno.test("A2aPeers.send() gets the SDK peer's answer, sending the peer's token only to it", async () => {
  await withPeer(async (kernel, peer) => {
    const reply = await kernel.a2a.send(peer.url, "hi there");
    assert.equal(reply.peer, "buddy");
    assert.equal(reply.state, "TASK_STATE_COMPLETED");
    assert.equal(reply.text, "peer heard: hi there");
    assert.deepEqual(peer.auth, [`Bearer ${PEER_TOKEN}`]);
  });
});

Deno.test("A2A peers outside the allow-list or behind the SSRF guard are refused, naming why", async () => {
  await withPeer(async (kernel) => {
    await assert.rejects(
      kernel.a2a.discover("http://127.0.0.1:1/"),
      talonError("url_denied", /not one of this Talon's A2A peers \(buddy .*lan/),
    );
    await assert.rejects(
      kernel.a2a.send("http://10.1.2.3:8080/", "hello"),
      talonError("url_denied", /private address/),
    );
    await assert.rejects(
      kernel.a2a.discover("http://10.1.2.3:8080/"),
      talonError("url_denied", /private address/),
    );
    assert.match(kernel.a2a.list().find((p) => p.name === "lan")!.error!, /private/);
  });
});

Deno.test("A2A tools: a2a_send needs net_connect for the peer, marks the reply as from outside, and taints the turn", async () => {
  await withPeer(async (kernel, peer, dir) => {
    const port = new URL(peer.url).port;
    const script = await writeScript(dir, {
      turns: [{
        match: ".",
        steps: [
          { tool_calls: [{ name: "a2a_send", args: { url: peer.url, text: "ping" } }] },
          { tool_calls: [{ name: "a2a_discover", args: { url: peer.url } }] },
          { text: "done" },
        ],
      }],
    });
    const tools = ["a2a_send", "a2a_discover"];
    kernel.agents.spawn({
      name: "caller",
      model: `script:${script}`,
      tools,
      capabilities: [`net_connect:127.0.0.1:${port}`],
    });
    kernel.agents.spawn({ name: "nocap", model: `script:${script}`, tools });
    for (const name of ["caller", "nocap"]) {
      const handle = kernel.agents.send(name, "go");
      const ends = (await collect(handle.events())).filter((e) => e.type === "tool_end")
        .map((e) => e.data as { name: string; ok: boolean; output: string; error_code?: string });
      await handle.result;
      if (name === "caller") {
        assert.deepEqual(ends.map((e) => [e.name, e.ok]), [["a2a_send", true], [
          "a2a_discover",
          true,
        ]]);
        assert.match(ends[0]!.output, /^\[from outside Talon: A2A peer "buddy"/);
        assert.match(ends[0]!.output, /peer heard: ping/);
        assert.match(ends[1]!.output, /"name": "Echo peer"/);
        // The reply taints the turn: one source of kind a2a, from the peer's host.
        const agent = kernel.agents.get("caller");
        const sources = kernel.audit.list({ agent_id: agent.id, action: "taint.source" }).entries
          .map((e) => e.detail as { kind: string; host?: string; tool?: string });
        assert.deepEqual(sources.map((s) => [s.kind, s.host, s.tool]), [
          ["a2a", "127.0.0.1", "a2a_discover"],
          ["a2a", "127.0.0.1", "a2a_send"],
        ]);
      } else {
        assert.deepEqual(ends.map((e) => e.error_code), ["capability_denied", "capability_denied"]);
      }
    }
    assert.equal(peer.auth.length, 1, "the agent without net_connect reached nothing");
  });
});

Deno.test("A2A: a peer that dies mid-call gives a clear error and the next call still works", async () => {
  const dying = await startDyingPeer();
  const peer = await startPeer();
  try {
    await withKernel(async (kernel) => {
      await assert.rejects(
        kernel.a2a.send(dying.url, "hello?"),
        (error: Error) => {
          assert.match(error.message, /A2A peer "dying"/);
          assert.match(error.message, /broke off|socket|closed|reset|cannot fetch/i);
          return true;
        },
      );
      const reply = await kernel.a2a.send(peer.url, "are you there?");
      assert.equal(reply.text, "peer heard: are you there?");
    }, { config: configFor({ dying: dying.url, buddy: peer.url }), boot: { env } });
  } finally {
    await peer.close();
    await dying.close();
  }
});

Deno.test("a2a_send in a tainted turn is a sink when it sends to a peer host the turn has not read from", () => {
  const send = a2aTools({
    peers: {} as A2aPeers,
    audit: { append: () => undefined } as unknown as AuditSink,
    timeoutMs: 1000,
  }).find((t) => t.name === "a2a_send")!;
  const taint = new TurnTaint();
  const ctx = { agent: {} as AgentView, taint };
  taint.add({ kind: "tool", label: "http://news.example/", host: "news.example" });
  const args = { url: "http://peer.example:4200/a2a/agents/x", text: "summary" };
  assert.match(
    send.taintSink!(args, ctx)!,
    /a2a_send sends data in its body to peer\.example/,
  );
  taint.add({ kind: "a2a", label: "A2A peer", host: "peer.example" });
  assert.equal(send.taintSink!(args, ctx), undefined, "a peer the turn already read from");
  assert.deepEqual(send.outsideContent!(args), {
    label: "A2A peer http://peer.example:4200/a2a/agents/x",
    host: "peer.example",
    kind: "a2a",
  });
});
