/**
 * One mapping from the `openai` and `@anthropic-ai/sdk` errors to
 * {@link TalonError}s, so callers branch on `code` whichever SDK failed:
 * `provider_auth`, `rate_limited`, `context_too_long`, `provider_down` or
 * `driver_error`. Messages are redacted and never carry the API key; an
 * aborted request rethrows the abort untouched.
 *
 * This module imports no SDK: each driver passes {@link SdkErrors} that
 * recognise its own SDK's error classes, so loading one driver never loads
 * the other's SDK.
 *
 * @module
 */
import { TalonError } from "../errors.ts";
import { redactText } from "../security/mod.ts";

/** An HTTP error answer from a provider, as one SDK reports it. */
export interface SdkApiError {
  status: number | null;
  headers: Headers | undefined | null;
  /** The provider's own message, type and code, whichever body shape. */
  message: string;
  type?: string;
  code?: string;
}

/** How a driver's SDK errors are recognised and read. */
export interface SdkErrors {
  /** The request timed out. */
  isTimeout(error: unknown): boolean;
  /** The server could not be reached (checked after {@link isTimeout}). */
  isConnection(error: unknown): boolean;
  /** An HTTP error answer, read; undefined for anything else. */
  apiError(error: unknown): SdkApiError | undefined;
}

/** Who failed, for the messages of mapped errors. */
export interface ProviderErrorContext {
  /** Provider entry name, e.g. `"openai"` or `"local"`. */
  provider: string;
  /** Environment variable holding the key, named in auth errors. */
  apiKeyEnv?: string | null;
  /** The key itself, only to scrub it from provider text; never copied anywhere. */
  apiKey?: string;
  /** The model asked for. */
  model?: string;
  /** The request's base URL, named in connection errors. */
  baseUrl?: string;
  /** When aborted, the abort is rethrown instead of being mapped. */
  signal?: AbortSignal;
  /** The driver's SDK error classes. */
  sdk: SdkErrors;
}

const CONTEXT_TOO_LONG =
  /context[_ ]length|maximum context|context window|context size|prompt is too long|too many tokens|exceeds? the (available )?context|input is too long|exceed_context_size/i;

/**
 * Throws the {@link TalonError} for an SDK failure, or the abort reason when
 * `context.signal` is aborted (the agent loop checks `signal.aborted`).
 */
export function throwProviderError(error: unknown, context: ProviderErrorContext): never {
  if (context.signal?.aborted) throw context.signal.reason;
  throw mapProviderError(error, context);
}

/** Maps any error thrown by a provider SDK call to a {@link TalonError}. */
export function mapProviderError(error: unknown, context: ProviderErrorContext): TalonError {
  if (error instanceof TalonError) return error;
  const who = `provider "${context.provider}"`;
  const scrub = (text: string): string => {
    const masked = context.apiKey && context.apiKey.length >= 4
      ? text.split(context.apiKey).join("[REDACTED]")
      : text;
    return redactText(masked);
  };
  const base = { provider: context.provider, ...(context.model ? { model: context.model } : {}) };

  const sdk = context.sdk;
  if (sdk.isTimeout(error)) {
    return new TalonError(
      "provider_down",
      `${who} did not answer in time (request timed out); check the server, or raise llm.request_timeout_ms`,
      { cause: error, details: { ...base, status: null } },
    );
  }
  if (sdk.isConnection(error)) {
    const reason = scrub(causeMessage(error));
    return new TalonError(
      "provider_down",
      `cannot reach ${who}${context.baseUrl ? ` at ${context.baseUrl}` : ""}${
        reason ? ` (${reason})` : ""
      }; check that the server is running and base_url is right`,
      { cause: error, details: { ...base, status: null } },
    );
  }
  const info = sdk.apiError(error);
  if (!info) {
    const text = scrub(error instanceof Error ? error.message : String(error));
    return new TalonError(
      "driver_error",
      `${who} sent a response Talon could not read: ${text}`,
      { cause: error, details: { ...base, status: null } },
    );
  }

  const status = info.status;
  const text = scrub(info.message);
  const code = info.code ? ` ${info.code}` : "";
  const retryAfter = retryAfterMs(info.headers);
  const details = {
    ...base,
    status,
    ...(info.code ? { provider_code: info.code } : {}),
    ...(retryAfter !== undefined ? { retry_after_ms: retryAfter } : {}),
  };
  const keyHint = context.apiKeyEnv ? `check ${context.apiKeyEnv}` : "check its API key";

  if (status === 401 || status === 403 || info.type === "authentication_error") {
    return new TalonError(
      "provider_auth",
      `${who} rejected the API key (${status ?? info.type}); ${keyHint}`,
      { cause: error, details },
    );
  }
  if (info.code === "insufficient_quota") {
    return new TalonError(
      "provider_auth",
      `${who} says the account has no quota left (${status}${code}); check its billing, or ${keyHint}`,
      { cause: error, details },
    );
  }
  if (status === 429 || info.type === "rate_limit_error") {
    return new TalonError(
      "rate_limited",
      `${who} is rate limiting requests (${
        status ?? info.type
      }): ${text}; wait and try again, or lower the request rate`,
      { cause: error, details },
    );
  }
  if (
    info.code === "context_length_exceeded" ||
    ((status === 400 || status === 413 || status === null) && CONTEXT_TOO_LONG.test(info.message))
  ) {
    return new TalonError(
      "context_too_long",
      `the prompt is too long for model "${context.model ?? "?"}" on ${who} (${
        status ?? "stream"
      }): ${text}; shorten the conversation or use a model with a larger context window`,
      { cause: error, details },
    );
  }
  if (
    (status !== null && status >= 500) || info.type === "overloaded_error" ||
    info.type === "api_error" || info.type === "timeout_error"
  ) {
    return new TalonError(
      "provider_down",
      `${who} failed (${status ?? info.type}${code}): ${text}; try again later`,
      { cause: error, details },
    );
  }
  if (status === 404) {
    return new TalonError(
      "driver_error",
      `${who} does not know model "${context.model ?? "?"}" (404): ${text}; check the model name`,
      { cause: error, details },
    );
  }
  return new TalonError(
    "driver_error",
    `${who} refused the request (${status ?? info.type ?? "stream error"}${code}): ${text}`,
    { cause: error, details },
  );
}

/**
 * Milliseconds to wait from `retry-after-ms` or `retry-after` (seconds or an
 * HTTP date); undefined when neither header is usable.
 */
export function retryAfterMs(
  headers: Headers | undefined | null,
  now: number = Date.now(),
): number | undefined {
  if (!headers) return undefined;
  const ms = headers.get("retry-after-ms");
  if (ms !== null && /^\s*\d+(\.\d+)?\s*$/.test(ms)) return Math.ceil(Number(ms));
  const after = headers.get("retry-after");
  if (after === null) return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(after)) return Math.ceil(Number(after) * 1000);
  const date = Date.parse(after);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** An SDK error message without its leading HTTP status (`"400 bad"` → `"bad"`). */
export function stripStatus(message: string): string {
  return message.replace(/^\d{3}\s+/, "");
}

function causeMessage(error: unknown): string {
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof Error) {
    const inner = (cause as { cause?: unknown }).cause;
    return inner instanceof Error ? `${cause.message}: ${inner.message}` : cause.message;
  }
  return "";
}
