/**
 * Domain errors. Callers branch on `code`; the HTTP layer maps codes to
 * statuses, the CLI maps them to exit codes. Programmer misuse throws the
 * built-in `TypeError`/`RangeError` instead.
 *
 * @module
 */

/** Every code a {@link TalonError} can carry. */
export type TalonErrorCode =
  | "invalid_input"
  | "invalid_config"
  | "invalid_manifest"
  | "not_found"
  | "name_taken"
  | "illegal_transition"
  | "capability_exceeded"
  | "queue_full"
  | "unauthorized"
  | "forbidden"
  | "csrf_rejected"
  | "data_dir_locked"
  | "database_too_new"
  | "migration_failed"
  | "provider_unavailable"
  | "driver_error"
  | "provider_auth"
  | "rate_limited"
  | "context_too_long"
  | "provider_down"
  | "budget_exceeded"
  | "shutting_down"
  | "interrupted"
  | "server_unreachable"
  | "path_denied"
  | "url_denied"
  | "fetch_failed"
  | "not_configured"
  | "permission_missing"
  | "skill_refused"
  | "not_supported"
  | "mcp_unavailable"
  | "mcp_call_failed"
  | "exfiltration_blocked"
  | "signature_invalid"
  | "manifest_unsigned"
  | "manifest_untrusted_key"
  | "manifest_rollback"
  | "a2a_call_failed";

/**
 * Messages by dotted field path (`name`, `resources.max_iterations`,
 * `capabilities.2`) for a refusal that concerns particular fields.
 */
export type FieldErrors = Record<string, string>;

/** A failure callers are expected to handle, identified by `code`. */
export class TalonError extends Error {
  /** Stable machine-readable code, e.g. `"not_found"`. */
  readonly code: TalonErrorCode;
  /** Extra structured detail (a state name, a list of names); never secrets. */
  readonly details?: Record<string, unknown>;
  /** The fields the refusal concerns, by dotted path; absent for whole-request refusals. */
  readonly fields?: FieldErrors;

  constructor(
    code: TalonErrorCode,
    message: string,
    options?: ErrorOptions & { details?: Record<string, unknown>; fields?: FieldErrors },
  ) {
    super(message, options);
    this.name = "TalonError";
    this.code = code;
    if (options?.details) this.details = options.details;
    if (options?.fields && Object.keys(options.fields).length > 0) this.fields = options.fields;
  }
}

/** True when `error` is a {@link TalonError}, optionally with `code`. */
export function isTalonError(
  error: unknown,
  code?: TalonErrorCode,
): error is TalonError {
  return error instanceof TalonError && (code === undefined || error.code === code);
}
