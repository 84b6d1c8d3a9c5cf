/**
 * `talon key create` (a signing key pair for manifests) and `talon manifest
 * sign <file> --key <file>` (writes the signed manifest). Both work on files
 * only: no server or data dir is involved.
 *
 * @module
 */
import { stringify as stringifyToml } from "smol-toml";
import {
  generateSigningKeyPair,
  manifestFormatOf,
  parseManifestText,
  signManifestDocument,
  toBase64Url,
} from "../../kernel/mod.ts";
import { parseOrRefuse, SigningKeyFile } from "../../kernel/types.ts";
import { json } from "../format.ts";
import { UsageError } from "../io.ts";
import type { Command } from "./command.ts";

const DEFAULT_KEY_FILE = "talon-signing-key.json";

/** Every `talon key` and `talon manifest` command. */
export const identityCommands: Command[] = [
  {
    words: ["key", "create"],
    summary: "Make an Ed25519 key pair for signing manifests (private key file, mode 0600)",
    args: [],
    options: {
      out: {
        type: "string",
        value: "<file>",
        help: `where to write the key pair (default ${DEFAULT_KEY_FILE}; never overwritten)`,
      },
      json: { type: "boolean", help: "print JSON" },
    },
    notes: [
      "Add the printed public key to [security] manifest_keys of the Talon that should trust it.",
    ],
    run: async (ctx) => {
      const out = (ctx.values.out as string | undefined) ?? DEFAULT_KEY_FILE;
      const pair = await generateSigningKeyPair();
      const file: SigningKeyFile = {
        kind: "talon-signing-key",
        key_id: pair.key_id,
        public_key: pair.public_key,
        private_key: toBase64Url(pair.private_pkcs8),
      };
      try {
        await Deno.writeTextFile(out, JSON.stringify(file, null, 2) + "\n", {
          createNew: true,
          mode: 0o600,
        });
        await Deno.chmod(out, 0o600);
      } catch (cause) {
        throw new UsageError(
          cause instanceof Deno.errors.AlreadyExists
            ? `${out} already exists; choose another --out (a key file is never overwritten)`
            : `cannot write ${out}: ${(cause as Error).message}`,
        );
      }
      const shown = { key_id: pair.key_id, public_key: pair.public_key, file: out };
      ctx.io.out(
        ctx.globals.json
          ? json(shown)
          : `Wrote the key pair to ${out} (mode 0600; keep it secret).\nkey id:     ${pair.key_id}\npublic key: ${pair.public_key}\n`,
      );
      return 0;
    },
  },
  {
    words: ["manifest", "sign"],
    summary: "Sign an agent manifest (TOML or JSON) with a key from `talon key create`",
    args: ["file"],
    options: {
      key: { type: "string", value: "<file>", help: "the key file (required)" },
      out: { type: "string", value: "<file>", help: "write here instead of replacing <file>" },
      patch: {
        type: "string",
        value: "<agent>",
        help: "sign the file as an edit (PATCH body) of this agent instead of a manifest",
      },
      json: { type: "boolean", help: "print JSON" },
    },
    notes: [
      "Signs the manifest without its [signature] block, defaults applied, plus the key id;",
      "the manifest must state its version, and a Talon refuses versions older than one it applied.",
    ],
    run: async (ctx) => {
      const [file] = ctx.args as [string];
      const keyPath = ctx.values.key;
      if (typeof keyPath !== "string") throw new UsageError("--key <file> is required");
      const key = parseOrRefuse(SigningKeyFile, parseJson(await readText(keyPath, "key file")), {
        prefix: `${keyPath} is not a key file written by \`talon key create\``,
      });
      const text = await readText(file, "manifest");
      const doc = parseManifestText(text, { hint: file, source: `manifest ${file}` });
      if (typeof doc !== "object" || doc === null || Array.isArray(doc)) {
        throw new UsageError(`manifest ${file} is not a JSON object or TOML table`);
      }
      const patchFor = ctx.values.patch as string | undefined;
      const signed = await signManifestDocument(doc as Record<string, unknown>, key, { patchFor });
      const out = (ctx.values.out as string | undefined) ?? file;
      await writeReplacing(out, signedText(text, signed, manifestFormatOf(text, file)));
      const signature = signed.signature as { key_id: string; value: string };
      ctx.io.out(
        ctx.globals.json
          ? json({ file: out, version: signed.version, ...signature })
          : `Signed ${file} (version ${signed.version}) with key ${signature.key_id}; wrote ${out}\n`,
      );
      return 0;
    },
  },
];

/** The signed document as text: a TOML file keeps its text and gains a [signature] table. */
function signedText(
  original: string,
  signed: Record<string, unknown>,
  format: "json" | "toml",
): string {
  if (format === "json") return JSON.stringify(signed, null, 2) + "\n";
  const signature = signed.signature as { key_id: string; value: string };
  const parsed = parseManifestText(original, { hint: "toml" }) as Record<string, unknown>;
  if (parsed.signature === undefined) {
    return `${
      original.replace(/\s*$/, "\n")
    }\n[signature]\nkey_id = "${signature.key_id}"\nvalue = "${signature.value}"\n`;
  }
  return stringifyToml(signed) + "\n";
}

async function readText(path: string, what: string): Promise<string> {
  try {
    return await Deno.readTextFile(path);
  } catch (cause) {
    throw new UsageError(`cannot read ${what} ${path}: ${(cause as Error).message}`);
  }
}

/** Writes `text` to `path` through a temp file and a rename, so a reader never sees half. */
async function writeReplacing(path: string, text: string): Promise<void> {
  const tmp = `${path}.${crypto.randomUUID()}.tmp`;
  try {
    await Deno.writeTextFile(tmp, text, { createNew: true });
    await Deno.rename(tmp, path);
  } catch (cause) {
    await Deno.remove(tmp).catch(() => {});
    throw new UsageError(`cannot write ${path}: ${(cause as Error).message}`);
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
