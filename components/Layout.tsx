/**
 * The dashboard shell: brand, navigation (current page marked with
 * `aria-current`, entries filtered by the principal's role) with the count
 * of pending approvals on its Approvals entry (live on pages with islands:
 * islands/PendingCount.tsx rides along), who is signed in with a sign-out
 * button, and the page's main content.
 *
 * @module
 */
import type { ComponentChildren, JSX } from "preact";
import type { Principal } from "../http/define.ts";
import { PendingCount } from "../http/islands.gen.ts";
import type { Kernel } from "../kernel/mod.ts";
import { type Role, roleAtLeast } from "../kernel/types.ts";
import { Document } from "./Document.tsx";

/** One navigation entry: shown to `role` and above; current when the path is `href` or below it. */
export interface NavEntry {
  label: string;
  href: string;
  role: Role;
}

/** The navigation, in order. Add Hands, MCP, A2A here. */
export const NAV: NavEntry[] = [
  { label: "Overview", href: "/", role: "viewer" },
  { label: "Agents", href: "/agents", role: "viewer" },
  { label: "Schedules", href: "/schedules", role: "viewer" },
  { label: "Approvals", href: "/approvals", role: "viewer" },
  { label: "Hands", href: "/hands", role: "viewer" },
  { label: "Usage", href: "/usage", role: "viewer" },
  { label: "Skills", href: "/skills", role: "viewer" },
  { label: "Integrations", href: "/integrations", role: "viewer" },
  { label: "Audit", href: "/audit", role: "viewer" },
  { label: "Settings", href: "/settings", role: "viewer" },
];

/** The nav entries (of `entries`, default {@link NAV}) `role` may see. */
export function navFor(role: Role, entries: NavEntry[] = NAV): NavEntry[] {
  return entries.filter((entry) => roleAtLeast(role, entry.role));
}

/** True when `href` is the current section for `path`. */
export function isCurrent(href: string, path: string): boolean {
  return href === "/" ? path === "/" : path === href || path.startsWith(`${href}/`);
}

/** What the layout needs from the page request (a `PageRequest` fits). */
export interface LayoutPage {
  principal: Principal;
  url: URL;
  /** For the pending approvals count. */
  kernel: Pick<Kernel, "approvals" | "bus">;
}

/** A signed-in page: shell, nav and `children` as the main content. */
export function Layout(
  props: { page: LayoutPage; title: string; children: ComponentChildren },
): JSX.Element {
  const { principal, url, kernel } = props.page;
  const pending = {
    count: kernel.approvals.pendingCount(),
    after: kernel.bus.recent({ limit: 1, types: ["approval"] })[0]?.id ?? 0,
  };
  return (
    <Document title={props.title}>
      <a class="skip-link" href="#main">Skip to content</a>
      <div class="shell">
        <header class="topbar">
          <a class="brand" href="/">
            <span class="brand-mark" aria-hidden="true">◆</span> Talon
          </a>
          <nav class="nav" aria-label="Main">
            <ul>
              {navFor(principal.role).map((entry) => (
                <li key={entry.href}>
                  <a
                    href={entry.href}
                    aria-current={isCurrent(entry.href, url.pathname) ? "page" : undefined}
                  >
                    {entry.label}
                    {entry.href === "/approvals" && <PendingCount {...pending} />}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
          <div class="whoami">
            <span class="role" title={`signed in as ${principal.kind} ${principal.id}`}>
              {principal.role}
            </span>
            <form method="post" action="/logout">
              <button type="submit" class="btn btn-quiet btn-small">Sign out</button>
            </form>
          </div>
        </header>
        <main id="main" class="content">{props.children}</main>
      </div>
    </Document>
  );
}
