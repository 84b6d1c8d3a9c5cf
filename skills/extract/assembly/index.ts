// extract: pulls e-mail addresses, URLs, hashtags and numbers out of a text, in order, without duplicates.
import { Host } from "@extism/as-pdk";
import { fail, quote, stringField } from "../../_lib/json";

function abortPlugin(message: string | null, file: string | null, line: u32, column: u32): void {
  unreachable();
}

function isAlnum(c: i32): bool {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function isLocal(c: i32): bool {
  return isAlnum(c) || c == 46 || c == 95 || c == 37 || c == 43 || c == 45;
}

function isHost(c: i32): bool {
  return isAlnum(c) || c == 46 || c == 45;
}

function isUrlChar(c: i32): bool {
  return c > 32 && c < 127 && c != 34 && c != 60 && c != 62 && c != 96;
}

function trimEnd(s: string): string {
  let end = s.length;
  while (end > 0) {
    const c = s.charCodeAt(end - 1);
    if (c == 46 || c == 44 || c == 41 || c == 59 || c == 58 || c == 33 || c == 63) end--;
    else break;
  }
  return s.substring(0, end);
}

class Found {
  items: Array<string> = new Array<string>();
  add(s: string): void {
    if (!this.items.includes(s)) this.items.push(s);
  }
  json(): string {
    const parts = new Array<string>();
    for (let i = 0; i < this.items.length; i++) parts.push(quote(this.items[i]));
    return "[" + parts.join(",") + "]";
  }
}

export function all(): i32 {
  const text = stringField(Host.inputString(), "text");
  if (text == null) return fail('the input must be a JSON object with a string field "text"');
  const emails = new Found();
  const urls = new Found();
  const tags = new Found();
  const numbers = new Found();
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if ((text.startsWith("http://", i) || text.startsWith("https://", i))) {
      let j = i;
      while (j < n && isUrlChar(text.charCodeAt(j))) j++;
      urls.add(trimEnd(text.substring(i, j)));
      i = j;
      continue;
    }
    if (c == 35 && (i == 0 || !isAlnum(text.charCodeAt(i - 1)))) {
      let j = i + 1;
      while (j < n && (isAlnum(text.charCodeAt(j)) || text.charCodeAt(j) == 95)) j++;
      if (j > i + 1) tags.add(text.substring(i, j));
      i = j;
      continue;
    }
    if (isLocal(c) && (i == 0 || !isLocal(text.charCodeAt(i - 1)))) {
      let j = i;
      while (j < n && isLocal(text.charCodeAt(j))) j++;
      if (j < n && text.charCodeAt(j) == 64) {
        let k = j + 1;
        while (k < n && isHost(text.charCodeAt(k))) k++;
        const domain = trimEnd(text.substring(j + 1, k));
        if (domain.includes(".") && j > i) {
          emails.add(text.substring(i, j) + "@" + domain);
          i = k;
          continue;
        }
      }
      // A number: digits with at most one decimal point, optionally signed.
      let s = i;
      if (c == 45 && i + 1 < n) s = i + 1;
      let k = s;
      let dot = false;
      while (k < n) {
        const d = text.charCodeAt(k);
        if (d >= 48 && d <= 57) k++;
        else if (d == 46 && !dot && k + 1 < n && text.charCodeAt(k + 1) >= 48 &&
          text.charCodeAt(k + 1) <= 57) {
          dot = true;
          k++;
        } else break;
      }
      if (k > s && (k >= n || !isAlnum(text.charCodeAt(k)))) {
        const alone = s == i || true;
        if (alone && (i == 0 || !isAlnum(text.charCodeAt(i - 1)))) numbers.add(text.substring(i, k));
      }
      i = j > i ? j : i + 1;
      continue;
    }
    i++;
  }
  Host.outputString(
    '{"emails":' + emails.json() + ',"urls":' + urls.json() + ',"hashtags":' + tags.json() +
      ',"numbers":' + numbers.json() + "}",
  );
  return 0;
}
