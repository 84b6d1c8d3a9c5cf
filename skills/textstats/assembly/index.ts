// textstats: counts characters, words, lines and sentences of a text, and its most frequent words.
import { Host } from "@extism/as-pdk";
import { fail, quote, stringField } from "../../_lib/json";

function abortPlugin(message: string | null, file: string | null, line: u32, column: u32): void {
  unreachable();
}

function isWordChar(c: i32): bool {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 39 ||
    c >= 192;
}

function lower(word: string): string {
  return word.toLowerCase();
}

export function analyze(): i32 {
  const text = stringField(Host.inputString(), "text");
  if (text == null) return fail('the input must be a JSON object with a string field "text"');
  const top = i32(I32.parseInt(stringField(Host.inputString(), "top") || "5"));
  let words = 0;
  let lines = text.length > 0 ? 1 : 0;
  let sentences = 0;
  let letters = 0;
  let inSentence = false;
  const counts = new Map<string, i32>();
  const order = new Array<string>();
  let start = -1;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 32;
    if (isWordChar(c)) {
      if (start < 0) start = i;
      inSentence = true;
      continue;
    }
    if (start >= 0) {
      const word = lower(text.substring(start, i));
      words++;
      letters += i - start;
      if (counts.has(word)) counts.set(word, counts.get(word) + 1);
      else {
        counts.set(word, 1);
        order.push(word);
      }
      start = -1;
    }
    if (c == 10) lines++;
    if ((c == 46 || c == 33 || c == 63) && inSentence) {
      sentences++;
      inSentence = false;
    }
  }
  if (inSentence) sentences++;
  // Most frequent first; ties keep first appearance.
  const ranked = order.slice(0);
  for (let i = 1; i < ranked.length; i++) {
    const w = ranked[i];
    let j = i - 1;
    while (j >= 0 && counts.get(ranked[j]) < counts.get(w)) {
      ranked[j + 1] = ranked[j];
      j--;
    }
    ranked[j + 1] = w;
  }
  const n = top < ranked.length ? top : ranked.length;
  const topParts = new Array<string>();
  for (let i = 0; i < n; i++) {
    topParts.push('{"word":' + quote(ranked[i]) + ',"count":' + counts.get(ranked[i]).toString() + "}");
  }
  const avg = words > 0 ? Math.round(f64(letters) / f64(words) * 100) / 100 : 0.0;
  Host.outputString(
    '{"characters":' + text.length.toString() + ',"words":' + words.toString() + ',"lines":' +
      lines.toString() + ',"sentences":' + sentences.toString() + ',"unique_words":' +
      order.length.toString() + ',"average_word_length":' + avg.toString() + ',"top_words":[' +
      topParts.join(",") + "]}",
  );
  return 0;
}
