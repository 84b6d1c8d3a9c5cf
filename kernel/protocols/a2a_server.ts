/**
 * Talon's A2A server, through the official SDK: one JSON-RPC endpoint per
 * offered agent, speaking A2A 1.0 (`SendMessage`, `SendStreamingMessage`,
 * `GetTask`, `CancelTask`, …) and 0.3's method names (`message/send`,
 * `message/stream`, `tasks/get`, `tasks/cancel`) when the request asks for
 * 0.3 or names no version. A task is one turn of the agent: streaming
 * carries its tokens (as chunks of the `reply` artifact) and tool events
 * (as working status updates), cancel stops the turn. Tasks are stored in
 * SQLite (`a2a_tasks`), scoped to their agent; kernel/protocols/a2a_executor.ts
 * runs each task as a turn. The agent signs its reply
 * (the final artifact) and a final status message with its key
 * (kernel/protocols/a2a_signature.ts). This module and the SDK load on first
 * use (kernel/protocols/a2a_host.ts).
 *
 * @module
 */
import {
  AgentCard,
  formatSSEErrorEvent,
  formatSSEEvent,
  SSE_HEADERS,
  Task,
  TaskState,
} from "@a2a-js/sdk";
import {
  DefaultExecutionEventBusManager,
  DefaultRequestHandler,
  JsonRpcTransportHandler,
  ServerCallContext,
  type TaskStore,
} from "@a2a-js/sdk/server";
import { LegacyJsonRpcTransportHandler } from "@a2a-js/sdk/compat/v0_3/server";
import type { Kernel } from "../kernel.ts";
import * as store from "../store/mod.ts";
import { type AgentView, type Role, roleAtLeast } from "../types.ts";
import { agentCard } from "./a2a_card.ts";
import type { A2aCaller } from "./a2a_host.ts";

import { ACTOR, AGENT, AGENT_ID, agentOf, TurnExecutor } from "./a2a_executor.ts";

/** The least role of each JSON-RPC method (1.0 and 0.3 names); others need viewer. */
const METHOD_ROLES: Record<string, Role> = {
  SendMessage: "operator",
  SendStreamingMessage: "operator",
  CancelTask: "operator",
  CreateTaskPushNotificationConfig: "operator",
  DeleteTaskPushNotificationConfig: "operator",
  "message/send": "operator",
  "message/stream": "operator",
  "tasks/cancel": "operator",
  "tasks/pushNotificationConfig/set": "operator",
  "tasks/pushNotificationConfig/delete": "operator",
};

/** Tasks in SQLite, each visible only through its agent's endpoint. */
class SqliteTaskStore implements TaskStore {
  readonly #db: store.Database;

  constructor(db: store.Database) {
    this.#db = db;
  }

