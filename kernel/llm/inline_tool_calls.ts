/**
 * Tool calls that local models write into their text instead of the
 * `tool_calls` field: `<tool_call>{"name":…,"arguments":{…}}</tool_call>`
 * blocks (Hermes/Qwen style) anywhere in the reply, and a reply that is
 * exactly one JSON object `{"name": <offered tool>, "arguments"|"parameters":
 * {…}}`. The parser streams text through as it arrives and holds back only
 * what could still turn out to be such a call, so calls never leak into the
 * streamed text and ordinary text is not delayed.
 *
 * @module
 */
import { INVALID_ARGUMENTS_KEY, isPlainObject, parseToolArguments } from "./tool_arguments.ts";

/** A call found in the text (the driver gives it an id). */
export interface InlineCall {
  name: string;
  args: Record<string, unknown>;
}

/** What one step of the parser releases. */
export interface InlineParseResult {
  /** Text safe to stream now (may be empty). */
  text: string;
  /** Calls completed by this step. */
  calls: InlineCall[];
}

const OPEN = "<tool_call>";
const CLOSE = "</tool_call>";
const OBJECT_KEYS = new Set(["name", "arguments", "parameters"]);

/** Streaming parser for one reply; feed deltas with `push`, then call `finish`. */
export class InlineToolCallParser {
  readonly #tools: Set<string>;
  #mode: "start" | "json" | "text" | "block" = "start";
  #held = "";
  #scanner: JsonCallScanner | undefined;

  /** `toolNames` are the tools offered in the request. */
  constructor(toolNames: Iterable<string>) {
    this.#tools = new Set(toolNames);
  }

  /** Feeds one text delta. */
  push(delta: string): InlineParseResult {
    const out: InlineParseResult = { text: "", calls: [] };
    if (this.#mode === "start") {
      this.#held += delta;
      const first = this.#held.trimStart();
      if (first === "") return out;
      if (first.startsWith("{") && this.#tools.size > 0) {
        this.#mode = "json";
        this.#scanner = new JsonCallScanner(this.#tools);
        delta = this.#held;
        this.#held = "";
      } else {
        this.#mode = "text";
        delta = this.#held;
        this.#held = "";
      }
    }
    if (this.#mode === "json") {
      this.#held += delta;
      if (this.#scanner!.feed(delta) !== "no") return out;
      this.#mode = "text";
      delta = this.#held;
      this.#held = "";
    }
    this.#scan(delta, out, false);
    return out;
  }

  /** Ends the reply: releases held text and any call still pending. */
  finish(): InlineParseResult {
    const out: InlineParseResult = { text: "", calls: [] };
    if (this.#mode === "start") {
      out.text = this.#held;
    } else if (this.#mode === "json") {
      const call = this.#scanner!.status === "complete" ? this.#scanner!.call() : undefined;
      if (call) {
        out.calls.push(call);
      } else {
        this.#mode = "text";
        const held = this.#held;
        this.#held = "";
        this.#scan(held, out, true);
      }
    } else {
      this.#scan("", out, true);
    }
    this.#held = "";
    return out;
  }

  #scan(delta: string, out: InlineParseResult, final: boolean): void {
    let buffer = this.#held + delta;
    this.#held = "";
    for (;;) {
      if (this.#mode === "block") {
        const end = buffer.indexOf(CLOSE);
        if (end < 0) {
          if (final) this.#emitBlock(buffer, false, out);
          else this.#held = buffer;
          return;
        }
        this.#emitBlock(buffer.slice(0, end), true, out);
        buffer = buffer.slice(end + CLOSE.length);
        this.#mode = "text";
        continue;
      }
      const start = this.#tools.size > 0 ? buffer.indexOf(OPEN) : -1;
      if (start >= 0) {
        out.text += buffer.slice(0, start);
        buffer = buffer.slice(start + OPEN.length);
        this.#mode = "block";
        continue;
      }
      const keep = final || this.#tools.size === 0 ? 0 : partialTagLength(buffer);
      out.text += buffer.slice(0, buffer.length - keep);
      this.#held = buffer.slice(buffer.length - keep);
      return;
    }
  }

  #emitBlock(inner: string, closed: boolean, out: InlineParseResult): void {
    const call = blockCall(inner);
    if (call) out.calls.push(call);
    else out.text += OPEN + inner + (closed ? CLOSE : "");
  }
}

