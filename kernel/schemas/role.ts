/**
 * Roles, least to most privileged, and the one rank check. Zod-free, so any
 * module (islands included, through `kernel/types.ts`) may use it cheaply.
 *
 * @module
 */

/** Token roles, least to most privileged. */
export const ROLES = ["viewer", "operator", "admin"] as const;
/** A token's (and so a caller's) role. */
export type Role = (typeof ROLES)[number];

/**
 * True when `role` may do what needs `least`; `"public"` needs no role, so
 * anyone (even no caller) passes it.
 */
export function roleAtLeast(role: Role | undefined, least: Role | "public"): boolean {
  if (least === "public") return true;
  return role !== undefined && ROLES.indexOf(role) >= ROLES.indexOf(least);
}
