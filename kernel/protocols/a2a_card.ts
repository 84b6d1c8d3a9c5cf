/**
 * Agent cards (A2A v1.0 JSON) of this Talon: the public card at
 * `/.well-known/agent-card.json`, whose skills are the agents offered over
 * A2A (`a2a = true` in their manifest), and each offered agent's own card
 * with its JSON-RPC endpoint. Plain data: the SDK is not loaded here.
 *
 * @module
 */
import { TalonError } from "../errors.ts";
import type { Kernel } from "../kernel.ts";
import type { A2aAgentCard, AgentView } from "../types.ts";
import { VERSION } from "../version.ts";
import { type A2aSigningKey, signingExtension } from "./a2a_signature.ts";

/** The A2A protocol versions the JSON-RPC endpoints speak (1.0, and 0.3's method names). */
const PROTOCOL_VERSIONS = ["1.0", "0.3"];

const BEARER = {
  bearer: {
    httpAuthSecurityScheme: {
      scheme: "Bearer",
      description:
        "A Talon API token (talon token create): message/send, message/stream and tasks/cancel need the operator role, tasks/get the viewer role.",
    },
  },
};

/** Every agent that is not killed and has `a2a = true`, oldest first. */
export function exposedAgents(kernel: Kernel): AgentView[] {
  const all: AgentView[] = [];
  let page = kernel.agents.list({ limit: 500 });
  for (;;) {
    all.push(...page.filter((a) => a.state !== "killed" && a.manifest.a2a));
    if (page.length < 500) return all.reverse();
    page = kernel.agents.list({ limit: 500, before: page.at(-1)!.id });
  }
}

/** The agent `name` when it is offered over A2A; `not_found` saying why otherwise. */
export function exposedAgent(kernel: Kernel, name: string): AgentView {
  const agent = exposedAgents(kernel).find((a) => a.name === name);
  if (agent) return agent;
  let known = false;
  try {
    known = kernel.agents.get(name).state !== "killed";
  } catch {
    known = false;
  }
  throw new TalonError(
    "not_found",
    known
      ? `agent "${name}" is not offered over A2A; set a2a = true in its manifest to offer it`
      : `no agent named "${name}" is offered over A2A; see /.well-known/agent-card.json for those that are`,
  );
}

/** Where peers reach this Talon: `[a2a] public_url`, or the request's origin. */
export function publicBase(kernel: Kernel, requestUrl: string): string {
  return (kernel.config.a2a.public_url ?? new URL(requestUrl).origin).replace(/\/+$/, "");
}

/** The URL of an offered agent's card. */
export function agentCardUrl(base: string, name: string): string {
  return `${base}/a2a/agents/${encodeURIComponent(name)}/agent-card.json`;
}

function common(base: string, key?: A2aSigningKey) {
  return {
    provider: { organization: "Talon", url: base },
    capabilities: {
      streaming: true,
      pushNotifications: false,
      extendedAgentCard: false,
      extensions: key ? [signingExtension(key)] : [],
    },
    securitySchemes: BEARER,
    securityRequirements: [{ schemes: { bearer: { list: [] } } }],
    defaultInputModes: ["text/plain"],
    defaultOutputModes: ["text/plain"],
    signatures: [],
  };
}

function skillOf(agent: AgentView, base: string) {
  const about = agent.manifest.description.trim() || `The Talon agent "${agent.name}".`;
  return {
    id: agent.name,
    name: agent.name,
    description: `${about} Its own card: ${agentCardUrl(base, agent.name)}`,
    tags: ["talon", "agent"],
    examples: [],
  };
}

/** This Talon's public card: it declares bearer auth; its skills are the offered agents. */
export function talonCard(kernel: Kernel, base: string): A2aAgentCard {
  const agents = exposedAgents(kernel);
  return {
    name: "Talon",
    description: agents.length === 0
      ? "A Talon agent OS. It offers no agents over A2A yet."
      : `A Talon agent OS offering ${agents.length} agent${
        agents.length === 1 ? "" : "s"
      } over A2A; each skill is one agent, with its own card and JSON-RPC endpoint.`,
    version: VERSION,
    supportedInterfaces: [],
    ...common(base),
    skills: agents.map((a) => skillOf(a, base)),
  };
}

/**
 * The card of one offered agent, with its JSON-RPC endpoint and the public
 * key its replies are signed with (the extension `urn:talon:signing:ed25519`).
 */
export function agentCard(agent: AgentView, base: string, key: A2aSigningKey): A2aAgentCard {
  const url = `${base}/a2a/agents/${encodeURIComponent(agent.name)}`;
  return {
    name: agent.name,
    description: agent.manifest.description.trim() || `The Talon agent "${agent.name}".`,
    version: agent.manifest.version,
    supportedInterfaces: PROTOCOL_VERSIONS.map((protocolVersion) => ({
      url,
      protocolBinding: "JSONRPC",
      tenant: "",
      protocolVersion,
    })),
    ...common(base, key),
    skills: [skillOf(agent, base)],
  };
}
