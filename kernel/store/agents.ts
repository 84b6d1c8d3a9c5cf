/**
 * The `agents` table: records with a lifecycle state, a parent and the
 * validated manifest they were spawned with.
 *
 * @module
 */
import { AgentManifest, type AgentState, type AgentView } from "../types.ts";
import { TalonError } from "../errors.ts";
import { type Database, nowIso, prepared } from "./database.ts";

interface AgentRow {
  id: string;
  name: string;
  description: string;
  state: AgentState;
  parent_id: string | null;
  provider: string;
  model: string;
  manifest: string;
  created_at: string;
  updated_at: string;
  last_active_at: string | null;
}

function toView(row: AgentRow): AgentView {
  const manifest = AgentManifest.parse(JSON.parse(row.manifest));
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    state: row.state,
    parent_id: row.parent_id,
    provider: row.provider,
    model: row.model,
    capabilities: manifest.capabilities,
    created_at: row.created_at,
    updated_at: row.updated_at,
    last_active_at: row.last_active_at,
    manifest,
  };
}

/** Fields of a new agent record. */
export interface NewAgent {
  id: string;
  manifest: AgentManifest;
  provider: string;
  model: string;
  parentId: string | null;
}

/** Inserts an agent in state `created`; a live agent with the name is `name_taken`. */
export function insertAgent(db: Database, agent: NewAgent): AgentView {
  const now = nowIso();
  try {
    prepared(
      db,
      `INSERT INTO agents (id, name, description, state, parent_id, provider, model,
                           manifest, created_at, updated_at)
       VALUES (?, ?, ?, 'created', ?, ?, ?, ?, ?, ?)`,
    ).run(
      agent.id,
      agent.manifest.name,
      agent.manifest.description,
      agent.parentId,
      agent.provider,
      agent.model,
      JSON.stringify(agent.manifest),
      now,
      now,
    );
  } catch (cause) {
    if (String((cause as Error).message).includes("UNIQUE")) {
      throw new TalonError(
        "name_taken",
        `an agent named "${agent.manifest.name}" already exists; pick another name or kill that agent first`,
        { cause, details: { name: agent.manifest.name } },
      );
    }
    throw cause;
  }
  return getAgent(db, agent.id)!;
}

/** Replaces an agent's manifest (its name unchanged), provider and model. */
export function updateAgentManifest(
  db: Database,
  id: string,
  change: { manifest: AgentManifest; provider: string; model: string },
): void {
  prepared(
    db,
    `UPDATE agents SET description = ?, provider = ?, model = ?, manifest = ?, updated_at = ?
     WHERE id = ?`,
  ).run(
    change.manifest.description,
    change.provider,
    change.model,
    JSON.stringify(change.manifest),
    nowIso(),
    id,
  );
}

/** The agent with this id, or undefined. */
export function getAgent(db: Database, id: string): AgentView | undefined {
  const row = prepared(db, "SELECT * FROM agents WHERE id = ?").get(id) as
    | AgentRow
    | undefined;
  return row ? toView(row) : undefined;
}

/**
 * Looks an agent up by id, else by name (the live one first, then the most
 * recently killed). Throws `not_found` naming the reference.
 */
export function findAgent(db: Database, ref: string): AgentView {
  const byId = getAgent(db, ref);
  if (byId) return byId;
  const row = prepared(
    db,
    `SELECT * FROM agents WHERE name = ?
     ORDER BY state = 'killed', created_at DESC LIMIT 1`,
  ).get(ref) as AgentRow | undefined;
  if (row) return toView(row);
  throw new TalonError(
    "not_found",
    `no agent with id or name "${ref}"; list agents with \`talon agent list\``,
    { details: { agent: ref } },
  );
}

/** Options for {@link listAgents}. */
export interface ListAgentsOptions {
  state?: AgentState;
  /** Text found in the name or description (case-insensitive for ASCII). */
  q?: string;
  limit?: number;
  /** An agent id: list agents created before it. */
  before?: string;
}

/** Agents, newest first, paged by `before`. */
export function listAgents(
  db: Database,
  options: ListAgentsOptions = {},
): AgentView[] {
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (options.state) {
    where.push("state = ?");
    params.push(options.state);
  }
  if (options.q) {
    where.push("(instr(lower(name), lower(?)) > 0 OR instr(lower(description), lower(?)) > 0)");
    params.push(options.q, options.q);
  }
  if (options.before) {
    where.push(
      "(created_at, id) < (SELECT created_at, id FROM agents WHERE id = ?)",
    );
    params.push(options.before);
  }
  params.push(options.limit ?? 50);
  const rows = prepared(
    db,
    `SELECT * FROM agents ${where.length ? "WHERE " + where.join(" AND ") : ""}
     ORDER BY created_at DESC, id DESC LIMIT ?`,
  ).all(...params) as unknown as AgentRow[];
  return rows.map(toView);
}

/** Ids of agents in `state`. */
export function agentIdsInState(db: Database, state: AgentState): string[] {
  return (prepared(db, "SELECT id FROM agents WHERE state = ?").all(state) as {
    id: string;
  }[]).map((r) => r.id);
}

/** Ids of every descendant of `id` (children, grandchildren, …). */
export function descendantIds(db: Database, id: string): string[] {
  const rows = prepared(
    db,
    `WITH RECURSIVE tree(id) AS (
       SELECT id FROM agents WHERE parent_id = ?
       UNION SELECT a.id FROM agents a JOIN tree t ON a.parent_id = t.id
     ) SELECT id FROM tree`,
  ).all(id) as { id: string }[];
  return rows.map((r) => r.id);
}

/** Sets an agent's state. */
export function setAgentState(
  db: Database,
  id: string,
  state: AgentState,
): void {
  prepared(db, "UPDATE agents SET state = ?, updated_at = ? WHERE id = ?").run(
    state,
    nowIso(),
    id,
  );
}

/** Records activity (a turn started or ended). */
export function touchAgent(db: Database, id: string): void {
  prepared(db, "UPDATE agents SET last_active_at = ? WHERE id = ?").run(
    nowIso(),
    id,
  );
}

/** Deletes every killed agent with its turns and messages; returns the count. */
export function deleteKilledAgents(db: Database): number {
  const row = prepared(db, "SELECT COUNT(*) AS n FROM agents WHERE state = 'killed'")
    .get() as { n: number };
  prepared(db, "DELETE FROM agents WHERE state = 'killed'").run();
  return row.n;
}

/** Counts agents by state. */
export function countAgentsByState(db: Database): Record<AgentState, number> {
  const counts: Record<AgentState, number> = {
    created: 0,
    running: 0,
    paused: 0,
    suspended: 0,
    killed: 0,
  };
  const rows = prepared(db, "SELECT state, COUNT(*) AS n FROM agents GROUP BY state")
    .all() as { state: AgentState; n: number }[];
  for (const row of rows) counts[row.state] = row.n;
  return counts;
}
