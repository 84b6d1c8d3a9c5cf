/**
 * Talon's entry point: `talon [command]` (`deno task talon`, `deno run …
 * main.ts`, or the compiled binary). With no command it serves.
 *
 * @module
 */
import { runCli } from "./cli/main.ts";
import { processIo } from "./cli/io.ts";

if (import.meta.main) {
  Deno.exit(await runCli(Deno.args, processIo));
}
