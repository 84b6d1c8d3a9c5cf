/**
 * The path jail: every path a file tool touches is resolved inside one root
 * (an agent's workspace, `<data-dir>/workspaces/<agent-id>/`). Refused: `..`
 * segments (also percent-encoded or with backslashes), absolute paths outside
 * the root, NUL bytes, symlinks whose target lies outside (checked on the real
 * path of every existing component), dangling symlinks, and anything that is
 * not a regular file or directory (devices, FIFOs, sockets).
 *
 * The check runs when a call starts; nothing else in the workspace changes
 * links between the check and the open unless a shell command runs there,
 * which needs `shell_exec` and an approval.
 *
 * @module
 */
import { isAbsolute, join, normalize, relative, sep } from "node:path";
import { TalonError } from "../errors.ts";

/** What a path is needed for; decides which kinds of entry are accepted. */
export type JailUse = "read" | "write" | "list";

/** A path resolved inside the jail. */
export interface JailedPath {
  /** Real absolute path (symlinks inside the root resolved). */
  real: string;
  /** Path relative to the root, `.` for the root itself. */
  relative: string;
  /** The entry's info when it exists. */
  info?: Deno.FileInfo;
}

/** Longest path accepted. */
const MAX_PATH_CHARS = 4096;

/** Resolves and checks paths inside one root directory. */
export class PathJail {
  /** The root's real path. */
  readonly root: string;
  readonly #given: string;

  private constructor(root: string, given: string) {
    this.root = root;
    this.#given = given;
  }

  /** Opens a jail on `dir`, creating it (mode 0700) when missing. */
  static async open(dir: string): Promise<PathJail> {
    await Deno.mkdir(dir, { recursive: true, mode: 0o700 });
    return new PathJail(await Deno.realPath(dir), normalize(dir));
  }

  /**
   * Resolves `path` (relative to the root, or absolute inside it) for `use`.
   * Throws `path_denied` saying why when it would leave the jail or is not a
   * regular file (or, for `list`, a directory).
   */
  async resolve(path: string, use: JailUse): Promise<JailedPath> {
    const rel = this.#lexical(path);
    const parts = rel === "" ? [] : rel.split(sep);
    // Walk from the root: every existing component must resolve inside the root.
    let real = this.root;
    let i = 0;
    for (; i < parts.length; i++) {
      const next = join(real, parts[i]!);
      let info: Deno.FileInfo;
      try {
        info = await Deno.lstat(next);
      } catch (cause) {
        if (cause instanceof Deno.errors.NotFound) break;
        throw cause;
      }
      if (info.isSymlink) {
        let target: string;
        try {
          target = await Deno.realPath(next);
        } catch (cause) {
          if (!(cause instanceof Deno.errors.NotFound)) throw cause;
          throw denied(path, "it is a symlink whose target does not exist");
        }
        if (!this.#inside(target)) {
          throw denied(path, "a symlink in it points outside the workspace");
        }
        real = target;
      } else {
        real = next;
      }
    }
    const missing = parts.slice(i);
    if (missing.length > 0) {
      if (use !== "write") throw notFound(path);
      return { real: join(real, ...missing), relative: rel || "." };
    }
    const info = await Deno.stat(real);
    if (!info.isFile && !info.isDirectory) {
      throw denied(path, "it is not a regular file (device, FIFO or socket)");
    }
    if (use !== "list" && !info.isFile) {
      throw new TalonError("invalid_input", `"${path}" is a directory, not a file`);
    }
    return { real, relative: rel || ".", info };
  }

  /** The root-relative form of `path` after the lexical checks. */
  #lexical(path: string): string {
    if (path.length > MAX_PATH_CHARS) throw denied(path.slice(0, 80) + "…", "it is too long");
    if (path.includes("\0")) throw denied(path, "it contains a NUL byte");
    const segments = (p: string) => p.split(/[\\/]+/);
    if (segments(path).includes("..")) {
      throw denied(path, "'..' is not allowed; use a path inside the workspace");
    }
    if (/%[0-9a-f]{2}/i.test(path)) {
      let decoded: string;
      try {
        decoded = decodeURIComponent(path);
      } catch {
        decoded = path;
      }
      if (segments(decoded).includes("..") || decoded.includes("\0")) {
        throw denied(path, "it hides '..' in percent-encoding");
      }
    }
    if (!isAbsolute(path)) return normalize(path).replace(/^\.\/?$/, "").replace(/\/$/, "");
    for (const base of [this.#given, this.root]) {
      const rel = relative(base, normalize(path));
      if (rel === "" || (!rel.startsWith("..") && !isAbsolute(rel))) return rel;
    }
    throw denied(path, "absolute paths must lie inside the workspace");
  }

  #inside(real: string): boolean {
    return real === this.root || real.startsWith(this.root + sep);
  }
}

function denied(path: string, why: string): TalonError {
  return new TalonError("path_denied", `path "${path}" is refused: ${why}`);
}

function notFound(path: string): TalonError {
  return new TalonError("not_found", `"${path}" does not exist in the workspace`);
}
