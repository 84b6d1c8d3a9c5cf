/**
 * Manifest fields and capabilities that parse but that nothing reads yet.
 * A new or changed non-default value is refused with `not_supported` and the
 * field's path, so a manifest never asks for something that silently does
 * nothing; agents stored with such values still load. The issue that builds
 * a feature lifts its refusal by deleting its entry here.
 *
 * @module
 */
import { type FieldErrors, TalonError } from "../errors.ts";
import type { AgentManifest } from "../types.ts";

/** Top-level manifest fields whose non-default values are refused, and why. */
const RESERVED_FIELDS: {
  field: keyof AgentManifest;
  isDefault: (value: unknown) => boolean;
  message: string;
}[] = [
  {
    field: "module",
    isDefault: (v) => v === "builtin:chat",
    message: 'agent modules other than builtin:chat are not built yet; leave out "module"',
  },
];

/** Capabilities no tool checks yet, and why they are refused (none now: browser_control is built). */
const RESERVED_CAPABILITIES: Record<string, string> = {};

/** True when `capability` is in the vocabulary but not built yet. */
export function isReservedCapability(capability: string): boolean {
  return Object.hasOwn(RESERVED_CAPABILITIES, capability);
}

/**
 * The reserved fields `manifest` sets, by path. With `before` (an edit),
 * only values that differ from it count: an agent keeps what it was stored with.
 */
export function unsupportedFields(manifest: AgentManifest, before?: AgentManifest): FieldErrors {
  const fields: FieldErrors = {};
  for (const { field, isDefault, message } of RESERVED_FIELDS) {
    const value = manifest[field];
    const unchanged = before !== undefined &&
      JSON.stringify(before[field]) === JSON.stringify(value);
    if (!isDefault(value) && !unchanged) fields[field] = message;
  }
  manifest.capabilities.forEach((capability, i) => {
    if (isReservedCapability(capability) && !before?.capabilities.includes(capability)) {
      fields[`capabilities.${i}`] = RESERVED_CAPABILITIES[capability]!;
    }
  });
  return fields;
}

/** Throws `not_supported` naming every reserved field `manifest` sets (see {@link unsupportedFields}). */
export function assertSupported(manifest: AgentManifest, before?: AgentManifest): void {
  const fields = unsupportedFields(manifest, before);
  const entries = Object.entries(fields);
  if (entries.length === 0) return;
  throw new TalonError(
    "not_supported",
    `agent "${manifest.name}" asks for what Talon does not do yet: ${
      entries.map(([path, message]) => `${path}: ${message}`).join("; ")
    }`,
    { fields },
  );
}
