/**
 * Tests that need a Debian binary (Chromium, ffmpeg): skipped with a message
 * when it is missing, except under `CI=true`, where they run and fail
 * (`.ci/run` installs both).
 *
 * @module
 */

/** Where Debian installs Chromium. */
export const CHROMIUM = "/usr/bin/chromium";
/** Where Debian installs ffmpeg and ffprobe. */
export const FFMPEG = "/usr/bin/ffmpeg";
export const FFPROBE = "/usr/bin/ffprobe";

const warned = new Set<string>();

/** True when the tests needing `paths` should be skipped (missing, and not in CI). */
export function skipWithout(paths: readonly string[], install: string): boolean {
  const missing = paths.filter((p) => {
    try {
      return !Deno.statSync(p).isFile;
    } catch {
      return true;
    }
  });
  if (missing.length === 0 || Deno.env.get("CI") === "true") return false;
  const message = `tests skipped: ${missing.join(", ")} missing (${install}, or run .ci/run)`;
  if (!warned.has(message)) console.warn(message);
  warned.add(message);
  return true;
}
