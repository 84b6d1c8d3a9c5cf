/**
 * Talon's one retry policy for LLM calls: retry `rate_limited` and
 * `provider_down` with capped exponential backoff (or the provider's
 * Retry-After), but only while the failing attempt has streamed nothing; then
 * move on to the fallback models. Everything else fails at once.
 *
 * @module
 */
import type { TalonConfig } from "../types.ts";
import { isTalonError, TalonError } from "../errors.ts";
import type { ChatChunk, ChatRequest, LlmDriver } from "./driver.ts";

/** How many times to try one model, and how long to wait between tries. */
export interface RetryPolicy {
  /** Attempts per model, including the first. */
  maxAttempts: number;
  /** First backoff delay; doubles with each attempt. */
  baseMs: number;
  /** Cap on any delay, Retry-After included. */
  maxMs: number;
}

/** What {@link chatWithFallback} reports before each retry. */
export interface RetryInfo {
  model: string;
  /** The attempt that failed (1-based). */
  attempt: number;
  delayMs: number;
  error: TalonError;
}

/** Options for {@link chatWithFallback}. */
export interface ChatWithFallbackOptions {
  policy: RetryPolicy;
  /** Models tried, in order, after `request.model`. */
  fallbackModels?: string[];
  /** Abortable sleep; injected by tests. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Jitter source in [0, 1); injected by tests. */
  random?: () => number;
  onRetry?: (info: RetryInfo) => void;
}

const RETRYABLE = new Set(["rate_limited", "provider_down"]);

/** The retry policy of config `[llm]`. */
export function retryPolicyFromConfig(llm: TalonConfig["llm"]): RetryPolicy {
  return { maxAttempts: llm.max_attempts, baseMs: llm.retry_base_ms, maxMs: llm.retry_max_ms };
}

/**
 * Streams `request` through `driver`, retrying and falling back per the
 * policy. The `end` chunk names the model that answered. When every model
 * fails, throws the last error's code with a message naming the models tried.
 */
export async function* chatWithFallback(
  driver: LlmDriver,
  request: ChatRequest,
  options: ChatWithFallbackOptions,
): AsyncGenerator<ChatChunk> {
  const sleep = options.sleep ?? abortableSleep;
  const random = options.random ?? Math.random;
  const models = [...new Set([request.model, ...(options.fallbackModels ?? [])])];
  const maxAttempts = Math.max(1, options.policy.maxAttempts);
  let last: TalonError | undefined;
  for (const model of models) {
    for (let attempt = 1;; attempt++) {
      let yielded = false;
      try {
        for await (const chunk of driver.chat({ ...request, model })) {
          yielded = true;
          yield chunk.type === "end" ? { ...chunk, model: chunk.model ?? model } : chunk;
        }
        return;
      } catch (error) {
        if (request.signal?.aborted || yielded || !isTalonError(error)) throw error;
        last = error;
        if (RETRYABLE.has(error.code)) {
          if (attempt >= maxAttempts) break;
          const delayMs = retryDelayMs(error, attempt, options.policy, random);
          options.onRetry?.({ model, attempt, delayMs, error });
          await sleep(delayMs, request.signal);
          continue;
        }
        if (error.code === "driver_error" && error.details?.status === 404) break;
        throw error;
      }
    }
  }
  throw new TalonError(
    last!.code,
    `${models.length === 1 ? "model" : "every model"} failed (tried ${
      models.map((m) => `"${m}"`).join(", ")
    }); last error: ${last!.message}`,
    { cause: last, details: { ...last!.details, models_tried: models } },
  );
}

/**
 * The wait before retrying after `attempt` failed: the error's Retry-After
 * (capped at `maxMs`), else `min(maxMs, baseMs * 2^(attempt-1))` scaled by a
 * random 50–100 %.
 */
export function retryDelayMs(
  error: TalonError,
  attempt: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number {
  const retryAfter = error.details?.retry_after_ms;
  if (typeof retryAfter === "number" && Number.isFinite(retryAfter) && retryAfter >= 0) {
    return Math.min(policy.maxMs, Math.ceil(retryAfter));
  }
  const backoff = Math.min(policy.maxMs, policy.baseMs * 2 ** (attempt - 1));
  return Math.round(backoff * (0.5 + 0.5 * random()));
}

/** Waits `ms`, rejecting with the signal's reason as soon as it aborts. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
