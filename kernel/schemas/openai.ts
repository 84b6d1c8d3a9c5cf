/**
 * The OpenAI-compatible surface (`/v1/chat/completions`, `/v1/models`): the
 * request Talon accepts and the objects it answers with, in OpenAI's wire
 * format, so any OpenAI client can chat with an agent. `model` names the
 * agent (by name or id).
 *
 * @module
 */
import { z } from "zod";

/** Message content: a string, or parts of which only `text` parts are supported. */
const Content = z.union([
  z.string(),
  z.array(z.looseObject({ type: z.string(), text: z.string().optional() })),
]);

/** A tool call an earlier assistant message made. */
const ChatToolCallIn = z.looseObject({
  id: z.string().min(1).max(200),
  type: z.literal("function").optional(),
  function: z.looseObject({ name: z.string().min(1).max(200), arguments: z.string() }),
});

/** One message of the request's conversation. */
export const ChatMessageIn = z.discriminatedUnion("role", [
  z.looseObject({ role: z.enum(["system", "developer"]), content: Content }),
  z.looseObject({ role: z.literal("user"), content: Content }),
  z.looseObject({
    role: z.literal("assistant"),
    content: Content.nullable().optional(),
    tool_calls: z.array(ChatToolCallIn).max(128).optional(),
  }),
  z.looseObject({ role: z.literal("tool"), content: Content, tool_call_id: z.string().min(1) }),
]);
/** A request message. */
export type ChatMessageIn = z.infer<typeof ChatMessageIn>;

const refused = (why: string) => z.unknown().refine((v) => v === null, why).optional();

/**
 * Body of `POST /v1/chat/completions`. `temperature` and `max_tokens` (or
 * `max_completion_tokens`, never above the agent's own) are honoured; the
 * other standard sampling fields are accepted and left to the agent's
 * manifest; client-side tools, several choices and non-text output are
 * refused; any other field is an error.
 */
export const ChatCompletionBody = z.strictObject({
  model: z.string().min(1).max(100),
  messages: z.array(ChatMessageIn).min(1).max(2000),
  stream: z.boolean().nullable().optional(),
  stream_options: z.strictObject({ include_usage: z.boolean().optional() }).nullable()
    .optional(),
  temperature: z.number().min(0).max(2).nullable().optional(),
  max_tokens: z.number().int().positive().nullable().optional(),
  max_completion_tokens: z.number().int().positive().nullable().optional(),
  n: z.number().int().refine((n) => n === 1, "Talon returns one choice; omit n or send 1")
    .nullable().optional(),
  top_p: z.number().nullable().optional(),
  presence_penalty: z.number().nullable().optional(),
  frequency_penalty: z.number().nullable().optional(),
  seed: z.number().int().nullable().optional(),
  stop: z.union([z.string(), z.array(z.string())]).nullable().optional(),
  user: z.string().max(256).optional(),
  metadata: z.record(z.string(), z.string()).nullable().optional(),
  store: z.boolean().nullable().optional(),
  parallel_tool_calls: z.boolean().optional(),
  response_format: z.looseObject({
    type: z.literal("text", "Talon agents answer in text; omit response_format"),
  }).optional(),
  logprobs: z.literal(false, "logprobs are not available; omit logprobs").nullable().optional(),
  tools: refused(
    "Talon runs the agent's own tools server-side; client-side tools are not supported, omit tools",
  ),
  tool_choice: refused("Talon runs the agent's own tools; omit tool_choice"),
  functions: refused("Talon runs the agent's own tools; omit functions"),
  function_call: refused("Talon runs the agent's own tools; omit function_call"),
});
/** A chat completion request. */
export type ChatCompletionBody = z.infer<typeof ChatCompletionBody>;

/** Token counts, OpenAI style. */
export const CompletionUsage = z.object({
  prompt_tokens: z.number().int(),
  completion_tokens: z.number().int(),
  total_tokens: z.number().int(),
});

/** Response of a non-streamed completion. */
export const ChatCompletion = z.object({
  id: z.string(),
  object: z.literal("chat.completion"),
  created: z.number().int(),
  model: z.string(),
  choices: z.array(z.object({
    index: z.number().int(),
    message: z.object({ role: z.literal("assistant"), content: z.string() }),
    finish_reason: z.enum(["stop", "length"]),
  })),
  usage: CompletionUsage,
});
/** A chat completion. */
export type ChatCompletion = z.infer<typeof ChatCompletion>;

/** One `data:` chunk of a streamed completion. */
export const ChatCompletionChunk = z.object({
  id: z.string(),
  object: z.literal("chat.completion.chunk"),
  created: z.number().int(),
  model: z.string(),
  choices: z.array(z.object({
    index: z.number().int(),
    delta: z.object({ role: z.literal("assistant").optional(), content: z.string().optional() }),
    finish_reason: z.enum(["stop", "length"]).nullable(),
  })),
  usage: CompletionUsage.nullable().optional(),
});
/** A streamed completion chunk. */
export type ChatCompletionChunk = z.infer<typeof ChatCompletionChunk>;

/** `GET /v1/models`: the agents the caller may chat with. */
export const OpenAIModelList = z.object({
  object: z.literal("list"),
  data: z.array(z.object({
    id: z.string(),
    object: z.literal("model"),
    created: z.number().int(),
    owned_by: z.string(),
  })),
});
/** The model list. */
export type OpenAIModelList = z.infer<typeof OpenAIModelList>;
