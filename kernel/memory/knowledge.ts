/**
 * The knowledge graph service: add entities, relate them, and query
 * neighbours and paths up to a depth, all scoped like facts; and the graph
 * laid out for the dashboard's SVG (a deterministic force layout on the server).
 *
 * @module
 */
import type { Clock } from "../clock.ts";
import { TalonError } from "../errors.ts";
import * as store from "../store/mod.ts";
import {
  EntityBody,
  type EntityView,
  type GraphView,
  RelationBody,
  type RelationView,
} from "../types.ts";
import { z } from "zod";
import { parseInput } from "./service.ts";

/** Query of `knowledge_query`. */
export const KnowledgeQuery = z.strictObject({
  entity: z.string().trim().min(1, "must not be empty").max(200),
  depth: z.number().int().min(1).max(4).default(1),
  /** When given, the paths from `entity` to this one (up to `depth` hops) instead of neighbours. */
  to: z.string().trim().min(1, "must not be empty").max(200).optional(),
});

/** What a graph query found. */
export interface KnowledgeResult {
  entity: EntityView;
  /** Entities within `depth` hops with their distance (neighbour queries). */
  neighbours?: (EntityView & { distance: number })[];
  relations?: RelationView[];
  /** Paths as alternating entity names and relation types (path queries). */
  paths?: string[][];
}

const MAX_VISITED = 500;
const MAX_PATHS = 10;

/** Knowledge graph operations over the store. */
export class KnowledgeGraph {
  readonly #db: store.Database;
  readonly #clock: Clock;

  constructor(deps: { db: store.Database; clock: Clock }) {
    this.#db = deps.db;
    this.#clock = deps.clock;
  }

  #now(): string {
    return new Date(this.#clock.now()).toISOString();
  }

