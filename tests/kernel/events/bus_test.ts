import assert from "node:assert/strict";
import { MIGRATIONS } from "../../../migrations/mod.ts";
import { EventBus, type Subscription } from "../../../kernel/events/bus.ts";
import { openDatabase } from "../../../kernel/store/database.ts";
import { migrate } from "../../../kernel/store/migrations.ts";
import type { GapEvent, TalonEvent } from "../../../kernel/types.ts";

function withBus(fn: (bus: EventBus) => Promise<void> | void, bufferSize = 64) {
  return async () => {
    const db = openDatabase(":memory:");
    migrate(db, MIGRATIONS);
    const bus = new EventBus(db, { bufferSize });
    try {
      await fn(bus);
    } finally {
      bus.close();
      db.close();
    }
  };
}

/** Publishes `n` token events numbered from `start`. */
function publishTokens(bus: EventBus, n: number, start = 1): TalonEvent[] {
  const out: TalonEvent[] = [];
  for (let i = start; i < start + n; i++) {
    out.push(bus.publish("token", { text: `t${i}` }, { agentId: "a", turnId: "t" }));
  }
  return out;
}

/** Takes exactly `n` items that are already available (never waits forever). */
async function take(sub: Subscription, n: number): Promise<(TalonEvent | GapEvent)[]> {
  const out: (TalonEvent | GapEvent)[] = [];
  for (let i = 0; i < n; i++) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const next = await Promise.race([
      sub.next(),
      new Promise<"timeout">((resolve) => {
        timer = setTimeout(() => resolve("timeout"), 10_000);
      }),
    ]);
    clearTimeout(timer);
    if (next === "timeout") assert.fail(`only ${i} of ${n} items arrived`);
    if (next.done) assert.fail(`subscription ended after ${i} of ${n} items`);
    out.push(next.value);
  }
  return out;
}

function ids(items: (TalonEvent | GapEvent)[]): number[] {
  return items.map((e) => ("id" in e ? e.id : -1));
}

Deno.test(
  "EventBus.publish() persists each event with increasing ids",
  withBus((bus) => {
    const a = bus.publish("kernel.started", { version: "1", agents: 0 });
    const b = bus.publish("token", { text: "hi" }, { agentId: "ag", turnId: "tu" });
    assert.ok(b.id > a.id);
    assert.equal(a.agent_id, null);
    assert.equal(b.agent_id, "ag");
    assert.equal(b.turn_id, "tu");
    assert.ok(!Number.isNaN(Date.parse(b.ts)));
    const stored = bus.replay(0, { limit: 10 });
    assert.deepEqual(stored, [a, b]);
    assert.deepEqual(bus.replay(a.id, { limit: 10 }), [b]);
  }),
);

Deno.test(
  "EventBus.subscribe() delivers only events matching agentId, turnId and types",
  withBus(async (bus) => {
    const byAgent = bus.subscribe({ agentId: "a1" });
    const byTurn = bus.subscribe({ turnId: "t2" });
    const byType = bus.subscribe({ types: ["message", "done"] });
    const all = bus.subscribe();
    const e1 = bus.publish("token", { text: "x" }, { agentId: "a1", turnId: "t1" });
    const e2 = bus.publish("message", { role: "user", text: "y" }, { agentId: "a2", turnId: "t2" });
    const e3 = bus.publish("token", { text: "z" }, { agentId: "a1", turnId: "t2" });
    const e4 = bus.publish("kernel.stopping", { reason: "r" });
    assert.deepEqual(ids(await take(byAgent, 2)), [e1.id, e3.id]);
    assert.deepEqual(ids(await take(byTurn, 2)), [e2.id, e3.id]);
    assert.deepEqual(ids(await take(byType, 1)), [e2.id]);
    assert.deepEqual(ids(await take(all, 4)), [e1.id, e2.id, e3.id, e4.id]);
    for (const sub of [byAgent, byTurn, byType, all]) assert.equal(sub.buffered, 0);
  }),
);

Deno.test(
  "EventBus.subscribe({ afterId }) replays the log, then continues live",
  withBus(async (bus) => {
    const old = publishTokens(bus, 5);
    bus.publish("message", { role: "user", text: "other agent" }, { agentId: "b" });
    const sub = bus.subscribe({ afterId: old[1]!.id, agentId: "a" });
    const live = publishTokens(bus, 2, 6);
    const got = await take(sub, 5);
    assert.deepEqual(ids(got), [old[2]!.id, old[3]!.id, old[4]!.id, live[0]!.id, live[1]!.id]);
    const fromZero = bus.subscribe({ afterId: 0, types: ["message"] });
    assert.equal((await take(fromZero, 1))[0]!.type, "message");
  }),
);

Deno.test(
  "a subscriber that falls behind gets its buffer, then one gap, then later events",
  withBus(async (bus) => {
    const sub = bus.subscribe({ bufferSize: 16 });
    const published = publishTokens(bus, 100);
    assert.equal(sub.buffered, 16);
    const first = await take(sub, 17);
    assert.deepEqual(ids(first.slice(0, 16)), published.slice(0, 16).map((e) => e.id));
    assert.deepEqual(first[16], {
      type: "gap",
      from_id: published[16]!.id,
      to_id: published[99]!.id,
    });
    const later = publishTokens(bus, 3, 101);
    assert.deepEqual(ids(await take(sub, 3)), later.map((e) => e.id));
  }),
);

