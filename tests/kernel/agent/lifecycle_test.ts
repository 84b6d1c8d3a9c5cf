import assert from "node:assert/strict";
import { assertTransition, canTransition } from "../../../kernel/agent/lifecycle.ts";
import { TalonError } from "../../../kernel/errors.ts";
import type { AgentState } from "../../../kernel/types.ts";
import { eventsOf, lifecycleMoves, talonError, withKernel } from "../fixtures.ts";

const LEGAL: [AgentState, AgentState][] = [
  ["created", "running"],
  ["created", "killed"],
  ["running", "paused"],
  ["running", "suspended"],
  ["running", "killed"],
  ["paused", "running"],
  ["paused", "killed"],
  ["suspended", "running"],
  ["suspended", "killed"],
];

const STATES: AgentState[] = [
  "created",
  "running",
  "paused",
  "suspended",
  "killed",
];

Deno.test("canTransition() allows exactly the documented moves", () => {
  for (const from of STATES) {
    for (const to of STATES) {
      const legal = LEGAL.some(([f, t]) => f === from && t === to);
      assert.equal(canTransition(from, to), legal, `${from} -> ${to}`);
    }
  }
});

Deno.test("assertTransition() accepts legal moves silently", () => {
  for (const [from, to] of LEGAL) {
    assert.doesNotThrow(() => assertTransition("a", from, to));
  }
});

Deno.test("assertTransition() refuses illegal moves with illegal_transition", () => {
  const illegal: [AgentState, AgentState][] = [
    ["killed", "running"],
    ["killed", "killed"],
    ["paused", "paused"],
    ["created", "paused"],
    ["created", "suspended"],
    ["paused", "suspended"],
    ["suspended", "paused"],
    ["running", "created"],
  ];
  for (const [from, to] of illegal) {
    assert.throws(
      () => assertTransition("bot", from, to),
      talonError("illegal_transition", new RegExp(`"bot".*${from}.*${to}`)),
      `${from} -> ${to}`,
    );
  }
});

Deno.test("assertTransition() explains why and records both states", () => {
  try {
    assertTransition("bot", "killed", "running");
    assert.fail("should throw");
  } catch (error) {
    assert.ok(error instanceof TalonError);
    assert.match(error.message, /killed is final/);
    assert.deepEqual(error.details, { from: "killed", to: "running" });
  }
  assert.throws(
    () => assertTransition("bot", "paused", "paused"),
    talonError("illegal_transition", /already paused/),
  );
  assert.throws(
    () => assertTransition("bot", "created", "paused"),
    talonError("illegal_transition", /allowed from created: running, killed/),
  );
});

Deno.test("AgentRegistry.spawn() creates an agent that goes created -> running", async () => {
  await withKernel((kernel) => {
    const agent = kernel.agents.spawn({ name: "worker" });
    assert.equal(agent.state, "running");
    const moves = eventsOf(kernel, ["agent.lifecycle"], { agentId: agent.id })
      .map((e) => e.data);
    assert.deepEqual(moves, [
      { from: null, to: "created" },
      { from: "created", to: "running" },
    ]);
  });
});

Deno.test("AgentRegistry.pause()/resume() move running <-> paused and publish each move", async () => {
  await withKernel((kernel) => {
    const agent = kernel.agents.spawn({ name: "worker" });
    assert.equal(kernel.agents.pause("worker", { actor: "test" }).state, "paused");
    assert.equal(kernel.agents.get(agent.id).state, "paused");
    assert.equal(kernel.agents.resume(agent.id, { actor: "test" }).state, "running");
    assert.equal(kernel.agents.pause(agent.id, { actor: "test" }).state, "paused");
    assert.equal(kernel.agents.resume("worker", { actor: "test" }).state, "running");
    assert.deepEqual(lifecycleMoves(kernel, agent.id).slice(2), [
      "running->paused",
      "paused->running",
      "running->paused",
      "paused->running",
    ]);
  });
});

Deno.test("AgentRegistry refuses illegal transitions and leaves the state unchanged", async () => {
  await withKernel((kernel) => {
    const agent = kernel.agents.spawn({ name: "worker" });
    assert.throws(
      () => kernel.agents.resume(agent.id, { actor: "test" }),
      talonError("illegal_transition"),
    );
    kernel.agents.pause(agent.id, { actor: "test" });
    assert.throws(
      () => kernel.agents.pause(agent.id, { actor: "test" }),
      talonError("illegal_transition"),
    );
    assert.equal(kernel.agents.get(agent.id).state, "paused");
    kernel.agents.kill(agent.id);
    assert.throws(
      () => kernel.agents.resume(agent.id, { actor: "test" }),
      talonError("illegal_transition"),
    );
    assert.throws(
      () => kernel.agents.pause(agent.id, { actor: "test" }),
      talonError("illegal_transition"),
    );
    assert.throws(() => kernel.agents.kill(agent.id), talonError("illegal_transition"));
    assert.equal(kernel.agents.get(agent.id).state, "killed");
  });
});

Deno.test("AgentRegistry.kill() works from paused and records the reason", async () => {
  await withKernel((kernel) => {
    const agent = kernel.agents.spawn({ name: "worker" });
    kernel.agents.pause(agent.id, { actor: "test" });
    const killed = kernel.agents.kill(agent.id, { reason: "operator request" });
    assert.equal(killed.state, "killed");
    const last = eventsOf(kernel, ["agent.lifecycle"], { agentId: agent.id }).at(-1)!;
    assert.deepEqual(last.data, {
      from: "paused",
      to: "killed",
      reason: "operator request",
    });
  });
});

Deno.test("AgentRegistry.send() refuses paused and killed agents with illegal_transition", async () => {
  await withKernel((kernel) => {
    const agent = kernel.agents.spawn({ name: "worker" });
    kernel.agents.pause(agent.id, { actor: "test" });
    assert.throws(
      () => kernel.agents.send(agent.id, "hello"),
      talonError("illegal_transition", /paused.*resume it first/),
    );
    kernel.agents.kill(agent.id);
    assert.throws(
      () => kernel.agents.send(agent.id, "hello"),
      talonError("illegal_transition", /killed/),
    );
    const turns = kernel.db.prepare("SELECT COUNT(*) AS n FROM turns").get() as {
      n: number;
    };
    assert.equal(turns.n, 0, "a refused message must not be persisted");
  });
});

Deno.test("AgentRegistry transitions on an unknown agent throw not_found", async () => {
  await withKernel((kernel) => {
    assert.throws(
      () => kernel.agents.pause("ghost", { actor: "test" }),
      talonError("not_found", /ghost/),
    );
    assert.throws(() => kernel.agents.resume("ghost", { actor: "test" }), talonError("not_found"));
    assert.throws(() => kernel.agents.kill("ghost"), talonError("not_found"));
    assert.throws(() => kernel.agents.send("ghost", "hi"), talonError("not_found"));
  });
});
