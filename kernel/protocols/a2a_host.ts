/**
 * Talon's A2A server surface without the SDK: the cards (plain data) and the
 * entry point of an offered agent's JSON-RPC endpoint, which loads the SDK
 * and kernel/protocols/a2a_server.ts on first use, never on serve's boot
 * path.
 *
 * @module
 */
import type { Kernel } from "../kernel.ts";
import type { A2aAgentCard, Role } from "../types.ts";
import { agentCard, exposedAgent, publicBase, talonCard } from "./a2a_card.ts";

/** Who calls an A2A endpoint: the role gates methods, the actor goes to the audit log. */
export interface A2aCaller {
  role: Role;
  /** As the audit log names callers: `token:<id>` or `local:<id>`. */
  actor: string;
}

/** This Talon's public card, as seen from `requestUrl`. */
export function talonAgentCard(kernel: Kernel, requestUrl: string): A2aAgentCard {
  return talonCard(kernel, publicBase(kernel, requestUrl));
}

/**
 * The card of the offered agent `name`, publishing its signing key (made when
 * it has none yet); `not_found` when it is not offered.
 */
export async function offeredAgentCard(
  kernel: Kernel,
  name: string,
  requestUrl: string,
): Promise<A2aAgentCard> {
  const agent = exposedAgent(kernel, name);
  const key = await kernel.identity.identity.ensureKey(agent.id);
  return agentCard(agent, publicBase(kernel, requestUrl), key);
}

/**
 * Answers one JSON-RPC request to the offered agent `name` (JSON, or SSE
 * for a stream); `not_found` when the agent is not offered.
 */
export async function handleA2aRequest(
  kernel: Kernel,
  request: Request,
  options: { agent: string; caller: A2aCaller },
): Promise<Response> {
  const agent = exposedAgent(kernel, options.agent);
  const { handleA2aJsonRpc } = await import("./a2a_server.ts");
  return await handleA2aJsonRpc(kernel, request, {
    agent,
    caller: options.caller,
    base: publicBase(kernel, request.url),
  });
}