  /** Adds an entity (or updates the one with that name and scope). */
  add(agentId: string, body: unknown): { entity: EntityView; created: boolean } {
    const input = parseInput(EntityBody, body, "entity");
    return store.upsertEntity(this.#db, { agentId, ...input, at: this.#now() });
  }

  #find(agentId: string, name: string, field: string): EntityView {
    const entity = store.findEntity(this.#db, agentId, name);
    if (!entity) {
      throw new TalonError(
        "not_found",
        `no entity named "${name}" in this agent's knowledge graph; add it with knowledge_add first`,
        { fields: { [field]: "no such entity" } },
      );
    }
    return entity;
  }

  /** Relates two existing entities (by name); a shared relation needs shared endpoints. */
  relate(agentId: string, body: unknown): RelationView {
    const input = parseInput(RelationBody, body, "relation");
    const from = this.#find(agentId, input.from, "from");
    const to = this.#find(agentId, input.to, "to");
    if (input.scope === "shared" && (from.scope !== "shared" || to.scope !== "shared")) {
      throw new TalonError(
        "invalid_input",
        "a shared relation must join shared entities; add both with scope shared, or relate them privately",
        { fields: { scope: "both entities must be shared" } },
      );
    }
    const id = store.upsertRelation(this.#db, {
      agentId,
      scope: input.scope,
      fromId: from.id,
      type: input.type,
      toId: to.id,
      properties: input.properties,
      at: this.#now(),
    });
    return store.relationsOf(this.#db, agentId, from.id).find((r) => r.id === id)!;
  }

  /** Neighbours within `depth` hops, or with `to` the paths between two entities. */
  query(agentId: string, body: unknown): KnowledgeResult {
    const q = parseInput(KnowledgeQuery, body, "query");
    const start = this.#find(agentId, q.entity, "entity");
    const goal = q.to === undefined ? undefined : this.#find(agentId, q.to, "to");
    const names = new Map<number, EntityView>([[start.id, start]]);
    const distance = new Map<number, number>([[start.id, 0]]);
    const edges = new Map<number, store.RelationEdge>();
    let frontier = [start.id];
    for (let d = 1; d <= q.depth && frontier.length && distance.size < MAX_VISITED; d++) {
      const next: number[] = [];
      for (const id of frontier) {
        for (const r of store.relationsOf(this.#db, agentId, id)) {
          edges.set(r.id, r);
          const other = r.from_id === id ? r.to_id : r.from_id;
          if (!distance.has(other) && distance.size < MAX_VISITED) {
            distance.set(other, d);
            next.push(other);
          }
        }
      }
      frontier = next;
    }
    const reached = store.visibleEntitiesByIds(this.#db, agentId, [...distance.keys()]);
    for (const e of reached) names.set(e.id, e);
    const strip = ({ from_id: _f, to_id: _t, ...r }: store.RelationEdge): RelationView => r;
    if (goal === undefined) {
      return {
        entity: start,
        neighbours: reached.filter((e) => e.id !== start.id)
          .map((e) => ({ ...e, distance: distance.get(e.id)! }))
          .sort((a, b) => a.distance - b.distance || a.name.localeCompare(b.name)),
        relations: [...edges.values()].map(strip),
      };
    }
    return {
      entity: start,
      paths: this.#paths(start.id, goal.id, [...edges.values()], q.depth, names),
    };
  }

  /** Simple paths from `from` to `to` of at most `depth` hops, shortest first. */
  #paths(
    from: number,
    to: number,
    edges: store.RelationEdge[],
    depth: number,
    names: Map<number, EntityView>,
  ): string[][] {
    const adjacent = new Map<number, store.RelationEdge[]>();
    for (const e of edges) {
      for (const end of [e.from_id, e.to_id]) adjacent.set(end, [...adjacent.get(end) ?? [], e]);
    }
    const found: string[][] = [];
    const walk = (at: number, seen: Set<number>, path: string[]) => {
      if (found.length >= MAX_PATHS * 4) return;
      if (at === to) {
        found.push(path);
        return;
      }
      if (seen.size > depth) return;
      for (const e of adjacent.get(at) ?? []) {
        const other = e.from_id === at ? e.to_id : e.from_id;
        if (seen.has(other)) continue;
        const arrow = e.from_id === at ? `-${e.type}->` : `<-${e.type}-`;
        walk(other, new Set([...seen, other]), [...path, arrow, names.get(other)?.name ?? "?"]);
      }
    };
    walk(from, new Set([from]), [names.get(from)!.name]);
    return found.sort((a, b) => a.length - b.length).slice(0, MAX_PATHS);
  }

  /** The newest `limit` entities the agent sees and their relations, laid out in a 1000×600 box. */
  graph(agentId: string, limit = 60): GraphView {
    const entities = store.visibleEntities(this.#db, agentId, limit + 1);
    const truncated = entities.length > limit;
    const shown = entities.slice(0, limit).reverse();
    const relations = store.relationsAmong(this.#db, agentId, shown.map((e) => e.id));
    const at = layout(shown.map((e) => e.id), relations);
    return {
      entities: shown.map((e) => ({ ...e, ...at.get(e.id)! })),
      relations: relations.map(({ from_id: _f, to_id: _t, ...r }) => r),
      truncated,
    };
  }
}

/**
 * A deterministic force layout: nodes start on a circle, repel each other,
 * edges pull their ends together; coordinates end inside 1000×600 with a margin.
 */
export function layout(
  ids: number[],
  edges: { from_id: number; to_id: number }[],
): Map<number, { x: number; y: number }> {
  const n = ids.length;
  const index = new Map(ids.map((id, i) => [id, i]));
  const x = ids.map((_, i) => Math.cos((2 * Math.PI * i) / Math.max(n, 1)) * 300);
  const y = ids.map((_, i) => Math.sin((2 * Math.PI * i) / Math.max(n, 1)) * 200);
  const links = edges.flatMap((e) => {
    const a = index.get(e.from_id), b = index.get(e.to_id);
    return a === undefined || b === undefined || a === b ? [] : [[a, b] as const];
  });
  for (let step = 0; step < 150; step++) {
    const dx = new Array<number>(n).fill(0), dy = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const ex = x[i]! - x[j]!, ey = y[i]! - y[j]!;
        const d2 = Math.max(ex * ex + ey * ey, 1);
        const f = 20_000 / d2;
        dx[i]! += ex * f / Math.sqrt(d2);
        dy[i]! += ey * f / Math.sqrt(d2);
        dx[j]! -= ex * f / Math.sqrt(d2);
        dy[j]! -= ey * f / Math.sqrt(d2);
      }
    }
    for (const [a, b] of links) {
      const ex = x[b]! - x[a]!, ey = y[b]! - y[a]!;
      dx[a]! += ex * 0.05;
      dy[a]! += ey * 0.05;
      dx[b]! -= ex * 0.05;
      dy[b]! -= ey * 0.05;
    }
    const cool = 1 - step / 150;
    for (let i = 0; i < n; i++) {
      x[i]! += Math.max(-30, Math.min(30, dx[i]! - x[i]! * 0.01)) * cool;
      y[i]! += Math.max(-30, Math.min(30, dy[i]! - y[i]! * 0.01)) * cool;
    }
  }
  const fit = (v: number[], size: number) => {
    const lo = Math.min(...v), hi = Math.max(...v);
    return v.map((c) => hi - lo < 1 ? size / 2 : 60 + ((c - lo) / (hi - lo)) * (size - 120));
  };
  const fx = fit(x, 1000), fy = fit(y, 600);
  return new Map(ids.map((id, i) => [id, { x: Math.round(fx[i]!), y: Math.round(fy[i]!) }]));
}
