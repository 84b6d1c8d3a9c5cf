/**
 * The offline driver's answer to a compaction call: a deterministic
 * extractive summary. Each line of the earlier summary is kept; each user
 * and assistant message of the transcript adds its first sentence (cut at
 * 160 characters); tool lines are left out. When the lines exceed the call's
 * output limit, the oldest third of the room keeps the earliest lines and
 * the rest the newest, with a marker where lines were left out.
 *
 * @module
 */
import { COMPACT_PREVIOUS, COMPACT_TRANSCRIPT, type PromptMessage } from "./driver.ts";

const SENTENCE_CHARS = 160;
const OMITTED = "- …";

/** The extractive summary of a compaction call's messages, at most `maxTokens` (~4 chars each). */
export function extractiveSummary(messages: readonly PromptMessage[], maxTokens: number): string {
  const input = messages.findLast((m) => m.role === "user")?.text ?? "";
  const at = input.indexOf(COMPACT_TRANSCRIPT);
  const previous = input.startsWith(COMPACT_PREVIOUS)
    ? input.slice(COMPACT_PREVIOUS.length, at < 0 ? undefined : at)
    : "";
  const transcript = at < 0 ? "" : input.slice(at + COMPACT_TRANSCRIPT.length);
  const lines = previous.split("\n").map((l) => l.trim()).filter((l) => l !== "");
  for (const line of transcript.split("\n")) {
    const match = /^\[(user|assistant)\] (.*)$/.exec(line.trim());
    if (!match || match[2]!.trim() === "") continue;
    lines.push(`- ${match[1]}: ${firstSentence(match[2]!)}`);
  }
  return fit(lines, Math.max(1, maxTokens) * 4);
}

function firstSentence(text: string): string {
  const sentence = /^.*?[.!?](\s|$)/.exec(text)?.[0]?.trim() ?? text.trim();
  return sentence.length > SENTENCE_CHARS ? `${sentence.slice(0, SENTENCE_CHARS - 1)}…` : sentence;
}

/** The lines joined, within `chars`: earliest lines in the first third, newest in the rest. */
function fit(lines: readonly string[], chars: number): string {
  const all = lines.join("\n");
  if (all.length <= chars) return all;
  const head: string[] = [];
  let used = OMITTED.length + 1;
  for (const line of lines) {
    if (line === OMITTED || used + line.length + 1 > chars / 3) break;
    head.push(line);
    used += line.length + 1;
  }
  const tail: string[] = [];
  for (let i = lines.length - 1; i >= head.length; i--) {
    const line = lines[i]!;
    if (line === OMITTED || used + line.length + 1 > chars) break;
    tail.unshift(line);
    used += line.length + 1;
  }
  return [...head, OMITTED, ...tail].join("\n").slice(0, chars);
}
