/**
 * The Copy button of a rendered code block (islands/markdown.ts): islands
 * that show markdown call {@link copyCode} from a delegated `onClick`.
 * Browser-only (clipboard, selection); light to import.
 *
 * @module
 */

/**
 * Handles a click on a code block's Copy button (`[data-copy-code]`, found
 * from `event.target`): copies the block's code to the clipboard and says so
 * on the button. Returns what happened for a status line, or undefined when
 * the click was not on a Copy button. Islands call it from a delegated
 * `onClick`.
 */
export async function copyCode(event: Event): Promise<string | undefined> {
  const button = (event.target as Element | null)?.closest?.("[data-copy-code]");
  const code = button?.closest(".code-block")?.querySelector("pre code");
  if (!button || !code) return undefined;
  event.preventDefault();
  let said: string;
  try {
    await navigator.clipboard.writeText(code.textContent ?? "");
    said = "Copied";
  } catch {
    // No clipboard access: select the code so the reader can copy it by hand.
    getSelection()?.selectAllChildren(code);
    said = "Selected: press Ctrl+C";
  }
  button.textContent = said;
  setTimeout(() => (button.textContent = "Copy"), 2000);
  return said === "Copied"
    ? "Code copied to the clipboard."
    : "Code selected; press Ctrl+C to copy.";
}
