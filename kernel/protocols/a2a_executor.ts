/**
 * The A2A server's executor: runs each task as one turn of the agent its
 * endpoint names — streaming the turn's tokens as chunks of the `reply`
 * artifact and its tool events as working status updates, signing the reply
 * and a final status message with the agent's key, and stopping the turn on
 * cancel. Loaded with the SDK on first use (kernel/protocols/a2a_server.ts).
 *
 * @module
 */
import { type Message, type Part, Role as A2aRole, TaskState } from "@a2a-js/sdk";
import {
  AgentEvent,
  type AgentExecutor,
  type ExecutionEventBus,
  type RequestContext,
  ServerCallContext,
} from "@a2a-js/sdk/server";
import { isTalonError } from "../errors.ts";
import type { Kernel } from "../kernel.ts";
import { type TurnResult } from "../types.ts";
import { a2aResponsePayload, signatureMetadata } from "./a2a_signature.ts";

/** Keys of the call context's state bag. */
export const AGENT = "talon.agent";
export const AGENT_ID = "talon.agent_id";
export const ACTOR = "talon.actor";

/** The longest message text a task accepts (as `talon_agent_<name>` over MCP). */
export const MAX_TEXT = 100_000;

/** Token text gathered before it is sent as one chunk of the reply. */
const CHUNK_CHARS = 64;

/** The agent name a call context carries. */
export function agentOf(context: ServerCallContext | undefined): string {
  return (context?.state.get(AGENT) as string | undefined) ?? "";
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
export class TurnExecutor implements AgentExecutor {
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
