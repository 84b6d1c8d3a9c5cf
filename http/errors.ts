/**
 * The one error middleware: maps `TalonError` codes to HTTP statuses and
 * `{error:{code,message,fields?,details?}}` (the `ErrorBody` schema, built
 * only by {@link errorBody}), with `Retry-After` on 429 when the wait is
 * known; anything unexpected is a 500 without internals.
 *
 * @module
 */
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { TalonError, type TalonErrorCode } from "../kernel/mod.ts";
import type { ErrorBody } from "../kernel/types.ts";
import type { AppEnv } from "./define.ts";
import { logRefusal } from "./refusal_log.ts";

const STATUS: Record<TalonErrorCode, ContentfulStatusCode> = {
  invalid_input: 400,
  invalid_config: 400,
  invalid_manifest: 400,
  not_found: 404,
  name_taken: 409,
  illegal_transition: 409,
  capability_exceeded: 403,
  queue_full: 429,
  unauthorized: 401,
  forbidden: 403,
  csrf_rejected: 403,
  data_dir_locked: 503,
  database_too_new: 500,
  migration_failed: 500,
  provider_unavailable: 422,
  driver_error: 502,
  provider_auth: 502,
  rate_limited: 429,
  context_too_long: 422,
  provider_down: 502,
  budget_exceeded: 402,
  shutting_down: 503,
  interrupted: 409,
  server_unreachable: 502,
  path_denied: 403,
  url_denied: 403,
  fetch_failed: 502,
  not_configured: 422,
  permission_missing: 500,
  mcp_unavailable: 502,
  mcp_call_failed: 502,
  a2a_call_failed: 502,
  skill_refused: 422,
  not_supported: 422,
  exfiltration_blocked: 403,
  signature_invalid: 422,
  manifest_unsigned: 403,
  manifest_untrusted_key: 403,
  manifest_rollback: 409,
};

/** The error body of every refusal; empty `fields` are left out. */
export function errorBody(
  code: string,
  message: string,
  extra: { fields?: Record<string, string>; details?: Record<string, unknown> } = {},
): ErrorBody {
  const error: ErrorBody["error"] = { code, message };
  if (extra.fields && Object.keys(extra.fields).length > 0) error.fields = extra.fields;
  if (extra.details) error.details = extra.details;
  return { error };
}

/** The HTTP status of a domain error code. */
export function statusOf(code: TalonErrorCode): ContentfulStatusCode {
  return STATUS[code];
}

/** Hono `onError` handler. */
export function handleError(error: Error, c: Context<AppEnv>): Response {
  if (error instanceof TalonError) {
    logRefusal(c, error.code);
    const retryAfterMs = error.details?.retry_after_ms;
    if (error.code === "rate_limited" && typeof retryAfterMs === "number") {
      c.header("retry-after", String(Math.max(1, Math.ceil(retryAfterMs / 1000))));
    }
    return c.json(
      errorBody(error.code, error.message, { fields: error.fields, details: error.details }),
      statusOf(error.code),
    );
  }
  if (error instanceof HTTPException) {
    const status = error.status as ContentfulStatusCode;
    const code = status === 413
      ? "payload_too_large"
      : status === 401
      ? "unauthorized"
      : "http_error";
    logRefusal(c, code);
    return c.json(errorBody(code, error.message || "request refused"), status);
  }
  c.get("kernel")?.log.error("unhandled error", {
    request_id: c.get("requestId"),
    error: { name: error.name, message: error.message, stack: error.stack },
  });
  return c.json(
    errorBody(
      "internal",
      `internal error; see the server log for request ${c.get("requestId") ?? "?"}`,
    ),
    500,
  );
}
