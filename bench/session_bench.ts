/**
 * What the per-turn store work costs as a session grows: the prompt-history
 * read and a turn's start, at 1,000 and 10,000 stored turns of one agent.
 * Neither should grow with history. Run with `deno task bench`.
 */
import { MIGRATIONS } from "../migrations/mod.ts";
import * as store from "../kernel/store/mod.ts";
import { AgentManifest } from "../kernel/types.ts";

function sessionOf(turns: number): { db: store.Database; agentId: string } {
  const db = store.openDatabase(":memory:");
  store.migrate(db, MIGRATIONS);
  const agentId = crypto.randomUUID();
  store.insertAgent(db, {
    id: agentId,
    manifest: AgentManifest.parse({ name: "bench", provider: "offline", model: "echo" }),
    provider: "offline",
    model: "echo",
    parentId: null,
  });
  store.transaction(db, () => {
    for (let i = 0; i < turns; i++) {
      const id = crypto.randomUUID();
      store.insertTurn(db, { id, agentId, input: `message ${i}` });
      store.startTurn(db, id);
      store.appendMessage(db, {
        agentId,
        turnId: id,
        role: "assistant",
        content: { text: `reply ${i}` },
      });
    }
  });
  return { db, agentId };
}

for (const turns of [1_000, 10_000]) {
  const { db, agentId } = sessionOf(turns);
  Deno.bench(`prompt history (200 messages) of a ${turns}-turn session`, {
    group: "history",
    baseline: turns === 1_000,
  }, () => {
    store.sessionMessages(db, agentId, { limit: 200, promptOnly: true });
  });
  Deno.bench(`queue + start a turn in a ${turns}-turn session`, {
    group: "turn",
    baseline: turns === 1_000,
  }, () => {
    const id = crypto.randomUUID();
    store.transaction(db, () => {
      store.insertTurn(db, { id, agentId, input: "another" });
      store.startTurn(db, id);
    });
  });
}
