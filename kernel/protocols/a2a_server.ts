/**
 * Talon's A2A server, through the official SDK: one JSON-RPC endpoint per
 * offered agent, speaking A2A 1.0 (`SendMessage`, `SendStreamingMessage`,
 * `GetTask`, `CancelTask`, …) and 0.3's method names (`message/send`,
 * `message/stream`, `tasks/get`, `tasks/cancel`) when the request asks for
 * 0.3 or names no version. A task is one turn of the agent: streaming
 * carries its tokens (as chunks of the `reply` artifact) and tool events
 * (as working status updates), cancel stops the turn. Tasks are stored in
 * SQLite (`a2a_tasks`), scoped to their agent. The agent signs its reply
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
  type Message,
  type Part,
  Role as A2aRole,
  SSE_HEADERS,
  Task,
  TaskState,
} from "@a2a-js/sdk";
import {
  AgentEvent,
  type AgentExecutor,
  DefaultExecutionEventBusManager,
  DefaultRequestHandler,
  type ExecutionEventBus,
  JsonRpcTransportHandler,
  type RequestContext,
  ServerCallContext,
  type TaskStore,
} from "@a2a-js/sdk/server";
import { LegacyJsonRpcTransportHandler } from "@a2a-js/sdk/compat/v0_3/server";
import { isTalonError } from "../errors.ts";
import type { Kernel } from "../kernel.ts";
import * as store from "../store/mod.ts";
import { type AgentView, type Role, roleAtLeast, type TurnResult } from "../types.ts";
import { agentCard } from "./a2a_card.ts";
import type { A2aCaller } from "./a2a_host.ts";
import { a2aResponsePayload, signatureMetadata } from "./a2a_signature.ts";

/** Keys of the call context's state bag. */
const AGENT = "talon.agent";
const AGENT_ID = "talon.agent_id";
const ACTOR = "talon.actor";

/** The longest message text a task accepts (as `talon_agent_<name>` over MCP). */
const MAX_TEXT = 100_000;

/** Token text gathered before it is sent as one chunk of the reply. */
const CHUNK_CHARS = 64;

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

function agentOf(context: ServerCallContext | undefined): string {
  return (context?.state.get(AGENT) as string | undefined) ?? "";
}

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

function textPart(text: string): Part {
  return {
    content: { $case: "text", value: text },
    mediaType: "text/plain",
    filename: "",
    metadata: {},
  };
}

function agentMessage(
  text: string,
  ids: { taskId: string; contextId: string },
  metadata: Record<string, unknown> = {},
): Message {
  return {
    messageId: crypto.randomUUID(),
    contextId: ids.contextId,
    taskId: ids.taskId,
    role: A2aRole.ROLE_AGENT,
    parts: [textPart(text)],
    metadata,
    extensions: [],
    referenceTaskIds: [],
  };
}

/** The message's text: text parts as they are, data parts as JSON; undefined if another kind is sent. */
function textOf(message: Message): string | undefined {
  const texts: string[] = [];
  for (const part of message.parts) {
    const content = part.content;
    if (content?.$case === "text") texts.push(content.value);
    else if (content?.$case === "data") texts.push(JSON.stringify(content.value));
    else return undefined;
  }
  return texts.join("\n");
}

interface Running {
  contextId: string;
  /** Set once the turn is queued. */
  turn?: { agentId: string; turnId: string };
}

/** Runs each task as a turn of the agent its endpoint names. */
class TurnExecutor implements AgentExecutor {
  readonly #kernel: Kernel;
  readonly #running = new Map<string, Running>();
  /** Who asked to cancel each task (the SDK's cancelTask carries no caller). */
  readonly cancelActors = new Map<string, string>();

  constructor(kernel: Kernel) {
    this.#kernel = kernel;
  }

