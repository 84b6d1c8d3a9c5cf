/**
 * The one client of Talon's JSON API, used by the islands (same origin, the
 * session cookie goes along by itself) and by the CLI (a base URL and a
 * bearer credential). A failure becomes an {@link ApiCallError} carrying the
 * server's error body (`ErrorBody`: code, message, fields by dotted path,
 * details). Browser-safe: no Deno APIs, no zod (the body's type comes from
 * the `ErrorBody` schema; {@link errorOfBody} checks the same shape).
 *
 * @module
 */
import type { ErrorBody } from "../../kernel/types.ts";

/** The `error` of an API error body. */
export type ApiError = ErrorBody["error"];

/** Code of a call that got no answer at all (status 0). */
export const NETWORK_FAILURE = "network";
/** Code of a failed response whose body is not an API error body. */
export const BAD_RESPONSE = "bad_response";

/** An API call that failed: the status and the server's error body. */
export class ApiCallError extends Error {
  /** Stable code: the server's, or {@link NETWORK_FAILURE} / {@link BAD_RESPONSE}. */
  readonly code: string;
  /** Messages by dotted field path (`name`, `capabilities.2`), when the refusal concerns fields. */
  readonly fields?: Record<string, string>;
  /** Structured context the server attached. */
  readonly details?: Record<string, unknown>;

  constructor(readonly status: number, error: ApiError, options?: ErrorOptions) {
    super(error.message, options);
    this.name = "ApiCallError";
    this.code = error.code;
    if (error.fields) this.fields = error.fields;
    if (error.details) this.details = error.details;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The `error` of `body` when it is an API error body (the `ErrorBody` shape), else undefined. */
export function errorOfBody(body: unknown): ApiError | undefined {
  if (!isRecord(body) || !isRecord(body.error)) return undefined;
  const { code, message, fields, details } = body.error;
  if (typeof code !== "string" || typeof message !== "string") return undefined;
  if (
    fields !== undefined &&
    !(isRecord(fields) && Object.values(fields).every((v) => typeof v === "string"))
  ) {
    return undefined;
  }
  if (details !== undefined && !isRecord(details)) return undefined;
  const error: ApiError = { code, message };
  if (fields !== undefined) error.fields = fields as Record<string, string>;
  if (details !== undefined) error.details = details;
  return error;
}

/** A dotted path of `fields` (`capabilities.2`) as path segments (`["capabilities", 2]`). */
export function pathSegments(path: string): (string | number)[] {
  return path.split(".").map((part) => /^\d+$/.test(part) ? Number(part) : part);
}

/** Throws an {@link ApiCallError} from a failed response's error body. */
export async function throwApiError(response: Response): Promise<never> {
  const text = await response.text().catch(() => "");
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  throw new ApiCallError(
    response.status,
    errorOfBody(body) ?? {
      code: BAD_RESPONSE,
      message: `request failed with status ${response.status}`,
    },
  );
}

/** Where calls go and how they authenticate; islands use the defaults (same origin, cookie). */
export interface ApiClientOptions {
  /** Prefix of every path, e.g. `http://127.0.0.1:4200`; "" for same origin. */
  base?: string;
  /** Sent with every call, e.g. `authorization`. */
  headers?: Record<string, string>;
}

/** What one call sends: a JSON value, or text with its content type. */
export type ApiBody = { json: unknown } | { text: string; type: string };

/**
 * Calls `path` and returns the response when it is 2xx; otherwise throws an
 * {@link ApiCallError} (status 0 and code {@link NETWORK_FAILURE} when nothing
 * answered; an abort through `signal` is rethrown as it is).
 */
export async function apiFetch(
  method: string,
  path: string,
  options: ApiClientOptions & { body?: ApiBody; signal?: AbortSignal } = {},
): Promise<Response> {
  const { body } = options;
  const headers: Record<string, string> = { ...options.headers };
  if (body) headers["content-type"] = "json" in body ? "application/json" : body.type;
  let response: Response;
  try {
    response = await fetch((options.base ?? "") + path, {
      method,
      headers,
      body: body === undefined ? undefined : "json" in body ? JSON.stringify(body.json) : body.text,
      signal: options.signal,
    });
  } catch (cause) {
    if (options.signal?.aborted) throw cause;
    throw new ApiCallError(0, {
      code: NETWORK_FAILURE,
      message: `Talon did not answer (${(cause as Error).message})`,
    }, { cause });
  }
  if (!response.ok) await throwApiError(response);
  return response;
}

/** Sends `body` as JSON with `method` and returns the parsed JSON reply (or null for 204). */
export async function apiJson<T = unknown>(
  method: string,
  path: string,
  body?: unknown,
  options: ApiClientOptions = {},
): Promise<T | null> {
  const response = await apiFetch(method, path, {
    ...options,
    body: body === undefined ? undefined : { json: body },
  });
  return response.status === 204 ? null : await response.json() as T;
}
