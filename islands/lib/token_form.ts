/**
 * The token create form read with the API's schema (`CreateTokenBody`), for
 * the TokenManager island and the settings page's no-JavaScript POST.
 * Browser-safe.
 *
 * @module
 */
import { CreateTokenBody } from "../../kernel/schemas/token.ts";

/** Field errors of the create form. */
export type TokenFormErrors = Partial<Record<"name" | "role" | "form", string>>;

/** Reads typed values; the body to send, or errors by field. */
export function readTokenForm(
  values: { name: string; role: string },
): { ok: true; body: CreateTokenBody } | { ok: false; errors: TokenFormErrors } {
  const parsed = CreateTokenBody.safeParse({ name: values.name.trim(), role: values.role });
  if (parsed.success) return { ok: true, body: parsed.data };
  const errors: TokenFormErrors = {};
  for (const issue of parsed.error.issues) {
    const key = issue.path[0] === "name" || issue.path[0] === "role" ? issue.path[0] : "form";
    errors[key] ??= key === "role"
      ? "choose viewer, operator or admin"
      : key === "name"
      ? "give the token a name of 1 to 100 characters, e.g. ci-bot"
      : issue.message;
  }
  return { ok: false, errors };
}
