// Minimal JSON for Talon's AssemblyScript skill plugins: read a top-level
// string field of the input object, and write escaped JSON strings.

import { Memory } from "@extism/as-pdk";
import { error_set } from "@extism/as-pdk/lib/env";

class Cursor {
  pos: i32 = 0;
  constructor(public text: string) {}
  peek(): i32 {
    return this.pos < this.text.length ? this.text.charCodeAt(this.pos) : -1;
  }
  skipSpace(): void {
    while (this.pos < this.text.length) {
      const c = this.text.charCodeAt(this.pos);
      if (c != 32 && c != 9 && c != 10 && c != 13) break;
      this.pos++;
    }
  }
}

function readString(cur: Cursor): string {
  // cur.peek() is the opening quote
  cur.pos++;
  const parts = new Array<string>();
  let start = cur.pos;
  while (cur.pos < cur.text.length) {
    const c = cur.text.charCodeAt(cur.pos);
    if (c == 34) {
      parts.push(cur.text.substring(start, cur.pos));
      cur.pos++;
      return parts.join("");
    }
    if (c == 92) {
      parts.push(cur.text.substring(start, cur.pos));
      const e = cur.text.charCodeAt(cur.pos + 1);
      cur.pos += 2;
      if (e == 110) parts.push("\n");
      else if (e == 116) parts.push("\t");
      else if (e == 114) parts.push("\r");
      else if (e == 98) parts.push("\b");
      else if (e == 102) parts.push("\f");
      else if (e == 117) {
        const code = I32.parseInt(cur.text.substring(cur.pos, cur.pos + 4), 16);
        parts.push(String.fromCharCode(code));
        cur.pos += 4;
      } else parts.push(String.fromCharCode(e));
      start = cur.pos;
      continue;
    }
    cur.pos++;
  }
  parts.push(cur.text.substring(start));
  return parts.join("");
}

function skipValue(cur: Cursor): void {
  cur.skipSpace();
  const c = cur.peek();
  if (c == 34) {
    readString(cur);
    return;
  }
  if (c == 123 || c == 91) {
    let depth = 0;
    while (cur.pos < cur.text.length) {
      const d = cur.peek();
      if (d == 34) {
        readString(cur);
        continue;
      }
      if (d == 123 || d == 91) depth++;
      if (d == 125 || d == 93) depth--;
      cur.pos++;
      if (depth == 0) return;
    }
    return;
  }
  while (cur.pos < cur.text.length) {
    const d = cur.peek();
    if (d == 44 || d == 125 || d == 93 || d == 32 || d == 10 || d == 13 || d == 9) return;
    cur.pos++;
  }
}

/** The string value of top-level `key` in the JSON object `json`, or null. */
export function stringField(json: string, key: string): string | null {
  const cur = new Cursor(json);
  cur.skipSpace();
  if (cur.peek() != 123) return null;
  cur.pos++;
  while (true) {
    cur.skipSpace();
    const c = cur.peek();
    if (c == 125 || c < 0) return null;
    if (c == 44) {
      cur.pos++;
      continue;
    }
    if (c != 34) return null;
    const name = readString(cur);
    cur.skipSpace();
    if (cur.peek() != 58) return null;
    cur.pos++;
    cur.skipSpace();
    if (name == key && cur.peek() == 34) return readString(cur);
    skipValue(cur);
  }
}

/** `s` as a JSON string literal. */
export function quote(s: string): string {
  const parts = new Array<string>();
  parts.push('"');
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c == 34 || c == 92 || c < 32) {
      parts.push(s.substring(start, i));
      if (c == 34) parts.push('\\"');
      else if (c == 92) parts.push("\\\\");
      else if (c == 10) parts.push("\\n");
      else if (c == 13) parts.push("\\r");
      else if (c == 9) parts.push("\\t");
      else {
        const hex = c.toString(16);
        parts.push("\\u" + "0000".substring(hex.length) + hex);
      }
      start = i + 1;
    }
  }
  parts.push(s.substring(start));
  parts.push('"');
  return parts.join("");
}

/** Sets `message` as the call's error; returns the non-zero code the export should return. */
export function fail(message: string): i32 {
  error_set(Memory.allocateString(message).offset);
  return 1;
}
