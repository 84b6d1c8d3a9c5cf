-- Key-value storage of skill plugins (host functions kv_get / kv_set), one namespace per skill.
CREATE TABLE skill_kv (
  skill TEXT NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (skill, key)
) WITHOUT ROWID;
