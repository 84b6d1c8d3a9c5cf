import assert from "node:assert/strict";
import type { Kernel } from "../../../kernel/kernel.ts";
import { talonError } from "../fixtures.ts";
import { withClockKernel } from "./schedule_fixtures.ts";

/** The one field path a refusal names. */
function fieldOf(error: unknown): string | undefined {
  const fields = Object.keys((error as { fields?: Record<string, string> }).fields ?? {});
  return fields.length === 1 ? fields[0] : fields.join(",");
}

function written(kernel: Kernel): number[] {
  return [kernel.schedules.list().length, kernel.audit.list({ limit: 500 }).entries.length];
}

Deno.test("bad schedule input is invalid_input naming the field, with nothing written", async () => {
  await withClockKernel((kernel) => {
    kernel.agents.spawn({ name: "bot" });
    const before = written(kernel);
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ agent: "bot", cron: "* * *", message: "x" }, "cron", /five, six/],
      [{ agent: "bot", cron: "0 25 * * *", message: "x" }, "cron", /hour/],
      [{ agent: "bot", cron: "0 9 * * *", tz: "Mars/Olympus", message: "x" }, "tz", /time zone/],
      [{ agent: "bot", every: "0s", message: "x" }, "every", /positive duration/],
      [{ agent: "bot", every: "fast", message: "x" }, "every", /duration/],
      [{ agent: "bot", at: "tomorrow", message: "x" }, "at", /ISO time/],
      [{ agent: "bot", at: "2025-01-01T00:00:00Z", message: "x" }, "at", /already passed/],
      [{ agent: "ghost", every: "1m", message: "x" }, "agent", /no agent "ghost"/],
      [{ agent: "bot", every: "1m", message: "" }, "message", /empty/],
      [{ agent: "bot", message: "x" }, "cron", /one of cron, every or at/],
      [{ agent: "bot", every: "1m", cron: "* * * * *", message: "x" }, "every", /only one/],
      [{ agent: "bot", every: "1m", message: "x", mode: "periodic" }, "mode", /unknown field/],
      [{ agent: "bot", every: "1m", message: "x", max_runtime: "0s" }, "max_runtime", /duration/],
    ];
    for (const [input, field, pattern] of cases) {
      assert.throws(
        () => kernel.schedules.create(input),
        (error: unknown) => {
          talonError("invalid_input", pattern)(error);
          assert.equal(fieldOf(error), field, JSON.stringify(input));
          return true;
        },
      );
    }
    const s = kernel.schedules.create({ agent: "bot", every: "1h", message: "x" });
    const after = written(kernel);
    assert.deepEqual(after, [before[0]! + 1, before[1]! + 1]);
    assert.throws(
      () => kernel.schedules.update(s.id, { tz: "Europe/Berlin" }),
      (error: unknown) => fieldOf(error) === "tz",
    );
    assert.throws(
      () => kernel.schedules.update(s.id, { cron: "nope" }),
      (error: unknown) => fieldOf(error) === "cron",
    );
    assert.throws(() => kernel.schedules.update(s.id, {}), talonError("invalid_input"));
    assert.throws(() => kernel.schedules.get("nope"), talonError("not_found"));
    assert.throws(() => kernel.schedules.preview("bad"), (e: unknown) => fieldOf(e) === "cron");
    assert.deepEqual(written(kernel), after);
    assert.equal(kernel.schedules.get(s.id).expr, "1h");
    return Promise.resolve();
  });
});

Deno.test("an agent's schedule tools act on its own schedules, every minute at most, ten at most", async () => {
  await withClockKernel(async (kernel) => {
    const agent = kernel.agents.spawn({ name: "bot", capabilities: ["schedule_manage"] });
    const other = kernel.agents.spawn({ name: "other" });
    const names = kernel.tools.definitions(agent).map((d) => d.name);
    assert.ok(
      ["schedule_create", "schedule_list", "schedule_delete"].every((n) => names.includes(n)),
    );
    assert.ok(!kernel.tools.definitions(other).some((d) => d.name.startsWith("schedule_")));
    const ctx = { agent, turnId: "t", signal: new AbortController().signal, chain: [agent.id] };
    const call = (name: string, args: Record<string, unknown>) =>
      kernel.tools.execute({ id: crypto.randomUUID(), name, args }, ctx);

    const fast = await call("schedule_create", { every: "30s", message: "x" });
    assert.equal(fast.ok, false);
    assert.match(fast.output, /every 1 minute/);
    const fastCron = await call("schedule_create", { cron: "*/10 * * * * *", message: "x" });
    assert.match(fastCron.output, /every 1 minute/);

    const made = await call("schedule_create", { every: "1m", message: "check the inbox" });
    assert.equal(made.ok, true, made.output);
    const id = JSON.parse(made.output).id as string;
    const view = kernel.schedules.get(id);
    assert.equal(view.owner, "agent");
    assert.equal(view.agent_id, agent.id);
    assert.equal(view.created_by, `agent:${agent.id}`);

    const person = kernel.schedules.create({ agent: "bot", every: "1s", message: "from a person" });
    const foreign = kernel.schedules.create({ agent: "other", every: "1h", message: "x" });
    const listed = JSON.parse((await call("schedule_list", {})).output).schedules as {
      id: string;
    }[];
    assert.deepEqual(listed.map((s) => s.id).sort(), [id, person.id].sort());

    const notMine = await call("schedule_delete", { id: foreign.id });
    assert.equal(notMine.ok, false);
    assert.match(notMine.output, /no schedule/);
    const byPerson = await call("schedule_delete", { id: person.id });
    assert.match(byPerson.output, /only schedules it made/);
    assert.equal((await call("schedule_delete", { id })).ok, true);
    assert.throws(() => kernel.schedules.get(id), talonError("not_found"));

    for (let i = 0; i < 10; i++) {
      assert.equal((await call("schedule_create", { every: "1h", message: `n${i}` })).ok, true);
    }
    const eleventh = await call("schedule_create", { every: "1h", message: "one too many" });
    assert.equal(eleventh.ok, false);
    assert.match(eleventh.output, /already has 10 schedules/);
  });
});
