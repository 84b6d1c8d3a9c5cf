/**
 * Signed manifests. A manifest's `[signature]` block (`key_id`, `value`)
 * signs the canonical JSON (RFC 8785) of
 * `{type: "talon.manifest", key_id, manifest}`, where `manifest` is the
 * manifest without its signature block, parsed with defaults applied (so a
 * TOML file and its JSON twin sign the same). A signed edit signs
 * `{type: "talon.manifest_patch", key_id, agent: <name>, patch}` the same
 * way. The manifest's `version` is the version number: the newest signed
 * version applied under a name is kept, and an older one is refused
 * (rollback), as is a signed edit that does not raise it.
 *
 * With `[security] require_signed_manifests`, unsigned manifests and edits
 * from outside (API, CLI, MCP) are refused; children spawned by an agent and
 * Hand instances are made by the kernel and exempt. A signature is always
 * checked when present, against `[security] manifest_keys`.
 *
 * @module
 */
import { sha256Hex } from "./sha256.ts";
import { TalonError } from "../errors.ts";
import * as store from "../store/mod.ts";
import {
  AgentManifest,
  AgentPatch,
  type AgentView,
  ManifestSignature,
  parseOrRefuse,
  type SecurityConfig,
  type SigningKeyFile,
} from "../types.ts";
import type { AuditChain } from "./audit.ts";
import { canonicalBytes, fromBase64Url, keyIdOf, signPayload, verifyPayload } from "./signing.ts";

/** What a signed manifest's signature covers. */
export function manifestPayload(manifest: AgentManifest, keyId: string): Record<string, unknown> {
  return { type: "talon.manifest", key_id: keyId, manifest };
}

/** What a signed edit's signature covers. */
export function patchPayload(
  agentName: string,
  patch: AgentPatch,
  keyId: string,
): Record<string, unknown> {
  return { type: "talon.manifest_patch", key_id: keyId, agent: agentName, patch };
}

/**
 * Signs a manifest document (a parsed agent.toml or JSON object), or an edit
 * of agent `options.patchFor`; returns the document with its `signature`
 * block (replacing any old one). A manifest must state its `version`.
 */
export async function signManifestDocument(
  doc: Record<string, unknown>,
  key: SigningKeyFile,
  options: { patchFor?: string } = {},
): Promise<Record<string, unknown>> {
  const { signature: _old, ...body } = doc;
  if (typeof body.version !== "string") {
    throw new TalonError(
      "invalid_manifest",
      'a signed manifest must state its version (e.g. version = "1.0.0"); raise it with every change, since older signed versions are refused',
      { fields: { version: "required in a signed manifest" } },
    );
  }
  const payload = options.patchFor === undefined
    ? manifestPayload(parseOrRefuse(AgentManifest, body, { code: "invalid_manifest" }), key.key_id)
    : patchPayload(
      options.patchFor,
      parseOrRefuse(AgentPatch, body, { code: "invalid_manifest" }),
      key.key_id,
    );
  const proof = await signPayload(payload, {
    key_id: key.key_id,
    private_pkcs8: fromBase64Url(key.private_key),
  });
  return { ...body, signature: { key_id: proof.key_id, value: proof.signature } };
}

/** What the gate needs. */
export interface ManifestGateDeps {
  db: store.Database;
  audit: Pick<AuditChain, "append">;
  config: SecurityConfig;
  /** Orders semantic versions (kernel/agent's `compareVersions`). */
  compareVersions: (a: string, b: string) => number;
}

/** A checked document, and what to record inside the transaction that applies it. */
export interface Admitted<T> {
  value: T;
  commit: () => void;
}

/** Checks signed manifests and edits at spawn and update. */
export class ManifestGate {
  readonly #deps: ManifestGateDeps;
  readonly #trusted: Map<string, string>;

  constructor(deps: ManifestGateDeps) {
    this.#deps = deps;
    this.#trusted = new Map(deps.config.manifest_keys.map((k) => [keyIdOf(k), k]));
  }

