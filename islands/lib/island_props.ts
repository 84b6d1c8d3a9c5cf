/**
 * Island props on the wire: the server encodes them into the island's
 * marker (`<talon-island data-props="…">`, HTML-escaped by the renderer) and
 * the browser boot script decodes them before hydrating.
 *
 * Allowed values: strings, finite numbers, booleans, null, arrays, plain
 * objects and valid Dates. Object properties whose value is `undefined` are
 * left out (the island sees them as absent, as it would anyway); anything
 * else — functions, class instances, Maps, bigints, NaN, cycles, JSX — is
 * refused with a TypeError naming the island and the prop path.
 *
 * Encoding: `{"v": <JSON value, Dates as ISO strings>, "d": [<paths of Dates>]}`,
 * so a string that merely looks like a date stays a string. Browser-safe.
 *
 * @module
 */

/** A value an island prop may hold. */
export type IslandValue =
  | string
  | number
  | boolean
  | null
  | Date
  | IslandValue[]
  | { [key: string]: IslandValue | undefined };

type Path = (string | number)[];

interface Encoded {
  v: unknown;
  d: Path[];
}

function describe(value: unknown): string {
  if (typeof value === "number") return String(value);
  if (typeof value === "function") return "a function";
  if (typeof value !== "object" || value === null) return typeof value;
  const name = Object.getPrototypeOf(value)?.constructor?.name;
  return name ? `a ${name}` : "an object without a prototype";
}

function pathText(path: Path): string {
  let text = "";
  for (const part of path) text += typeof part === "number" ? `[${part}]` : `.${part}`;
  return text.slice(1);
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Encodes an island's props as a JSON string, or throws a TypeError naming the bad prop. */
export function encodeIslandProps(island: string, props: Record<string, unknown>): string {
  const dates: Path[] = [];
  const seen = new Set<object>([props]);
  const refuse = (path: Path, what: string): never => {
    throw new TypeError(
      `island ${island}: prop "${pathText(path)}" is ${what}; island props may only be ` +
        "strings, finite numbers, booleans, null, arrays, plain objects and Dates",
    );
  };
  const walk = (value: unknown, path: Path): unknown => {
    switch (typeof value) {
      case "string":
      case "boolean":
        return value;
      case "number":
        return Number.isFinite(value) ? value : refuse(path, describe(value));
      case "object": {
        if (value === null) return null;
        if (value instanceof Date) {
          if (Number.isNaN(value.getTime())) refuse(path, "an invalid Date");
          dates.push(path);
          return value.toISOString();
        }
        if (seen.has(value)) refuse(path, "a circular reference");
        seen.add(value);
        let out: unknown;
        if (Array.isArray(value)) {
          out = value.map((item, i) => {
            if (item === undefined) refuse([...path, i], "undefined");
            return walk(item, [...path, i]);
          });
        } else if (isPlainObject(value)) {
          const obj: Record<string, unknown> = Object.create(null);
          for (const [key, item] of Object.entries(value)) {
            if (item !== undefined) obj[key] = walk(item, [...path, key]);
          }
          out = obj;
        } else {
          refuse(path, describe(value));
        }
        seen.delete(value);
        return out;
      }
      default:
        return refuse(path, describe(value));
    }
  };
  const encoded: Encoded = { v: {}, d: dates };
  const top: Record<string, unknown> = Object.create(null);
  for (const [key, value] of Object.entries(props)) {
    if (value !== undefined) top[key] = walk(value, [key]);
  }
  encoded.v = top;
  return JSON.stringify(encoded);
}

/** Decodes what {@link encodeIslandProps} produced, restoring Dates. */
export function decodeIslandProps(text: string): Record<string, unknown> {
  const encoded = JSON.parse(text) as Encoded;
  const root = encoded.v as Record<string, unknown>;
  for (const path of encoded.d) {
    let parent = root as Record<string | number, unknown>;
    for (const part of path.slice(0, -1)) parent = parent[part] as Record<string | number, unknown>;
    const last = path.at(-1)!;
    parent[last] = new Date(parent[last] as string);
  }
  return root;
}
