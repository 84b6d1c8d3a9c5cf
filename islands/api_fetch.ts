/**
 * Calling Talon's JSON API from islands (browser-safe). The session cookie
 * goes along by itself (same origin); failures become {@link ApiCallError}
 * carrying the server's `{error:{code,message}}`.
 *
 * @module
 */

/** An API call that failed: the status and the server's error code and message. */
export class ApiCallError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
    this.name = "ApiCallError";
  }
}

/** Throws an {@link ApiCallError} from a failed response's error body. */
export async function throwApiError(response: Response): Promise<never> {
  let code = "http_error";
  let message = `request failed with status ${response.status}`;
  try {
    const body = await response.json();
    if (typeof body?.error?.code === "string") code = body.error.code;
    if (typeof body?.error?.message === "string") message = body.error.message;
  } catch {
    // not JSON: keep the status message
  }
  throw new ApiCallError(response.status, code, message);
}

/** Sends `body` as JSON with `method` and returns the parsed JSON reply (or null for 204). */
export async function apiJson<T = unknown>(
  method: string,
  url: string,
  body?: unknown,
): Promise<T | null> {
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (cause) {
    throw new ApiCallError(0, "network", `Talon did not answer (${(cause as Error).message})`);
  }
  if (!response.ok) await throwApiError(response);
  return response.status === 204 ? null : await response.json() as T;
}
