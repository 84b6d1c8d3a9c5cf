/**
 * Tool definitions: a name, a description, a zod input schema (the JSON
 * Schema the model sees is generated from it), the capabilities a call
 * needs, a risk level, an optional approval gate and timeout, the taint
 * it brings in (outside content) or guards against (a high-risk sink), and
 * the handler. Built-in, skill and MCP tools are all defined this way.
 *
 * @module
 */
import { z } from "zod";
import type { TaintKind, TaintView } from "../security/mod.ts";
import { type AgentView, isCapability } from "../types.ts";

/** Tool names: `system_time`, skill tools `<skill>_<export>`, MCP tools `mcp_<server>_<tool>`. */
export const TOOL_NAME_PATTERN = /^[a-z][a-z0-9_]{0,63}$/;

/** How much harm a call can do; approvals and default tool sets key on it. */
export type ToolRisk = "low" | "medium" | "high";

/** Where a call's result came from, when it is content from outside Talon. */
export interface OutsideSource {
  /** A URL, `MCP server "docs"`, `agent "scout"`. */
  label: string;
  /** The host it came from, when it came over the network. */
  host?: string;
  /** `tool` unless said otherwise (an A2A reply is `a2a`, another agent's reply `agent`). */
  kind?: TaintKind;
}

/** What a sink rule sees: the calling agent and its turn's taint. */
export interface SinkContext {
  agent: AgentView;
  taint: TaintView;
}

/** What a handler knows about the call it runs. */
export interface ToolRunContext {
  /** The calling agent. */
  agent: AgentView;
  turnId: string;
  /** The model's id for this call. */
  callId: string;
  /** Aborts when the turn stops or the tool's timeout passes. */
  signal: AbortSignal;
  /** Agent ids of the inter-agent call chain, ending with `agent.id`. */
  chain: readonly string[];
}

/**
 * A tool's input schema: classic zod or `zod/mini` (both parse by
 * themselves), e.g. `ScheduleSpec`.
 */
export type ToolInput = z.core.$ZodType & {
  parse(data: unknown): unknown;
  safeParse(
    data: unknown,
  ): { success: true; data: unknown } | { success: false; error: z.core.$ZodError };
};

/** What {@link defineTool} takes; `S` is the input schema. */
export interface ToolSpec<S extends ToolInput> {
  name: string;
  /** Shown to the model: what the tool does and when to use it. */
  description: string;
  /** Validates the model's arguments; must describe a JSON object. */
  input: S;
  /** Capabilities every call needs, or a function of the validated arguments. */
  capabilities: readonly string[] | ((args: z.output<S>) => readonly string[]);
  risk: ToolRisk;
  /** Calls wait for a person's approval unless `[approvals] auto_approve` names the tool. */
  needsApproval?: boolean;
  /** Overrides `tools.timeout_ms` for this tool. */
  timeoutMs?: number;
  /**
   * The call takes in content from outside Talon (a page, search results, a
   * reply): once it succeeds, its turn is tainted. `true`, or a function of
   * the validated arguments naming the source.
   */
  outsideContent?: true | ((args: z.output<S>) => OutsideSource);
  /**
   * The call is a high-risk sink: in a tainted turn it waits for a person's
   * approval (`[security] taint`). `true`, or a function saying why these
   * arguments make it one (undefined when they do not).
   */
  taintSink?: true | ((args: z.output<S>, ctx: SinkContext) => string | undefined);
  /** Runs one validated call; its string is what the model sees. */
  handler(args: z.output<S>, ctx: ToolRunContext): Promise<string> | string;
}

/** A defined tool, ready to register. */
export interface Tool {
  readonly name: string;
  readonly description: string;
  readonly input: ToolInput;
  /**
   * JSON Schema of the arguments, generated from `input` when first read
   * (not at boot: generating every built-in tool's took ~100 ms of start-up).
   */
  readonly parameters: Record<string, unknown>;
  /** Static capabilities, or a function of the validated arguments. */
  readonly capabilities: readonly string[] | ((args: unknown) => readonly string[]);
  readonly risk: ToolRisk;
  readonly needsApproval: boolean;
  readonly timeoutMs?: number;
  /** Names the outside source a successful call brings in; absent when it brings in none. */
  readonly outsideContent?: (args: unknown) => OutsideSource;
  /** Why a call with these arguments is a high-risk sink; absent when the tool is none. */
  readonly taintSink?: (args: unknown, ctx: SinkContext) => string | undefined;
  /** Runs one call with arguments already validated by `input`. */
  handler(args: unknown, ctx: ToolRunContext): Promise<string> | string;
}

