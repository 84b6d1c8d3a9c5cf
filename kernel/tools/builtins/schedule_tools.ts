/**
 * Schedule tools, for agents holding `schedule_manage`: `schedule_create`
 * makes a schedule that messages the agent itself (every minute at most, at
 * most 10 per agent), `schedule_list` shows the schedules that message it,
 * `schedule_delete` removes one it made. They are low risk (they only ever
 * message the calling agent, inside its budget) and join the default tool
 * set of agents holding the capability.
 *
 * @module
 */
import { z } from "zod";
import { ScheduleSpec } from "../../types.ts";
import { defineTool, type Tool } from "../define.ts";
import type { AgentSchedules } from "../ports.ts";

/** Built-in tools given by default to agents holding `schedule_manage`. */
export const SCHEDULE_TOOL_NAMES: readonly string[] = [
  "schedule_create",
  "schedule_list",
  "schedule_delete",
];

/** Creates `schedule_create`, `schedule_list` and `schedule_delete` over `schedules`. */
export function scheduleTools(schedules: AgentSchedules | (() => AgentSchedules)): Tool[] {
  const book = typeof schedules === "function" ? schedules : () => schedules;
  const create = defineTool({
    name: "schedule_create",
    description:
      "Schedules a message to yourself: give exactly one of cron (5 fields, or 6 with seconds; tz is its IANA time zone), every (a duration such as 5m or 2h) or at (one ISO time), and the message you will receive. At most every minute.",
    input: ScheduleSpec,
    capabilities: ["schedule_manage"],
    risk: "low",
    handler: (args, ctx) => {
      const view = book().create({ ...args, agent: ctx.agent.id }, {
        actor: `agent:${ctx.agent.id}`,
        byAgent: ctx.agent.id,
      });
      return JSON.stringify({
        id: view.id,
        kind: view.kind,
        expr: view.expr,
        tz: view.tz,
        next_run_at: view.next_run_at,
      });
    },
  });
  const list = defineTool({
    name: "schedule_list",
    description: "Lists the schedules that message you, with their next run and last outcome.",
    input: z.strictObject({}),
    capabilities: ["schedule_manage"],
    risk: "low",
    handler: (_args, ctx) => {
      const schedules = book().list({ agent: ctx.agent.id }).map((s) => ({
        id: s.id,
        owner: s.owner,
        kind: s.kind,
        expr: s.expr,
        tz: s.tz,
        message: s.message,
        enabled: s.enabled,
        next_run_at: s.next_run_at,
        last_outcome: s.last_run?.outcome ?? null,
      }));
      return JSON.stringify({ schedules });
    },
  });
  const remove = defineTool({
    name: "schedule_delete",
    description: "Deletes one of the schedules you made (by id, from schedule_list).",
    input: z.strictObject({ id: z.string().min(1).max(100).describe("the schedule's id") }),
    capabilities: ["schedule_manage"],
    risk: "low",
    handler: ({ id }, ctx) => {
      book().remove(id, { actor: `agent:${ctx.agent.id}`, byAgent: ctx.agent.id });
      return `deleted schedule ${id}`;
    },
  });
  return [create, list, remove];
}
