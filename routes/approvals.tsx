/**
 * `/approvals`: the gated tool calls waiting for a person (oldest first, each
 * with exactly what will run and the time left) and the decided history
 * (newest first); live once hydrated (islands/ApprovalQueue.tsx). Viewers
 * see, operators decide. POST is the page without JavaScript (operator):
 * `action=approve|reject`, `id`, `reason` (optional, checked with the API's
 * `RejectBody`); success is 303 back to the page saying what was decided, a
 * refusal (already decided: 409) re-renders it with the message and the
 * typed reason.
 */
import type { JSX } from "preact";
import { Layout } from "../components/Layout.tsx";
import { PageHeader } from "../components/PageHeader.tsx";
import { actorOf, type RouteHandlers } from "../http/define.ts";
import { statusOf } from "../http/errors.ts";
import { ApprovalQueue } from "../http/islands.gen.ts";
import { page, type PageRequest } from "../http/page.tsx";
import { TalonError } from "../kernel/mod.ts";
import { describeIssues, issueFields, RejectBody, roleAtLeast } from "../kernel/types.ts";

const PENDING_LIMIT = 500;
const HISTORY_LIMIT = 50;

interface PageState {
  notice?: { text: string; error: boolean };
  reasons?: Record<string, string>;
}

function ApprovalsPage(props: { p: PageRequest; state: PageState }): JSX.Element {
  const { p, state } = props;
  const { approvals, bus } = p.kernel;
  const pending = approvals.list({ status: "pending", limit: PENDING_LIMIT }).reverse();
  const decided = approvals.list({ limit: HISTORY_LIMIT + pending.length })
    .filter((r) => r.status !== "pending").slice(0, HISTORY_LIMIT);
  const after = bus.recent({ limit: 1, types: ["approval"] })[0]?.id ?? 0;
  const decidedId = p.url.searchParams.get("decided");
  const done = decidedId === null ? undefined : decided.find((r) => r.id === decidedId);
  const notice = state.notice ??
    (done
      ? {
        text: `${
          done.status === "approved" ? "Approved" : "Rejected"
        } ${done.tool} for ${done.agent_name}.`,
        error: false,
      }
      : undefined);
  return (
    <Layout page={p} title="Approvals">
      <PageHeader
        title="Approvals"
        description="Tool calls that wait for a person. A request not decided in time is denied."
      />
      <ApprovalQueue
        pending={pending}
        decided={decided}
        canDecide={roleAtLeast(p.principal.role, "operator")}
        after={after}
        notice={notice}
        reasons={state.reasons}
      />
    </Layout>
  );
}

function decide(p: PageRequest, form: (name: string) => string): void {
  const id = form("id");
  const options = { actor: actorOf(p.c) };
  if (form("action") === "approve") {
    p.kernel.approvals.approve(id, options);
    return;
  }
  if (form("action") !== "reject") {
    throw new TalonError("invalid_input", `Unknown action "${form("action")}": use the buttons.`);
  }
  const reason = form("reason").trim();
  const body = RejectBody.safeParse(reason === "" ? {} : { reason });
  if (!body.success) {
    throw new TalonError("invalid_input", `Reason ${describeIssues(body.error)}`, {
      fields: issueFields(body.error),
    });
  }
  p.kernel.approvals.reject(id, { ...options, reason: body.data.reason });
}

export const handler: RouteHandlers = {
  GET: page("viewer", (p) => <ApprovalsPage p={p} state={{}} />),
  POST: page("operator", async (p) => {
    const body = await p.c.req.parseBody();
    const form = (name: string) => (typeof body[name] === "string" ? body[name] as string : "");
    try {
      decide(p, form);
    } catch (error) {
      if (!(error instanceof TalonError)) throw error;
      return p.render(
        <ApprovalsPage
          p={p}
          state={{
            notice: { text: error.message, error: true },
            reasons: { [form("id")]: form("reason") },
          }}
        />,
        { status: statusOf(error.code) },
      );
    }
    return p.redirect(`/approvals?decided=${encodeURIComponent(form("id"))}`);
  }),
};