  save(task: Task, context: ServerCallContext): Promise<void> {
    store.saveA2aTask(this.#db, {
      id: task.id,
      agent: agentOf(context),
      contextId: task.contextId,
      task: JSON.stringify(Task.toJSON(task)),
    });
    return Promise.resolve();
  }

  load(taskId: string, context: ServerCallContext): Promise<Task | undefined> {
    const json = store.loadA2aTask(this.#db, agentOf(context), taskId);
    return Promise.resolve(json === undefined ? undefined : Task.fromJSON(JSON.parse(json)));
  }

  list(
    params: Parameters<TaskStore["list"]>[0],
    context: ServerCallContext,
  ): ReturnType<TaskStore["list"]> {
    let tasks = store.listA2aTasks(this.#db, agentOf(context), params.contextId || undefined)
      .map((json) => Task.fromJSON(JSON.parse(json)));
    if (params.status !== undefined && params.status !== TaskState.TASK_STATE_UNSPECIFIED) {
      tasks = tasks.filter((t) => t.status?.state === params.status);
    }
    if (params.statusTimestampAfter) {
      const after = Date.parse(params.statusTimestampAfter);
      tasks = tasks.filter((t) => Date.parse(t.status?.timestamp ?? "") > after);
    }
    const offset = Math.max(0, Number.parseInt(params.pageToken || "0", 10) || 0);
    const pageSize = Math.min(Math.max(params.pageSize || 50, 1), 100);
    const page = tasks.slice(offset, offset + pageSize).map((t) =>
      params.includeArtifacts ? t : { ...t, artifacts: [] }
    );
    return Promise.resolve({
      tasks: page,
      nextPageToken: offset + pageSize < tasks.length ? String(offset + pageSize) : "",
      pageSize,
      totalSize: tasks.length,
    });
  }
}

/** What the server keeps per kernel: the task store, the event buses and the executor. */
interface ServerState {
  tasks: SqliteTaskStore;
  buses: DefaultExecutionEventBusManager;
  executor: TurnExecutor;
}

const states = new WeakMap<Kernel, ServerState>();

function stateOf(kernel: Kernel): ServerState {
  let state = states.get(kernel);
  if (!state) {
    state = {
      tasks: new SqliteTaskStore(kernel.db),
      buses: new DefaultExecutionEventBusManager((context) => agentOf(context)),
      executor: new TurnExecutor(kernel),
    };
    states.set(kernel, state);
  }
  return state;
}

type JsonRpcId = string | number | null;

function rpcError(id: JsonRpcId, code: number, message: string, status = 200): Response {
  return Response.json({ jsonrpc: "2.0", id, error: { code, message } }, { status });
}

function idOf(body: unknown): JsonRpcId {
  const id = (body as { id?: unknown } | null)?.id;
  return typeof id === "string" || typeof id === "number" ? id : null;
}

/** Answers one JSON-RPC request to the offered agent `agent`. */
export async function handleA2aJsonRpc(
  kernel: Kernel,
  request: Request,
  options: { agent: AgentView; caller: A2aCaller; base: string },
): Promise<Response> {
  const { agent, caller, base } = options;
  const type = request.headers.get("content-type");
  if (type && !/^application\/(a2a\+)?json\b/i.test(type)) {
    return rpcError(null, -32005, `unsupported content-type "${type}"; send application/json`);
  }
  let body: unknown;
  try {
    body = JSON.parse(await request.text());
  } catch (error) {
    return rpcError(null, -32700, `the body is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return rpcError(null, -32600, "the body must be one JSON-RPC 2.0 request object");
  }
  const method = (body as { method?: unknown }).method;
  const least = typeof method === "string" ? METHOD_ROLES[method] ?? "viewer" : "viewer";
  if (!roleAtLeast(caller.role, least)) {
    return rpcError(
      idOf(body),
      -32600,
      `${
        String(method)
      } needs the ${least} role; this caller is ${caller.role}. Use a token with the ${least} role (talon token create --role ${least})`,
      403,
    );
  }
  const state = stateOf(kernel);
  if (method === "CancelTask" || method === "tasks/cancel") {
    const id = (body as { params?: { id?: unknown } }).params?.id;
    if (typeof id === "string") state.executor.cancelActors.set(id, caller.actor);
  }
  const version = request.headers.get("a2a-version") ?? undefined;
  const legacy = version === undefined || version === "0.3";
  const context = new ServerCallContext({
    user: { isAuthenticated: true, userName: caller.actor },
    requestedVersion: version,
    state: new Map<string, unknown>([
      [AGENT, agent.name],
      [AGENT_ID, agent.id],
      [ACTOR, caller.actor],
    ]),
  });
  if (version !== undefined && !["1.0", "0.3"].includes(version)) {
    return rpcError(
      idOf(body),
      -32009,
      `A2A version ${version} is not supported; this endpoint speaks 1.0 and 0.3`,
    );
  }
  const key = await kernel.identity.identity.ensureKey(agent.id);
  const card = AgentCard.fromJSON(agentCard(agent, base, key));
  const handler = new DefaultRequestHandler(card, state.tasks, state.executor, state.buses);
  const answer = legacy
    ? await new LegacyJsonRpcTransportHandler(handler).handle(
      body as Record<string, unknown>,
      context,
    )
    : await new JsonRpcTransportHandler(handler).handle(body as Record<string, unknown>, context);
  if (!isAsyncIterable(answer)) return Response.json(answer);
  return await sseOf(answer, idOf(body), legacy);
}

function isAsyncIterable(value: unknown): value is AsyncGenerator<unknown, void, undefined> {
  return typeof (value as AsyncIterable<unknown>)?.[Symbol.asyncIterator] === "function";
}

/** A stream of JSON-RPC answers as SSE; an error before the first is answered as JSON. */
async function sseOf(
  answers: AsyncGenerator<unknown, void, undefined>,
  id: JsonRpcId,
  legacy: boolean,
): Promise<Response> {
  const mapError = (error: unknown) =>
    legacy
      ? LegacyJsonRpcTransportHandler.mapToLegacyJSONRPCError(error)
      : JsonRpcTransportHandler.mapToJSONRPCError(error);
  let first: IteratorResult<unknown, void>;
  try {
    first = await answers.next();
  } catch (error) {
    return Response.json({ jsonrpc: "2.0", id, error: mapError(error) });
  }
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      if (!first.done) controller.enqueue(encoder.encode(formatSSEEvent(first.value)));
      if (first.done) controller.close();
    },
    async pull(controller) {
      try {
        const step = await answers.next();
        if (step.done) controller.close();
        else controller.enqueue(encoder.encode(formatSSEEvent(step.value)));
      } catch (error) {
        controller.enqueue(
          encoder.encode(formatSSEErrorEvent({ jsonrpc: "2.0", id, error: mapError(error) })),
        );
        controller.close();
      }
    },
    async cancel() {
      await answers.return();
    },
  });
  return new Response(stream, { headers: SSE_HEADERS });
}
