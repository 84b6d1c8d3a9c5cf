/**
 * The knowledge graph (`kg_entities`, `kg_relations`): named, typed entities
 * with JSON properties and typed relations between them, scoped like facts
 * (visible to the agent that wrote them, or to every agent when shared).
 *
 * @module
 */
import type { EntityView, MemoryScope, RelationView } from "../types.ts";
import { type Database, prepared } from "./database.ts";

interface EntityRow {
  id: number;
  name: string;
  type: string;
  scope: MemoryScope;
  properties: string;
}

interface RelationRow {
  id: number;
  from_id: number;
  from_name: string;
  type: string;
  to_id: number;
  to_name: string;
  scope: MemoryScope;
  properties: string;
}

function entityOf(row: EntityRow): EntityView {
  return { ...row, properties: JSON.parse(row.properties) };
}

/** A relation with its endpoint ids. */
export type RelationEdge = RelationView & { from_id: number; to_id: number };

function relationOf(row: RelationRow): RelationEdge {
  return {
    id: row.id,
    from: row.from_name,
    from_id: row.from_id,
    type: row.type,
    to: row.to_name,
    to_id: row.to_id,
    scope: row.scope,
    properties: JSON.parse(row.properties),
  };
}

/** Adds an entity, or updates the type and merges the properties of the one with that name. */
export function upsertEntity(
  db: Database,
  entity: {
    agentId: string;
    scope: MemoryScope;
    name: string;
    type: string;
    properties: Record<string, unknown>;
    at: string;
  },
): { entity: EntityView; created: boolean } {
  const existing = prepared(
    db,
    "SELECT id FROM kg_entities WHERE agent_id = ? AND scope = ? AND name = ?",
  ).get(entity.agentId, entity.scope, entity.name) as { id: number } | undefined;
  const row = prepared(
    db,
    `INSERT INTO kg_entities (agent_id, scope, name, type, properties, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (agent_id, scope, name) DO UPDATE SET type = excluded.type,
       properties = json_patch(kg_entities.properties, excluded.properties),
       updated_at = excluded.updated_at
     RETURNING id, name, type, scope, properties`,
  ).get(
    entity.agentId,
    entity.scope,
    entity.name,
    entity.type,
    JSON.stringify(entity.properties),
    entity.at,
    entity.at,
  ) as unknown as EntityRow;
  return { entity: entityOf(row), created: existing === undefined };
}

/** The entity named `name` that `agentId` sees (its own before a shared one). */
export function findEntity(db: Database, agentId: string, name: string): EntityView | undefined {
  const row = prepared(
    db,
    `SELECT id, name, type, scope, properties FROM kg_entities
     WHERE name = ? AND (agent_id = ? OR scope = 'shared')
     ORDER BY agent_id = ? DESC, scope = 'agent' DESC LIMIT 1`,
  ).get(name, agentId, agentId) as EntityRow | undefined;
  return row ? entityOf(row) : undefined;
}

/** Adds a relation (or merges the properties of the same one). */
export function upsertRelation(
  db: Database,
  relation: {
    agentId: string;
    scope: MemoryScope;
    fromId: number;
    type: string;
    toId: number;
    properties: Record<string, unknown>;
    at: string;
  },
): number {
  const row = prepared(
    db,
    `INSERT INTO kg_relations (agent_id, scope, from_id, type, to_id, properties, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (from_id, type, to_id) DO UPDATE SET
       properties = json_patch(kg_relations.properties, excluded.properties)
     RETURNING id`,
  ).get(
    relation.agentId,
    relation.scope,
    relation.fromId,
    relation.type,
    relation.toId,
    JSON.stringify(relation.properties),
    relation.at,
  ) as { id: number };
  return row.id;
}

const RELATION_SELECT = `SELECT r.id, r.from_id, f.name AS from_name, r.type, r.to_id,
  t.name AS to_name, r.scope, r.properties
  FROM kg_relations r JOIN kg_entities f ON f.id = r.from_id JOIN kg_entities t ON t.id = r.to_id`;

/** Relations `agentId` sees that touch entity `entityId`, either way. */
export function relationsOf(db: Database, agentId: string, entityId: number): RelationEdge[] {
  return (prepared(
    db,
    `${RELATION_SELECT}
     WHERE (r.from_id = ? OR r.to_id = ?) AND (r.agent_id = ? OR r.scope = 'shared')
     ORDER BY r.id LIMIT 500`,
  ).all(entityId, entityId, agentId) as unknown as RelationRow[]).map(relationOf);
}

/** Entities `agentId` sees, newest first. */
export function visibleEntities(db: Database, agentId: string, limit: number): EntityView[] {
  return (prepared(
    db,
    `SELECT id, name, type, scope, properties FROM kg_entities
     WHERE agent_id = ? OR scope = 'shared' ORDER BY id DESC LIMIT ?`,
  ).all(agentId, limit) as unknown as EntityRow[]).map(entityOf);
}

/** Relations `agentId` sees among `entityIds`. */
export function relationsAmong(
  db: Database,
  agentId: string,
  entityIds: readonly number[],
): RelationEdge[] {
  const ids = JSON.stringify(entityIds);
  return (prepared(
    db,
    `${RELATION_SELECT}
     WHERE r.from_id IN (SELECT value FROM json_each(?)) AND r.to_id IN (SELECT value FROM json_each(?))
       AND (r.agent_id = ? OR r.scope = 'shared') ORDER BY r.id LIMIT 2000`,
  ).all(ids, ids, agentId) as unknown as RelationRow[]).map(relationOf);
}

/** Entities and relations one agent wrote. */
export function knowledgeCounts(
  db: Database,
  agentId: string,
): { entities: number; relations: number } {
  return prepared(
    db,
    `SELECT (SELECT COUNT(*) FROM kg_entities WHERE agent_id = ?) AS entities,
            (SELECT COUNT(*) FROM kg_relations WHERE agent_id = ?) AS relations`,
  ).get(agentId, agentId) as { entities: number; relations: number };
}

/** The entities among `ids` that `agentId` sees. */
export function visibleEntitiesByIds(
  db: Database,
  agentId: string,
  ids: readonly number[],
): EntityView[] {
  return (prepared(
    db,
    `SELECT id, name, type, scope, properties FROM kg_entities
     WHERE id IN (SELECT value FROM json_each(?)) AND (agent_id = ? OR scope = 'shared')`,
  ).all(JSON.stringify(ids), agentId) as unknown as EntityRow[]).map(entityOf);
}
