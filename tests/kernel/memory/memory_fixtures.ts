/**
 * Helpers for memory tests: a local `/v1/embeddings` fake that serves
 * hand-made vectors by text, and a kernel configured to use it.
 *
 * @module
 */
import type { Kernel } from "../../../kernel/kernel.ts";
import type { BootOptions } from "../../../kernel/boot.ts";
import { withKernel } from "../fixtures.ts";
import type { AgentView } from "../../../kernel/types.ts";

/** A running embeddings fake and the texts it was asked to embed. */
export interface EmbeddingsFake {
  url: string;
  inputs: string[];
  close(): Promise<void>;
}

/** Serves `vectors[text]` for each input (all zeros but a last 1 for unknown texts). */
export function startEmbeddings(vectors: Record<string, number[]>): EmbeddingsFake {
  const inputs: string[] = [];
  const dims = Object.values(vectors)[0]?.length ?? 3;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    const body = await req.json() as { input: string[] | string; model: string };
    const input = typeof body.input === "string" ? [body.input] : body.input;
    inputs.push(...input);
    const data = input.map((text, index) => ({
      object: "embedding",
      index,
      embedding: vectors[text] ?? [...new Array(dims - 1).fill(0), 1],
    }));
    return Response.json({
      object: "list",
      data,
      model: body.model,
      usage: { prompt_tokens: 1, total_tokens: 1 },
    });
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}/v1`,
    inputs,
    close: () => server.shutdown(),
  };
}

/** Runs `fn` with a kernel whose `[memory] embedding` is the fake at `url`. */
export function withEmbeddingKernel(
  url: string,
  fn: (kernel: Kernel) => Promise<void>,
  options: { memory?: string; boot?: Partial<BootOptions> } = {},
): Promise<void> {
  return withKernel(fn, {
    config: `[providers.emb]\nkind = "openai"\nbase_url = "${url}"\n\n[memory]\n` +
      `embedding = "emb/hand-made"\n${options.memory ?? ""}\n`,
    boot: options.boot,
  });
}

/** Spawns an agent that may read and write memory. */
export function memoryAgent(kernel: Kernel, name: string): AgentView {
  return kernel.agents.spawn({ name, capabilities: ["memory_read", "memory_write"] });
}
