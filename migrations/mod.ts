/**
 * Migrations embedded in the binary, in order. A test checks that every
 * `NNNN_*.sql` file in this folder is listed here.
 *
 * @module
 */
import m0001 from "./0001_init.sql" with { type: "text" };
import m0002 from "./0002_metering_audit.sql" with { type: "text" };
import m0003 from "./0003_memory.sql" with { type: "text" };
import m0004 from "./0004_web_sessions.sql" with { type: "text" };
import m0005 from "./0005_skill_kv.sql" with { type: "text" };
import m0006 from "./0006_schedules.sql" with { type: "text" };
import m0007 from "./0007_approvals.sql" with { type: "text" };
import m0008 from "./0008_perf.sql" with { type: "text" };
import m0009 from "./0009_hands.sql" with { type: "text" };
import m0010 from "./0010_sessions.sql" with { type: "text" };
import m0011 from "./0011_facts.sql" with { type: "text" };
import m0012 from "./0012_mcp.sql" with { type: "text" };
import m0013 from "./0013_turn_path.sql" with { type: "text" };
import m0014 from "./0014_token_runs.sql" with { type: "text" };
import m0015 from "./0015_identity.sql" with { type: "text" };
import m0016 from "./0016_taint.sql" with { type: "text" };
import m0017 from "./0017_a2a_tasks.sql" with { type: "text" };

/** One schema migration. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Every migration this binary knows, by ascending version. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: "0001_init", sql: m0001 },
  { version: 2, name: "0002_metering_audit", sql: m0002 },
  { version: 3, name: "0003_memory", sql: m0003 },
  { version: 4, name: "0004_web_sessions", sql: m0004 },
  { version: 5, name: "0005_skill_kv", sql: m0005 },
  { version: 6, name: "0006_schedules", sql: m0006 },
  { version: 7, name: "0007_approvals", sql: m0007 },
  { version: 8, name: "0008_perf", sql: m0008 },
  { version: 9, name: "0009_hands", sql: m0009 },
  { version: 10, name: "0010_sessions", sql: m0010 },
  { version: 11, name: "0011_facts", sql: m0011 },
  { version: 12, name: "0012_mcp", sql: m0012 },
  { version: 13, name: "0013_turn_path", sql: m0013 },
  { version: 14, name: "0014_token_runs", sql: m0014 },
  { version: 15, name: "0015_identity", sql: m0015 },
  { version: 16, name: "0016_taint", sql: m0016 },
  { version: 17, name: "0017_a2a_tasks", sql: m0017 },
];
