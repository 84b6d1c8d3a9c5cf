/**
 * Checks a Hand's `[[requires]]` on this machine: a binary on PATH (looked
 * up without running a shell), an environment variable that is set, or a
 * Deno permission the running process holds. Each unmet one says how to
 * meet it: the Hand's install hint, and for permissions the flag to start
 * Talon with.
 *
 * @module
 */
import type { EnvReader } from "../config.ts";
import type { HandRequirement, RequirementStatus } from "../types.ts";

/** Where the checks look. */
export interface RequirementProbe {
  /** Reads `PATH` and the variables `env` requirements name. */
  env: EnvReader;
}

/** Checks every requirement; never throws. */
export function checkRequirements(
  requires: readonly HandRequirement[],
  probe: RequirementProbe,
): RequirementStatus[] {
  return requires.map((r) => {
    const label = r.label ?? defaultLabel(r);
    const value = r.kind === "permission" ? r.value ?? null : null;
    const base = { kind: r.kind, name: r.name, value, label };
    switch (r.kind) {
      case "bin": {
        const found = findBinary(r.name, probe.env);
        return found.path
          ? { ...base, met: true, detail: `found at ${found.path}`, fix: "" }
          : { ...base, met: false, detail: found.why, fix: r.hint };
      }
      case "env": {
        const set = (probe.env(r.name) ?? "") !== "";
        return set ? { ...base, met: true, detail: `${r.name} is set`, fix: "" } : {
          ...base,
          met: false,
          detail: `${r.name} is not set`,
          fix:
            `${r.hint} Then start Talon with ${r.name} in its environment (allowed with --allow-env=${r.name}).`,
        };
      }
      case "permission": {
        const flag = permissionFlag(r.name, r.value);
        return permissionGranted(r.name, r.value)
          ? { ...base, met: true, detail: `Talon runs with ${flag}`, fix: "" }
          : {
            ...base,
            met: false,
            detail: `Talon runs without ${flag}`,
            fix:
              `${r.hint} Start Talon with ${flag} (for example: deno run ${flag} … main.ts serve).`,
          };
      }
    }
  });
}

/** The Deno flag granting a permission: `--allow-run=/usr/bin/chromium`. */
export function permissionFlag(name: HandRequirement["name"], value?: string): string {
  return `--allow-${name}${value ? `=${value}` : ""}`;
}

function defaultLabel(r: HandRequirement): string {
  if (r.kind === "bin") return `the ${r.name} program`;
  if (r.kind === "env") return `the ${r.name} environment variable`;
  return `permission ${permissionFlag(r.name, r.value)}`;
}

/** Whether the running process holds a permission (queried, never requested). */
function permissionGranted(name: string, value: string | undefined): boolean {
  let descriptor: Deno.PermissionDescriptor;
  switch (name) {
    case "run":
      descriptor = { name: "run", command: value };
      break;
    case "net":
      descriptor = { name: "net", host: value };
      break;
    case "read":
    case "write":
      descriptor = { name, path: value };
      break;
    case "env":
      descriptor = { name: "env", variable: value };
      break;
    case "sys":
      descriptor = { name: "sys", kind: value as Deno.SysPermissionDescriptor["kind"] };
      break;
    default:
      descriptor = { name: "ffi", path: value };
  }
  try {
    return Deno.permissions.querySync(descriptor).state === "granted";
  } catch {
    return false;
  }
}

/**
 * Finds an executable: an absolute path as given, or a command name in the
 * directories of `PATH`. Reads only file metadata; runs nothing.
 */
export function findBinary(name: string, env: EnvReader): { path?: string; why: string } {
  const candidates = name.startsWith("/")
    ? [name]
    : (env("PATH") ?? "").split(":").filter((d) => d.startsWith("/")).map((d) =>
      `${d.replace(/\/+$/, "")}/${name}`
    );
  if (candidates.length === 0) {
    return { why: `${name} was not looked for: PATH is empty or not readable by Talon` };
  }
  let unreadable: string | undefined;
  for (const path of candidates) {
    if (Deno.permissions.querySync({ name: "read", path }).state !== "granted") {
      unreadable ??= path;
      continue;
    }
    try {
      const info = Deno.statSync(path);
      if (info.isFile && ((info.mode ?? 0o111) & 0o111) !== 0) return { path, why: "" };
    } catch {
      // Not in this directory.
    }
  }
  return {
    why: unreadable && candidates.length === 1
      ? `${name} could not be checked: Talon may not read ${unreadable} (--allow-read)`
      : name.startsWith("/")
      ? `${name} does not exist or is not executable`
      : `${name} is not on PATH`,
  };
}
