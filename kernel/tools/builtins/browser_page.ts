/// <reference lib="dom" />
/**
 * What the browser tools read from a page: its text, its interactive
 * elements with a selector for each, and whether clicking an element would
 * submit a form. The functions passed to `evaluate` run inside the page.
 *
 * @module
 */
import type { Locator, Page } from "playwright-core";
import { TalonError } from "../../errors.ts";

/** An interactive element as `browser_read` lists it. */
export interface PageElement {
  selector: string;
  /** e.g. `input type=email`, `button type=submit`, `a`, `select`. */
  kind: string;
  /** Its label, text or placeholder. */
  label: string;
  value?: string;
  href?: string;
  /** Set on elements that submit a form: only `browser_submit` may use them. */
  submits?: boolean;
}

/** Elements listed at most. */
const MAX_ELEMENTS = 100;

/** The one element `selector` matches; `invalid_input` when none or several do. */
export async function onlyElement(page: Page, selector: string): Promise<Locator> {
  const locator = page.locator(selector);
  let count: number;
  try {
    count = await locator.count();
  } catch (cause) {
    throw new TalonError("invalid_input", `"${selector}" is not a valid selector`, { cause });
  }
  if (count !== 1) {
    throw new TalonError(
      "invalid_input",
      count === 0
        ? `no element matches "${selector}"; call browser_read to see the page's elements`
        : `"${selector}" matches ${count} elements; use a selector browser_read lists`,
    );
  }
  return locator;
}

/**
 * Why clicking this element would submit a form (a submit button, an
 * `input type=submit|image`, a button without a type inside a form, or a
 * label of one, or something inside one), or null when it would not.
 */
export function wouldSubmit(locator: Locator): Promise<string | null> {
  return locator.evaluate((el: Element) => {
    const label = el.closest("label");
    const controls = [el.closest("button, input"), label?.control ?? null];
    for (const c of controls) {
      if (c instanceof HTMLButtonElement && c.type === "submit" && c.form) {
        return c.getAttribute("type") === null
          ? "a button without a type inside a form (which submits it)"
          : "a submit button";
      }
      if (c instanceof HTMLInputElement && (c.type === "submit" || c.type === "image") && c.form) {
        return `an input of type ${c.type}`;
      }
    }
    return null;
  });
}

/** The page's visible text, cut at `max` characters. */
export async function pageText(page: Page, max: number, selector?: string): Promise<string> {
  const text = selector === undefined
    ? await page.evaluate(() => document.body?.innerText ?? "")
    : await (await onlyElement(page, selector)).innerText();
  const tidy = text.replace(/\n{3,}/g, "\n\n").trim();
  return tidy.length > max
    ? `${tidy.slice(0, max)}\n[cut at ${max} characters; pass a selector to read one part]`
    : tidy;
}