/**
 * Defines a tool. Misuse (a bad name, an unknown capability) throws a
 * `TypeError`; so does reading `parameters` of a tool whose schema has no
 * JSON Schema form or is not an object (tests read every built-in tool's).
 */
export function defineTool<S extends ToolInput>(spec: ToolSpec<S>): Tool {
  if (!TOOL_NAME_PATTERN.test(spec.name)) {
    throw new TypeError(
      `tool name "${spec.name}" must match ${TOOL_NAME_PATTERN.source} (lowercase letters, digits, '_')`,
    );
  }
  if (spec.description.trim() === "") {
    throw new TypeError(`tool "${spec.name}" needs a description`);
  }
  if (
    spec.timeoutMs !== undefined &&
    (!Number.isSafeInteger(spec.timeoutMs) || spec.timeoutMs <= 0)
  ) {
    throw new TypeError(`tool "${spec.name}": timeoutMs must be a positive integer`);
  }
  if (typeof spec.capabilities !== "function") {
    const unknown = spec.capabilities.filter((c) => !isCapability(c));
    if (unknown.length > 0) {
      throw new TypeError(`tool "${spec.name}" names unknown capabilities: ${unknown.join(", ")}`);
    }
  }
  let parameters: Record<string, unknown> | undefined;
  return Object.freeze({
    name: spec.name,
    description: spec.description,
    input: spec.input,
    get parameters(): Record<string, unknown> {
      return parameters ??= jsonSchemaOf(spec.name, spec.input);
    },
    capabilities: typeof spec.capabilities === "function"
      ? spec.capabilities as (args: unknown) => readonly string[]
      : Object.freeze([...spec.capabilities]),
    risk: spec.risk,
    needsApproval: spec.needsApproval ?? false,
    ...(spec.timeoutMs === undefined ? {} : { timeoutMs: spec.timeoutMs }),
    ...taintOf(spec),
    handler: spec.handler as Tool["handler"],
  });
}

function taintOf<S extends ToolInput>(
  spec: ToolSpec<S>,
): Pick<Tool, "outsideContent" | "taintSink"> {
  const out: { -readonly [K in "outsideContent" | "taintSink"]?: Tool[K] } = {};
  const outside = spec.outsideContent;
  if (outside === true) out.outsideContent = () => ({ label: `the ${spec.name} result` });
  else if (outside) out.outsideContent = outside as (args: unknown) => OutsideSource;
  const sink = spec.taintSink;
  if (sink === true) out.taintSink = () => `"${spec.name}" is a high-risk sink`;
  else if (sink) out.taintSink = sink as (args: unknown, ctx: SinkContext) => string | undefined;
  return out;
}

/** The capabilities a call with these (validated) arguments needs. */
export function requiredCapabilities(tool: Tool, args: unknown): string[] {
  const caps = typeof tool.capabilities === "function"
    ? tool.capabilities(args)
    : tool.capabilities;
  return [...new Set(caps)];
}

/** True when the tool needs no capability whatever its arguments. */
export function isCapabilityFree(tool: Tool): boolean {
  return typeof tool.capabilities !== "function" && tool.capabilities.length === 0;
}

function jsonSchemaOf(name: string, input: z.core.$ZodType): Record<string, unknown> {
  let schema: Record<string, unknown>;
  try {
    schema = z.toJSONSchema(input, { io: "input" }) as Record<string, unknown>;
  } catch (cause) {
    throw new TypeError(
      `tool "${name}": its input schema has no JSON Schema form: ${(cause as Error).message}`,
      { cause },
    );
  }
  if (schema.type !== "object") {
    throw new TypeError(`tool "${name}": its input schema must describe a JSON object`);
  }
  const { $schema: _dialect, ...rest } = schema;
  return rest;
}