  async execute(request: RequestContext, bus: ExecutionEventBus): Promise<void> {
    const ids = { taskId: request.taskId, contextId: request.contextId };
    const agentName = agentOf(request.context);
    const actor = (request.context.state.get(ACTOR) as string | undefined) ?? "a2a";
    const agentId = request.context.state.get(AGENT_ID) as string;
    const now = () => new Date().toISOString();
    const status = (state: TaskState, text?: string, metadata?: Record<string, unknown>) =>
      bus.publish(AgentEvent.statusUpdate({
        ...ids,
        status: {
          state,
          message: text === undefined ? undefined : agentMessage(text, ids, metadata),
          timestamp: now(),
        },
        metadata: undefined,
      }));
    const sign = (text: string) => this.#sign(agentName, agentId, ids, text);
    /** A final status with a signed message; unsigned (so refused by verifying clients) if signing fails. */
    const end = async (state: TaskState, text: string) =>
      status(state, text, await sign(text).catch(() => undefined));
    if (!request.task) {
      bus.publish(AgentEvent.task({
        id: ids.taskId,
        contextId: ids.contextId,
        status: { state: TaskState.TASK_STATE_SUBMITTED, message: undefined, timestamp: now() },
        artifacts: [],
        history: [request.userMessage],
        metadata: { talon_agent: agentName },
      }));
    }
    this.#running.set(ids.taskId, { contextId: ids.contextId });
    const text = textOf(request.userMessage);
    if (text === undefined || text.trim() === "" || text.length > MAX_TEXT) {
      await end(
        TaskState.TASK_STATE_REJECTED,
        text === undefined
          ? "only text and data parts are accepted; send the message as text"
          : text.trim() === ""
          ? "the message is empty; send some text"
          : `the message is ${text.length} characters; the limit is ${MAX_TEXT}`,
      );
      this.#running.delete(ids.taskId);
      bus.finished();
      return;
    }
    let handle;
    try {
      handle = this.#kernel.agents.send(agentName, text, { actor });
    } catch (error) {
      await end(TaskState.TASK_STATE_FAILED, describe(error));
      this.#running.delete(ids.taskId);
      bus.finished();
      return;
    }
    this.#running.set(ids.taskId, {
      contextId: ids.contextId,
      turn: { agentId: handle.agent_id, turnId: handle.turn_id },
    });
    status(TaskState.TASK_STATE_WORKING, undefined);
    try {
      const streamed = await this.#follow(handle.events(), bus, ids);
      const result = await handle.result;
      await this.#finish(result, bus, { ...ids, streamed, sign });
    } catch (error) {
      await end(TaskState.TASK_STATE_FAILED, describe(error));
    } finally {
      this.#running.delete(ids.taskId);
      this.cancelActors.delete(ids.taskId);
      bus.finished();
    }
  }

  /** Forwards the turn's tokens and tool events until it is done; true if any token went out. */
  async #follow(
    events: AsyncIterable<{ type: string; data: unknown }>,
    bus: ExecutionEventBus,
    ids: { taskId: string; contextId: string },
  ): Promise<boolean> {
    let pending = "";
    let sent = false;
    const flush = () => {
      if (pending === "") return;
      bus.publish(AgentEvent.artifactUpdate({
        ...ids,
        artifact: {
          artifactId: "reply",
          name: "reply",
          description: "",
          parts: [textPart(pending)],
          metadata: undefined,
          extensions: [],
        },
        append: sent,
        lastChunk: false,
        metadata: undefined,
      }));
      sent = true;
      pending = "";
    };
    for await (const event of events) {
      if (event.type === "token") {
        pending += (event.data as { text: string }).text;
        if (pending.length >= CHUNK_CHARS) flush();
        continue;
      }
      if (event.type !== "tool_start" && event.type !== "tool_end") continue;
      flush();
      const data = event.data as {
        call_id: string;
        name: string;
        ok?: boolean;
        error_code?: string;
      };
      const text = event.type === "tool_start"
        ? `calling tool ${data.name}`
        : `tool ${data.name} ${data.ok ? "finished" : `failed (${data.error_code ?? "error"})`}`;
      bus.publish(AgentEvent.statusUpdate({
        ...ids,
        status: {
          state: TaskState.TASK_STATE_WORKING,
          message: agentMessage(text, ids, {
            talon_event: event.type,
            tool: data.name,
            call_id: data.call_id,
            ...(data.ok === undefined ? {} : { ok: data.ok }),
          }),
          timestamp: new Date().toISOString(),
        },
        metadata: undefined,
      }));
    }
    flush();
    return sent;
  }

  /** The metadata carrying the agent's signature of `text` as its reply in this task. */
  async #sign(
    agent: string,
    agentId: string,
    ids: { taskId: string; contextId: string },
    text: string,
  ): Promise<Record<string, unknown>> {
    const payload = a2aResponsePayload(
      { agent, task_id: ids.taskId, context_id: ids.contextId },
      text,
    );
    return signatureMetadata(await this.#kernel.identity.identity.signAs(agentId, payload));
  }

  /** Publishes the signed reply (replacing the streamed chunks) and the final status. */
  async #finish(
    result: TurnResult,
    bus: ExecutionEventBus,
    options: {
      taskId: string;
      contextId: string;
      streamed: boolean;
      sign: (text: string) => Promise<Record<string, unknown>>;
    },
  ): Promise<void> {
    const { sign, streamed, ...ids } = options;
    if (result.reply !== "" || streamed) {
      bus.publish(AgentEvent.artifactUpdate({
        ...ids,
        artifact: {
          artifactId: "reply",
          name: "reply",
          description: "the agent's reply",
          parts: [textPart(result.reply)],
          metadata: await sign(result.reply),
          extensions: [],
        },
        append: false,
        lastChunk: true,
        metadata: undefined,
      }));
    }
    const state = result.status === "completed"
      ? TaskState.TASK_STATE_COMPLETED
      : result.status === "stopped" || result.status === "cancelled"
      ? TaskState.TASK_STATE_CANCELED
      : TaskState.TASK_STATE_FAILED;
    const why = state === TaskState.TASK_STATE_COMPLETED
      ? undefined
      : state === TaskState.TASK_STATE_CANCELED
      ? "the turn was stopped"
      : `the turn ended ${result.status}${
        result.error ? ` (${result.error.code}: ${result.error.message})` : ""
      }`;
    bus.publish(AgentEvent.statusUpdate({
      ...ids,
      status: {
        state,
        message: why === undefined ? undefined : agentMessage(why, ids, await sign(why)),
        timestamp: new Date().toISOString(),
      },
      metadata: { talon_turn_id: result.turn_id },
    }));
  }

  async cancelTask(taskId: string, bus: ExecutionEventBus): Promise<void> {
    const running = this.#running.get(taskId);
    const actor = this.cancelActors.get(taskId) ?? "a2a";
    if (running?.turn) {
      const { agentId, turnId } = running.turn;
      // The turn's end publishes the canceled state (execute above).
      if (await this.#kernel.agents.stopTurn(agentId, turnId, { actor })) return;
    }
    bus.publish(AgentEvent.statusUpdate({
      taskId,
      contextId: running?.contextId ?? "",
      status: {
        state: TaskState.TASK_STATE_CANCELED,
        message: undefined,
        timestamp: new Date().toISOString(),
      },
      metadata: undefined,
    }));
  }
}

function describe(error: unknown): string {
  if (isTalonError(error)) return `${error.code}: ${error.message}`;
  return (error as Error).message ?? String(error);
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
