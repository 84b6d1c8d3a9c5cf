/**
 * Agent identity wired into the kernel (issue 18, item 7): the key sealer
 * and identity service, the signed-manifest gate the agent registry calls,
 * key pairs made at spawn, signature checks when a turn starts, and the agent
 * directory the agent tools see, which signs every inter-agent message as
 * its sender's before it is queued.
 *
 * @module
 */
import { compareVersions } from "./agent/mod.ts";
import type { AgentRegistry } from "./agent/mod.ts";
import type { EnvReader } from "./config.ts";
import { DATA_FILES, dataPath } from "./data_dir.ts";
import type { Logger } from "./log.ts";
import { AgentIdentity, type AuditChain, KeySealer, ManifestGate } from "./security/mod.ts";
import * as store from "./store/mod.ts";
import type { AgentDirectory } from "./tools/mod.ts";
import type { TalonConfig } from "./types.ts";

/** The identity parts the kernel holds. */
export interface IdentityParts {
  identity: AgentIdentity;
  manifests: ManifestGate;
  /** Registry hook: makes the new agent's key pair in the background. */
  onSpawned: (agentId: string) => void;
  /** Turn-runner hook: verifies an inter-agent message before its turn runs. */
  receive: (agentId: string, turnId: string) => Promise<void>;
}

/** Builds the identity service and the manifest gate; nothing is read until first use. */
export function identityParts(options: {
  db: store.Database;
  audit: AuditChain;
  config: TalonConfig;
  dataDir: string;
  env: EnvReader;
  log: Logger;
}): IdentityParts {
  const { db, audit, config, log } = options;
  const sealer = new KeySealer({
    keyFile: dataPath(options.dataDir, DATA_FILES.identityKey),
    keyEnv: config.security.key_env,
    env: options.env,
  });
  const identity = new AgentIdentity({ db, audit, sealer });
  const manifests = new ManifestGate({ db, audit, config: config.security, compareVersions });
  return {
    identity,
    manifests,
    onSpawned: (agentId) => {
      identity.ensureKey(agentId).catch((error) =>
        log.warn("could not make the agent's key pair; it is made on first use", {
          agent_id: agentId,
          error,
        })
      );
    },
    receive: (agentId, turnId) => identity.receive(agentId, turnId),
  };
}

/**
 * The agent directory of the agent tools: `send` signs the message with the
 * sending agent's key (the last of the call chain) over its turn id, and
 * stores the signature in the transaction that queues it.
 */
export function signingDirectory(
  agents: AgentRegistry,
  options: { identity: AgentIdentity; db: store.Database },
): AgentDirectory {
  const { identity, db } = options;
  return {
    list: (options) => agents.list(options),
    get: (ref) => agents.get(ref),
    spawn: (input, options) => agents.spawn(input, options),
    kill: (ref, options) => agents.kill(ref, options),
    send: async (ref, text, options) => {
      const sender = options.chain.at(-1);
      if (sender === undefined) return agents.send(ref, text, options);
      const target = agents.get(ref);
      const turnId = crypto.randomUUID();
      const row = await identity.signMessage({
        from: sender,
        to: target.id,
        turn_id: turnId,
        text,
      });
      return agents.send(target.id, text, {
        chain: options.chain,
        turnId,
        withTurn: () => store.insertAgentMessage(db, row),
      });
    },
  };
}