  /**
   * Checks a spawn's manifest: returns it without its signature block.
   * `internal` spawns (an agent's child, a Hand instance) need no signature.
   */
  spawn(input: unknown, options: { internal: boolean; actor: string }): Admitted<unknown> {
    if (typeof input !== "object" || input === null || Array.isArray(input)) {
      return { value: input, commit: () => {} };
    }
    const { signature, ...body } = input as Record<string, unknown>;
    const name = typeof body.name === "string" ? body.name : "";
    if (signature === undefined) {
      this.#requireSigned(options, { name, what: "manifest" });
      return { value: body, commit: () => {} };
    }
    const manifest = parseOrRefuse(AgentManifest, body, { code: "invalid_manifest" });
    const sig = this.#signature(signature, { name, actor: options.actor });
    const payload = manifestPayload(manifest, sig.key_id);
    this.#verify(payload, sig, { name, actor: options.actor });
    const applied = store.signedManifestOf(this.#deps.db, manifest.name);
    if (applied && this.#deps.compareVersions(manifest.version, applied.version) < 0) {
      this.#refuse("manifest_rollback", {
        name,
        actor: options.actor,
        message:
          `manifest "${name}" version ${manifest.version} is older than the signed version ${applied.version} already applied; rollbacks are refused — sign a newer version`,
        field: "version",
      });
    }
    return {
      value: body,
      commit: () => this.#record(manifest.name, manifest.version, sig.key_id, payload, options),
    };
  }

  /** Checks an edit of `agent`: returns the patch without its signature block. */
  patch(
    agent: AgentView,
    patch: AgentPatch,
    options: { internal: boolean; actor: string },
  ): Admitted<AgentPatch> {
    const { signature, ...body } = patch;
    const name = agent.name;
    if (signature === undefined) {
      this.#requireSigned(
        { internal: options.internal || agent.parent_id !== null, actor: options.actor },
        { name, what: "edit" },
      );
      return { value: body as AgentPatch, commit: () => {} };
    }
    const sig = this.#signature(signature, { name, actor: options.actor });
    const payload = patchPayload(name, body as AgentPatch, sig.key_id);
    this.#verify(payload, sig, { name, actor: options.actor });
    const applied = store.signedManifestOf(this.#deps.db, name);
    const floor = applied?.version ?? agent.manifest.version;
    if (body.version === undefined || this.#deps.compareVersions(body.version, floor) <= 0) {
      this.#refuse("manifest_rollback", {
        name,
        actor: options.actor,
        message: `a signed edit of "${name}" must raise its version above ${floor}${
          body.version === undefined ? "" : ` (it says ${body.version})`
        }; replays and rollbacks are refused`,
        field: "version",
      });
    }
    return {
      value: body as AgentPatch,
      commit: () => this.#record(name, body.version!, sig.key_id, payload, options),
    };
  }

  #requireSigned(
    options: { internal: boolean; actor: string },
    what: { name: string; what: "manifest" | "edit" },
  ): void {
    if (!this.#deps.config.require_signed_manifests || options.internal) return;
    this.#refuse("manifest_unsigned", {
      name: what.name,
      actor: options.actor,
      message:
        `this ${what.what} of agent "${what.name}" is not signed, and [security] require_signed_manifests is on; sign it with \`talon manifest sign <file> --key <key file>\``,
      field: "signature",
    });
  }

  #signature(value: unknown, at: { name: string; actor: string }): ManifestSignature {
    const parsed = ManifestSignature.safeParse(value);
    if (parsed.success) return parsed.data;
    return this.#refuse("invalid_manifest", {
      ...at,
      message:
        `the signature block of "${at.name}" is malformed: it needs key_id (32 hex digits) and value (an Ed25519 signature in base64url)`,
      field: "signature",
    });
  }

  #verify(
    payload: Record<string, unknown>,
    sig: ManifestSignature,
    at: { name: string; actor: string },
  ): void {
    const publicKey = this.#trusted.get(sig.key_id);
    if (publicKey === undefined) {
      this.#refuse("manifest_untrusted_key", {
        ...at,
        message:
          `"${at.name}" is signed by key ${sig.key_id}, which is not in [security] manifest_keys; add its public key there or sign with a trusted key`,
        field: "signature.key_id",
      });
    }
    if (!verifyPayload(payload, { signature: sig.value, public_key: publicKey! })) {
      this.#refuse("signature_invalid", {
        ...at,
        message:
          `the signature of "${at.name}" does not match its content: it was changed after signing; sign it again`,
        field: "signature.value",
      });
    }
  }

  #record(
    name: string,
    version: string,
    keyId: string,
    payload: Record<string, unknown>,
    options: { actor: string },
  ): void {
    const digest = sha256Hex(canonicalBytes(payload));
    store.recordSignedManifest(this.#deps.db, { name, version, key_id: keyId, digest });
    this.#deps.audit.append({
      action: "manifest.verified",
      actor: options.actor,
      detail: { name, version, key_id: keyId, digest },
    });
  }

  #refuse(
    code:
      | "manifest_unsigned"
      | "manifest_untrusted_key"
      | "manifest_rollback"
      | "signature_invalid"
      | "invalid_manifest",
    at: { name: string; actor: string; message: string; field: string },
  ): never {
    this.#deps.audit.append({
      action: "manifest.rejected",
      actor: at.actor,
      detail: { name: at.name, code, reason: at.message },
    });
    throw new TalonError(code, at.message, { fields: { [at.field]: at.message } });
  }
}
