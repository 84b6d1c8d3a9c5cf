/**
 * Request body and query parsing against the shared zod schemas: every
 * failure is a 400 `invalid_input` naming each field's path in `fields`.
 *
 * @module
 */
import type { z } from "zod";
import { parseManifestText, TalonError } from "../kernel/mod.ts";
import { parseOrRefuse } from "../kernel/types.ts";
import type { RouteContext } from "./define.ts";

/** Validates `value` against `schema`, or throws `invalid_input` naming `what`. */
export function validate<S extends z.core.$ZodType>(
  schema: S,
  value: unknown,
  what: string,
): z.output<S> {
  return parseOrRefuse(schema, value, { prefix: `invalid ${what}` });
}

/**
 * Parses a JSON body; with `toml` (a manifest) also TOML, told apart by
 * `parseManifestText()` from the content type, or with none from the text.
 */
export async function readBody<S extends z.core.$ZodType>(
  c: RouteContext,
  schema: S,
  options: { toml?: boolean } = {},
): Promise<z.output<S>> {
  const type = c.req.header("content-type") ?? "";
  const text = await c.req.text();
  const json = /^application\/json\b/i.test(type);
  if (type && !json && !(options.toml && /^application\/toml\b/i.test(type))) {
    throw new TalonError(
      "invalid_input",
      `unsupported content-type "${type}"; send application/json${
        options.toml ? " or application/toml" : ""
      }`,
    );
  }
  let value: unknown;
  if (text === "") {
    value = {};
  } else if (options.toml) {
    value = parseManifestText(text, { hint: type, source: "body" });
  } else {
    try {
      value = JSON.parse(text);
    } catch (cause) {
      throw new TalonError(
        "invalid_input",
        `body is not valid JSON: ${(cause as Error).message}`,
        { cause },
      );
    }
  }
  return validate(schema, value, "body");
}

/** Validates the query string. */
export function readQuery<S extends z.core.$ZodType>(
  c: RouteContext,
  schema: S,
): z.output<S> {
  return validate(schema, c.req.query(), "query");
}
