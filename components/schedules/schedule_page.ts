/**
 * Server-side helpers of the Schedules pages: the form's preview as the
 * kernel computes it (so a page rendered without JavaScript shows it too),
 * and the agents a schedule may target.
 *
 * @module
 */
import {
  type PreviewState,
  type ScheduleFormValues,
  scheduleRefusalErrors,
} from "../../islands/lib/schedule_form.ts";
import { type Kernel, TalonError } from "../../kernel/mod.ts";

/** The next five fire times of a cron form's timing, or the refusal on its fields. */
export function previewOf(kernel: Kernel, values: ScheduleFormValues): PreviewState | undefined {
  if (values.kind !== "cron" || values.expr.trim() === "") return undefined;
  try {
    const { times } = kernel.schedules.preview(values.expr.trim(), values.tz.trim() || "UTC");
    return { times, errors: {} };
  } catch (error) {
    if (!(error instanceof TalonError)) throw error;
    return { times: [], errors: scheduleRefusalErrors(error).errors };
  }
}

/** Names of the agents that can be scheduled (not killed), by name. */
export function schedulableAgents(kernel: Kernel): string[] {
  return kernel.agents.list({ limit: 500 })
    .filter((agent) => agent.state !== "killed")
    .map((agent) => agent.name)
    .sort();
}
