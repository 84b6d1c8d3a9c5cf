/**
 * Talon's entry point: `talon [command]` (`deno task talon`, `deno run …
 * main.ts`, or the compiled binary). With no command it serves.
 *
 * `talon --version` is answered here, before the CLI (and through it the
 * kernel) is imported: this module's static graph is `kernel/version.ts`
 * alone (tests/eager_graph_test.ts keeps it so).
 *
 * @module
 */
import { VERSION } from "./kernel/version.ts";

if (import.meta.main) {
  if (Deno.args.length === 1 && (Deno.args[0] === "--version" || Deno.args[0] === "-V")) {
    console.log(`talon ${VERSION}`);
    Deno.exit(0);
  }
  const [{ runCli }, { processIo }] = await Promise.all([
    import("./cli/main.ts"),
    import("./cli/io.ts"),
  ]);
  Deno.exit(await runCli(Deno.args, processIo));
}
