-- Semantic memory (facts), apart from the key-value store `memories`: text
-- with a scope (private to the agent that wrote it, or `shared` with every
-- agent), a source, a confidence that decays when unused, access counts,
-- soft delete, an FTS5 index and an optional float32 embedding.
CREATE TABLE facts (
  id              INTEGER PRIMARY KEY,
  agent_id        TEXT NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
  scope           TEXT NOT NULL CHECK (scope IN ('agent', 'shared')),
  text            TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 10000),
  source          TEXT NOT NULL CHECK (length(source) BETWEEN 1 AND 200),
  confidence      REAL NOT NULL CHECK (confidence >= 0 AND confidence <= 1),
  -- The confidence as written; an access restores it after decay lowered `confidence`.
  stated_confidence REAL NOT NULL CHECK (stated_confidence >= 0 AND stated_confidence <= 1),
  access_count    INTEGER NOT NULL DEFAULT 0,
  created_at      TEXT NOT NULL,
  accessed_at     TEXT NOT NULL,
  deleted_at      TEXT,
  embedding       BLOB,
  embedding_dims  INTEGER,
  embedding_model TEXT,
  bytes           INTEGER NOT NULL
) STRICT;

CREATE INDEX facts_agent ON facts (agent_id, deleted_at, accessed_at);
CREATE INDEX facts_shared ON facts (scope, deleted_at) WHERE scope = 'shared';
CREATE INDEX facts_evict ON facts (agent_id, confidence, created_at);

CREATE VIRTUAL TABLE facts_fts USING fts5(
  text, content = 'facts', content_rowid = 'id', tokenize = 'porter unicode61'
);
CREATE TRIGGER facts_fts_insert AFTER INSERT ON facts BEGIN
  INSERT INTO facts_fts (rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER facts_fts_delete AFTER DELETE ON facts BEGIN
  INSERT INTO facts_fts (facts_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;

-- Sign codes of the embeddings (random-hyperplane hashes), packed many facts
-- to a row, so a vector search reads a few big rows instead of one per fact.
-- `space` is the owning agent's id for private facts and '*shared' for shared ones.
CREATE TABLE fact_code_blocks (
  id     INTEGER PRIMARY KEY,
  space  TEXT NOT NULL,
  model  TEXT NOT NULL,
  dims   INTEGER NOT NULL,
  count  INTEGER NOT NULL,
  ids    BLOB NOT NULL,
  codes  BLOB NOT NULL
) STRICT;
CREATE INDEX fact_code_blocks_space ON fact_code_blocks (space, model, id);

-- The knowledge graph: entities and relations, scoped like facts.
CREATE TABLE kg_entities (
  id         INTEGER PRIMARY KEY,
  agent_id   TEXT NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
  scope      TEXT NOT NULL CHECK (scope IN ('agent', 'shared')),
  name       TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  type       TEXT NOT NULL CHECK (length(type) BETWEEN 1 AND 64),
  properties TEXT NOT NULL CHECK (json_valid(properties)),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX kg_entities_name ON kg_entities (agent_id, scope, name);

CREATE TABLE kg_relations (
  id         INTEGER PRIMARY KEY,
  agent_id   TEXT NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
  scope      TEXT NOT NULL CHECK (scope IN ('agent', 'shared')),
  from_id    INTEGER NOT NULL REFERENCES kg_entities(id) ON DELETE CASCADE,
  type       TEXT NOT NULL CHECK (length(type) BETWEEN 1 AND 64),
  to_id      INTEGER NOT NULL REFERENCES kg_entities(id) ON DELETE CASCADE,
  properties TEXT NOT NULL CHECK (json_valid(properties)),
  created_at TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX kg_relations_edge ON kg_relations (from_id, type, to_id);
CREATE INDEX kg_relations_to ON kg_relations (to_id);

-- Running totals per agent, so the cap check on every write reads one row.
CREATE TABLE fact_totals (
  agent_id TEXT PRIMARY KEY REFERENCES agents(id) ON DELETE CASCADE,
  count    INTEGER NOT NULL,
  bytes    INTEGER NOT NULL
) STRICT;
CREATE TRIGGER fact_totals_insert AFTER INSERT ON facts BEGIN
  INSERT INTO fact_totals (agent_id, count, bytes) VALUES (new.agent_id, 1, new.bytes)
  ON CONFLICT (agent_id) DO UPDATE SET count = count + 1, bytes = bytes + new.bytes;
END;
CREATE TRIGGER fact_totals_delete AFTER DELETE ON facts BEGIN
  UPDATE fact_totals SET count = count - 1, bytes = bytes - old.bytes
  WHERE agent_id = old.agent_id;
END;
CREATE TRIGGER fact_code_blocks_agent_gone AFTER DELETE ON agents BEGIN
  DELETE FROM fact_code_blocks WHERE space = old.id;
END;