/** Length of the longest suffix of `text` that is a proper prefix of `<tool_call>`. */
function partialTagLength(text: string): number {
  for (let n = Math.min(OPEN.length - 1, text.length); n > 0; n--) {
    if (OPEN.startsWith(text.slice(text.length - n))) return n;
  }
  return 0;
}

/** The call in a `<tool_call>` block, or undefined when it names none. */
function blockCall(inner: string): InlineCall | undefined {
  try {
    const value: unknown = JSON.parse(inner);
    if (isPlainObject(value) && typeof value.name === "string" && value.name !== "") {
      return { name: value.name, args: parseToolArguments(value.arguments ?? value.parameters) };
    }
    return undefined;
  } catch {
    const name = /"name"\s*:\s*"([^"\\]{1,200})"/.exec(inner)?.[1];
    return name ? { name, args: { [INVALID_ARGUMENTS_KEY]: inner.trim() } } : undefined;
  }
}

/**
 * Decides, character by character, whether a reply can still be exactly one
 * `{"name": <offered tool>, "arguments"|"parameters": …}` object: top-level
 * keys must be among those three and the name must be an offered tool.
 */
class JsonCallScanner {
  status: "maybe" | "no" | "complete" = "maybe";
  readonly #tools: Set<string>;
  #text = "";
  #started = false;
  #depth = 0;
  #inString = false;
  #escape = false;
  #expectKey = false;
  #key: string | undefined;
  #valueFor: string | undefined;
  #collect: "key" | "name" | undefined;
  #string = "";

  constructor(tools: Set<string>) {
    this.#tools = tools;
  }

  /** Feeds more text; returns the new status. */
  feed(text: string): "maybe" | "no" | "complete" {
    for (const ch of text) {
      if (this.status === "no") break;
      this.#text += ch;
      this.#step(ch);
    }
    return this.status;
  }

  /** The call, once the object is complete and valid. */
  call(): InlineCall | undefined {
    try {
      const value: unknown = JSON.parse(this.#text);
      if (!isPlainObject(value) || typeof value.name !== "string") return undefined;
      if (!this.#tools.has(value.name)) return undefined;
      if (!Object.keys(value).every((k) => OBJECT_KEYS.has(k))) return undefined;
      return { name: value.name, args: parseToolArguments(value.arguments ?? value.parameters) };
    } catch {
      return undefined;
    }
  }

  #step(ch: string): void {
    if (this.status === "complete") {
      if (!/\s/.test(ch)) this.status = "no";
      return;
    }
    if (this.#inString) return this.#stringChar(ch);
    if (/\s/.test(ch)) return;
    if (this.#depth === 0) {
      if (ch === "{" && !this.#started) {
        this.#started = true;
        this.#depth = 1;
        this.#expectKey = true;
      } else {
        this.status = "no";
      }
      return;
    }
    if (this.#depth > 1) {
      if (ch === '"') this.#inString = true;
      else if (ch === "{" || ch === "[") this.#depth++;
      else if (ch === "}" || ch === "]") this.#depth--;
      return;
    }
    if (ch === '"') {
      this.#inString = true;
      this.#string = "";
      this.#collect = this.#expectKey ? "key" : this.#valueFor === "name" ? "name" : undefined;
      return;
    }
    if (this.#expectKey) {
      this.status = "no";
    } else if (ch === ":") {
      this.#valueFor = this.#key;
    } else if (ch === ",") {
      this.#expectKey = true;
      this.#valueFor = undefined;
    } else if (ch === "}") {
      this.#depth = 0;
      this.status = this.call() ? "complete" : "no";
    } else if (this.#valueFor === "name") {
      this.status = "no";
    } else if (ch === "{" || ch === "[") {
      this.#depth++;
    }
  }

  #stringChar(ch: string): void {
    if (this.#escape) {
      this.#escape = false;
      this.#string += ch;
      return;
    }
    if (ch === "\\") {
      this.#escape = true;
      return;
    }
    if (ch !== '"') {
      if (this.#collect) this.#string += ch;
      if (this.#string.length > 300) this.status = "no";
      return;
    }
    this.#inString = false;
    if (this.#collect === "key") {
      if (!OBJECT_KEYS.has(this.#string)) this.status = "no";
      this.#key = this.#string;
      this.#expectKey = false;
    } else if (this.#collect === "name" && !this.#tools.has(this.#string)) {
      this.status = "no";
    }
    this.#collect = undefined;
  }
}
