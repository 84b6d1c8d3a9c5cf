/**
 * The offline driver: deterministic, no network. Without a script it echoes a
 * short reply derived from the input; with a script (model `script:<path>` or
 * config `offline.script`) the first turn whose regex matches the user message
 * plays its steps, one step per LLM call. A compaction call (system prompt
 * `COMPACT_PROMPT`) gets an extractive summary. Text streams word by word. Its
 * `embed` is a deterministic hashed bag of words, so memory works offline.
 *
 * @module
 */
import { z } from "zod";
import { TalonError } from "../errors.ts";
import { describeIssues } from "../types.ts";
import {
  type ChatChunk,
  type ChatRequest,
  COMPACT_PROMPT,
  CONTINUE_PROMPT,
  estimateTokens,
  type LlmDriver,
  type PromptMessage,
} from "./driver.ts";
import { extractiveSummary } from "./offline_summary.ts";
import { abortableSleep } from "./retry.ts";

/** One step: an LLM call's answer. */
export const OfflineStep = z.strictObject({
  text: z.string().optional(),
  tool_calls: z.array(z.strictObject({
    name: z.string().min(1),
    args: z.record(z.string(), z.unknown()).default({}),
  })).optional(),
  /** Pause between streamed words, to exercise live streaming and stop. */
  delay_ms: z.number().int().min(0).max(60_000).optional(),
  /** Token counts to report instead of the estimate (for budget tests). */
  usage: z.strictObject({
    input_tokens: z.number().int().nonnegative(),
    output_tokens: z.number().int().nonnegative(),
  }).optional(),
  /** `max_tokens` plays a reply cut off by the output limit. */
  stop_reason: z.enum(["end_turn", "max_tokens"]).optional(),
});

/** A script file. */
export const OfflineScript = z.strictObject({
  turns: z.array(z.strictObject({
    match: z.string().refine((s) => {
      try {
        new RegExp(s);
        return true;
      } catch {
        return false;
      }
    }, "must be a valid regular expression"),
    steps: z.array(OfflineStep).min(1),
  })),
  /**
   * Like a real model's context window: a prompt estimated above this many
   * tokens fails with `context_too_long`.
   */
  context_window: z.number().int().positive().optional(),
});
/** A parsed script. */
export type OfflineScript = z.infer<typeof OfflineScript>;

/** The model name of the plain echo mode. */
export const OFFLINE_ECHO_MODEL = "echo";

/** Options for {@link createOfflineDriver}. */
export interface OfflineDriverOptions {
  /** Script used for models that do not name one (`offline.script`). */
  defaultScript?: string;
  /** Pause between words in plain mode. */
  wordDelayMs?: number;
}

/** Parsed scripts by path, with the file's modification time and size when read. */
const scriptCache = new Map<string, { mtime: number; size: number; script: OfflineScript }>();
/** Most scripts kept parsed. */
const SCRIPT_CACHE_SIZE = 64;

/**
 * Reads and validates a script file; `invalid_config` naming the path
 * otherwise. A file unchanged since it was last read (same modification time
 * and size) is not read again: every model call of a scripted agent loads it.
 */
export async function loadOfflineScript(path: string): Promise<OfflineScript> {
  let stat: Deno.FileInfo | undefined;
  try {
    stat = Deno.statSync(path);
  } catch {
    // reported by the read below
  }
  const cached = scriptCache.get(path);
  const mtime = stat?.mtime?.getTime();
  if (cached && mtime !== undefined && cached.mtime === mtime && cached.size === stat!.size) {
    return cached.script;
  }
  const script = await readOfflineScript(path);
  if (mtime !== undefined) {
    scriptCache.delete(path);
    if (scriptCache.size >= SCRIPT_CACHE_SIZE) scriptCache.delete(scriptCache.keys().next().value!);
    scriptCache.set(path, { mtime, size: stat!.size, script });
  }
  return script;
}

async function readOfflineScript(path: string): Promise<OfflineScript> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (cause) {
    throw new TalonError(
      "invalid_config",
      `cannot read offline script ${path}: ${(cause as Error).message}`,
      { cause },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new TalonError(
      "invalid_config",
      `offline script ${path} is not valid JSON: ${(cause as Error).message}`,
      { cause },
    );
  }
  const parsed = OfflineScript.safeParse(json);
  if (!parsed.success) {
    throw new TalonError(
      "invalid_config",
      `offline script ${path}: ${describeIssues(parsed.error)}`,
      { cause: parsed.error },
    );
  }
  return parsed.data;
}

/** The reply of plain mode for `input`. */
export function echoReply(input: string): string {
  const words = input.trim().split(/\s+/).filter(Boolean);
  const quoted = words.slice(0, 40).join(" ") + (words.length > 40 ? " …" : "");
  return `Offline echo: "${quoted}". No LLM provider key is set, so Talon's offline driver answered; set OPENAI_API_KEY or ANTHROPIC_API_KEY to use a real model.`;
}