/** The page's links, fields and buttons (at most 100), each with a unique selector. */
export function pageElements(page: Page): Promise<PageElement[]> {
  return page.evaluate((max: number) => {
    const selectorOf = (el: Element): string => {
      const tag = el.tagName.toLowerCase();
      if (el.id && document.querySelectorAll(`#${CSS.escape(el.id)}`).length === 1) {
        return `#${CSS.escape(el.id)}`;
      }
      const name = el.getAttribute("name");
      if (name) {
        const byName = `${tag}[name="${CSS.escape(name)}"]`;
        if (document.querySelectorAll(byName).length === 1) return byName;
      }
      const parts: string[] = [];
      let node: Element | null = el;
      while (node && node !== document.body && parts.length < 12) {
        if (node !== el && node.id) {
          parts.unshift(`#${CSS.escape(node.id)}`);
          break;
        }
        const t = node.tagName.toLowerCase();
        const same = [...(node.parentElement?.children ?? [])].filter((c) =>
          c.tagName === node!.tagName
        );
        parts.unshift(same.length > 1 ? `${t}:nth-of-type(${same.indexOf(node) + 1})` : t);
        node = node.parentElement;
      }
      return parts.join(" > ");
    };
    const labelOf = (el: Element): string => {
      const labels = (el as HTMLInputElement).labels;
      const text = (labels && labels.length > 0 ? labels[0]!.innerText : "") ||
        el.getAttribute("aria-label") || el.getAttribute("placeholder") ||
        (el as HTMLElement).innerText || el.getAttribute("value") || el.getAttribute("name") || "";
      return text.replace(/\s+/g, " ").trim().slice(0, 120);
    };
    const out: {
      selector: string;
      kind: string;
      label: string;
      value?: string;
      href?: string;
      submits?: boolean;
    }[] = [];
    for (const el of document.querySelectorAll("a[href], input, select, textarea, button")) {
      if (out.length >= max) break;
      const tag = el.tagName.toLowerCase();
      if (el instanceof HTMLInputElement && el.type === "hidden") continue;
      const type = el instanceof HTMLInputElement || el instanceof HTMLButtonElement
        ? el.type
        : undefined;
      const submits = (el instanceof HTMLButtonElement && el.type === "submit" && !!el.form) ||
        (el instanceof HTMLInputElement && (el.type === "submit" || el.type === "image") &&
          !!el.form);
      out.push({
        selector: selectorOf(el),
        kind: type ? `${tag} type=${type}` : tag,
        label: labelOf(el),
        ...(el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement ||
            el instanceof HTMLSelectElement
          ? { value: el.value.slice(0, 200) }
          : {}),
        ...(el instanceof HTMLAnchorElement ? { href: el.href } : {}),
        ...(submits ? { submits: true } : {}),
      });
    }
    return out;
  }, MAX_ELEMENTS);
}

/** The text a browser tool returns about the page it is on. */
export async function describePage(
  page: Page,
  options: { maxChars: number; selector?: string; status?: number | null; refused: string[] },
): Promise<string> {
  const lines = [`url: ${page.url()}`, `title: ${await page.title()}`];
  if (options.status !== undefined) lines.push(`status: ${options.status ?? "none"}`);
  if (options.refused.length > 0) {
    lines.push("refused requests:", ...options.refused.map((r) => `- ${r}`));
  }
  lines.push("", "--- text ---", await pageText(page, options.maxChars, options.selector));
  const elements = await pageElements(page);
  lines.push("", "--- elements (selector · kind · label) ---");
  for (const e of elements) {
    lines.push(
      `${e.selector} · ${e.kind} · ${JSON.stringify(e.label)}${
        e.value !== undefined ? ` · value=${JSON.stringify(e.value)}` : ""
      }${e.href ? ` · -> ${e.href}` : ""}${
        e.submits ? " · submits its form: use browser_submit" : ""
      }`,
    );
  }
  return lines.join("\n");
}

/** How `browser_fill` sets this element: choose an option, check it, or type. */
export function fillKind(locator: Locator): Promise<"select" | "check" | "text"> {
  return locator.evaluate((el: Element) =>
    el instanceof HTMLSelectElement
      ? "select" as const
      : el instanceof HTMLInputElement && (el.type === "checkbox" || el.type === "radio")
      ? "check" as const
      : "text" as const
  );
}

/** Whether `browser_submit` can use this element: a form, a button that submits one, or neither. */
export function submitTarget(locator: Locator): Promise<"form" | "button" | "other"> {
  return locator.evaluate((el: Element) => {
    if (el instanceof HTMLFormElement) return "form" as const;
    const submits = (el instanceof HTMLButtonElement && el.type === "submit") ||
      (el instanceof HTMLInputElement && (el.type === "submit" || el.type === "image"));
    return submits && (el as HTMLButtonElement).form ? "button" as const : "other" as const;
  });
}

/** Names of the fields the form of this form or submit button sends. */
export function formFieldNames(locator: Locator): Promise<string[]> {
  return locator.evaluate((el: Element) => {
    const form = el instanceof HTMLFormElement ? el : (el as HTMLButtonElement).form;
    return form ? [...new FormData(form).keys()] : [];
  });
}

/** Submits this form as its submit button would (validation and submit events included). */
export async function requestSubmit(locator: Locator): Promise<void> {
  await locator.evaluate((el: Element) => (el as HTMLFormElement).requestSubmit());
}
