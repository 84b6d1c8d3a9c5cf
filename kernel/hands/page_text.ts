/**
 * The readable text of a fetched page, one block per line, so `page_diff`
 * compares what a reader sees rather than markup, scripts and styles.
 *
 * @module
 */

const ENTITIES: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: " ",
};

/** Text lines of an HTML page (other content types: the text itself, trimmed per line). */
export function pageText(text: string, contentType: string): string {
  const html = /html|xml/i.test(contentType) || /^\s*</.test(text);
  const body = html
    ? text
      .replace(/<!--[\s\S]*?-->/g, "")
      .replace(/<(script|style|noscript|template)\b[\s\S]*?<\/\1\s*>/gi, "")
      .replace(
        /<\/?(p|div|li|tr|h[1-6]|br|section|article|header|footer|table|ul|ol|dd|dt)\b[^>]*>/gi,
        "\n",
      )
      .replace(/<[^>]*>/g, "")
      .replace(/&(#\d+|#x[0-9a-f]+|[a-z]+);/gi, (whole, name: string) => {
        if (name.startsWith("#x") || name.startsWith("#X")) {
          return String.fromCodePoint(parseInt(name.slice(2), 16));
        }
        if (name.startsWith("#")) return String.fromCodePoint(Number(name.slice(1)));
        return ENTITIES[name.toLowerCase()] ?? whole;
      })
    : text;
  return body.split("\n").map((l) => l.replace(/\s+/g, " ").trim()).filter((l) => l !== "")
    .join("\n");
}