/** Creates the offline driver. */
export function createOfflineDriver(
  options: OfflineDriverOptions = {},
): LlmDriver {
  return {
    kind: "offline",
    chat: (request) => chat(request, options),
    embed: (request) => {
      request.signal?.throwIfAborted();
      return Promise.resolve(request.input.map(offlineEmbedding));
    },
  };
}

/** Dimensions of {@link offlineEmbedding} vectors. */
export const OFFLINE_EMBEDDING_DIMS = 64;

/**
 * A deterministic embedding: a hashed bag of lower-cased words (FNV-1a, signed
 * buckets), L2-normalized; all zeros for text without words. Texts sharing
 * words get a positive cosine similarity, which is all offline memory needs.
 */
export function offlineEmbedding(text: string): number[] {
  const vector = new Array<number>(OFFLINE_EMBEDDING_DIMS).fill(0);
  for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    let hash = 0x811c9dc5;
    for (let i = 0; i < word.length; i++) {
      hash ^= word.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
    vector[hash % OFFLINE_EMBEDDING_DIMS]! += (hash >>> 31) === 1 ? -1 : 1;
  }
  const norm = Math.hypot(...vector);
  return norm === 0 ? vector : vector.map((v) => v / norm);
}

async function* chat(
  request: ChatRequest,
  options: OfflineDriverOptions,
): AsyncGenerator<ChatChunk> {
  const scriptPath = request.model.startsWith("script:")
    ? request.model.slice("script:".length)
    : options.defaultScript;
  const lastUser = lastUserIndex(request.messages);
  const userText = lastUser >= 0 ? request.messages[lastUser]!.text : "";
  const inputTokens = request.messages.reduce(
    (n, m) => n + estimateTokens(m.text),
    0,
  );
  if (request.messages[0]?.role === "system" && request.messages[0].text === COMPACT_PROMPT) {
    const text = extractiveSummary(request.messages, request.maxTokens);
    yield* streamWords(text, 0, request.signal);
    yield {
      type: "end",
      usage: { input_tokens: inputTokens, output_tokens: estimateTokens(text) },
      stopReason: "end_turn",
    };
    return;
  }
  if (scriptPath === undefined) {
    const text = echoReply(userText);
    yield* streamWords(text, options.wordDelayMs ?? 0, request.signal);
    yield {
      type: "end",
      usage: { input_tokens: inputTokens, output_tokens: estimateTokens(text) },
      stopReason: "end_turn",
    };
    return;
  }
  const script = await loadOfflineScript(scriptPath);
  if (script.context_window !== undefined && inputTokens > script.context_window) {
    throw new TalonError(
      "context_too_long",
      `the prompt has about ${inputTokens} tokens, over the offline model's context window of ${script.context_window}`,
      { details: { prompt_tokens: inputTokens, context_window: script.context_window } },
    );
  }
  const turnIndex = script.turns.findIndex((t) => new RegExp(t.match).test(userText));
  if (turnIndex < 0) {
    throw new TalonError(
      "driver_error",
      `offline script ${scriptPath} has no turn matching the message "${
        userText.slice(0, 80)
      }"; add a turn with a matching "match" regex`,
    );
  }
  const steps = script.turns[turnIndex]!.steps;
  const stepIndex =
    request.messages.slice(lastUser + 1).filter((m) => m.role === "assistant").length;
  const step = steps[stepIndex] ?? { text: "" };
  const text = step.text ?? "";
  yield* streamWords(text, step.delay_ms ?? 0, request.signal);
  const calls = step.tool_calls ?? [];
  for (const [i, call] of calls.entries()) {
    yield {
      type: "tool_call",
      call: { id: `call_${turnIndex}_${stepIndex}_${i}`, name: call.name, args: call.args },
    };
  }
  yield {
    type: "end",
    usage: step.usage ?? {
      input_tokens: inputTokens,
      output_tokens: estimateTokens(text) + estimateTokens(JSON.stringify(calls)),
    },
    stopReason: calls.length > 0 ? "tool_use" : step.stop_reason ?? "end_turn",
  };
}

/** The last user message that is not the loop's request to continue a cut-off reply. */
function lastUserIndex(messages: PromptMessage[]): number {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]!;
    if (m.role === "user" && m.text !== CONTINUE_PROMPT) return i;
  }
  return -1;
}

async function* streamWords(
  text: string,
  delayMs: number,
  signal?: AbortSignal,
): AsyncGenerator<ChatChunk> {
  const pieces = text.match(/\s*\S+\s*/g) ?? [];
  for (const piece of pieces) {
    signal?.throwIfAborted();
    if (delayMs > 0) await abortableSleep(delayMs, signal);
    yield { type: "text", text: piece };
  }
}