Deno.test(
  "a subscriber with onGap replay receives every event in order and no gap",
  withBus(async (bus) => {
    const sub = bus.subscribe({ bufferSize: 16, onGap: "replay" });
    const published = publishTokens(bus, 100);
    assert.ok(sub.buffered <= 16, "the live buffer stays bounded");
    const got = await take(sub, 100);
    assert.ok(got.every((e) => e.type !== "gap"));
    assert.deepEqual(ids(got), published.map((e) => e.id));
    const later = publishTokens(bus, 2, 101);
    assert.deepEqual(ids(await take(sub, 2)), later.map((e) => e.id));
  }),
);

Deno.test(
  "EventBus.publish() never blocks on a subscriber that does not read",
  withBus((bus) => {
    const stuck = bus.subscribe({ bufferSize: 16 });
    const replaying = bus.subscribe({ bufferSize: 16, onGap: "replay" });
    let last: TalonEvent | undefined;
    for (let i = 0; i < 5000; i++) {
      last = bus.publish("token", { text: "x" });
      assert.ok(!(last instanceof Promise));
    }
    assert.equal(last!.id, 5000);
    assert.equal(stuck.buffered, 16);
    assert.equal(replaying.buffered, 16);
  }),
);

Deno.test(
  "Subscription.close() ends iteration and resolves a pending next()",
  withBus(async (bus) => {
    const sub = bus.subscribe();
    assert.equal(bus.subscriberCount, 1);
    const pending = sub.next();
    sub.close();
    assert.deepEqual(await pending, { value: undefined, done: true });
    assert.deepEqual(await sub.next(), { value: undefined, done: true });
    assert.equal(bus.subscriberCount, 0);
    bus.publish("token", { text: "after close" });
    assert.equal(sub.buffered, 0);
  }),
);

Deno.test(
  "breaking out of for-await unsubscribes",
  withBus(async (bus) => {
    publishTokens(bus, 3);
    const sub = bus.subscribe({ afterId: 0 });
    let seen = 0;
    for await (const _ of sub) {
      if (++seen === 2) break;
    }
    assert.equal(seen, 2);
    assert.equal(bus.subscriberCount, 0);
  }),
);

Deno.test(
  "Subscription.close() ends iteration even with a gap or backlog pending",
  withBus(async (bus) => {
    const gapped = bus.subscribe({ bufferSize: 16 });
    const replaying = bus.subscribe({ bufferSize: 16, onGap: "replay" });
    publishTokens(bus, 40);
    const late = bus.subscribe({ afterId: 0 });
    const leftovers: string[] = [];
    for (
      const [name, sub] of [["gap", gapped], ["replay", replaying], ["afterId", late]] as const
    ) {
      sub.close();
      const next = await sub.next();
      if (!next.done) leftovers.push(`${name}: ${JSON.stringify(next.value).slice(0, 60)}`);
    }
    assert.deepEqual(leftovers, [], "next() after close() must be done");
  }),
);

Deno.test(
  "EventBus.close() ends every subscription and refuses further publishing",
  withBus(async (bus) => {
    const a = bus.subscribe();
    const b = bus.subscribe({ agentId: "x" });
    const pending = a.next();
    bus.close();
    assert.equal((await pending).done, true);
    assert.equal((await b.next()).done, true);
    assert.throws(() => bus.publish("token", { text: "x" }), RangeError);
    const c = bus.subscribe();
    assert.equal((await c.next()).done, true, "subscribing to a closed bus ends at once");
  }),
);

Deno.test(
  "recent() returns the newest persisted events of the asked types, newest first",
  withBus((bus) => {
    publishTokens(bus, 3);
    const error = bus.publish("error", { code: "x", message: "m" });
    publishTokens(bus, 3, 4);
    const stopping = bus.publish("kernel.stopping", { reason: "r" });
    assert.deepEqual(
      bus.recent({ limit: 10, types: ["error", "kernel.stopping"] }).map((e) => e.id),
      [stopping.id, error.id],
    );
    assert.deepEqual(bus.recent({ limit: 2 }).map((e) => e.type), ["kernel.stopping", "token"]);
    assert.deepEqual(bus.recent({ limit: 5, types: ["usage"] }), []);
  }),
);

Deno.test(
  "tap() observes published events of its types synchronously, survives a throwing observer, and is no subscriber",
  withBus((bus) => {
    const seen: string[] = [];
    bus.tap(["error"], () => {
      throw new Error("observer failure");
    });
    const untap = bus.tap(["message", "error"], (e) => seen.push(e.type));
    bus.publish("message", { role: "user", text: "hi" });
    assert.deepEqual(seen, ["message"], "called before publish() returns");
    bus.publish("token", { text: "x" });
    bus.publish("error", { code: "x", message: "y" });
    assert.deepEqual(seen, ["message", "error"]);
    assert.equal(bus.subscriberCount, 0);
    untap();
    bus.publish("message", { role: "user", text: "again" });
    assert.equal(seen.length, 2);
  }),
);
