/**
 * Keeping a server-rendered page current without a reload: elements marked
 * `data-live-section="<name>"` (server components, not islands) are replaced
 * by the same sections of a fresh render of the page, so the server stays
 * the one renderer and the page reads the same with or without JavaScript.
 * Browser-only.
 *
 * @module
 */

/**
 * Fetches the current page again and swaps in its live sections; returns
 * the fresh document, or undefined when the page could not be read (signed
 * out, server gone).
 */
export async function refreshSections(): Promise<Document | undefined> {
  const response = await fetch(location.pathname + location.search, {
    headers: { accept: "text/html" },
  });
  if (!response.ok || response.redirected) {
    await response.body?.cancel();
    return undefined;
  }
  const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
  for (const section of document.querySelectorAll<HTMLElement>("[data-live-section]")) {
    const name = CSS.escape(section.dataset.liveSection ?? "");
    const next = fresh.querySelector(`[data-live-section="${name}"]`);
    if (next && next.innerHTML !== section.innerHTML) section.innerHTML = next.innerHTML;
  }
  return fresh;
}
