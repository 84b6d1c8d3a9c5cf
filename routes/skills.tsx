/**
 * `/skills`: bundled and installed skills (version, status with the reason
 * a skill was refused, capabilities, tools) and every registered tool
 * (source, risk, capabilities, approval). Read-only: skills are installed
 * with `talon skill install` or `POST /api/skills`.
 */
import type { JSX } from "preact";
import { EmptyState } from "../components/EmptyState.tsx";
import { Layout } from "../components/Layout.tsx";
import { PageHeader } from "../components/PageHeader.tsx";
import { Table } from "../components/Table.tsx";
import type { RouteHandlers } from "../http/define.ts";
import { page } from "../http/page.tsx";
import type { SkillView, ToolView } from "../kernel/types.ts";

const RISK_TONE = { low: "ok", medium: "warn", high: "bad" } as const;

function Chips(props: { items: readonly string[] | null; none: string }): JSX.Element {
  if (props.items === null) return <span class="muted">depends on arguments</span>;
  if (props.items.length === 0) return <span class="muted">{props.none}</span>;
  return (
    <ul class="chips">
      {props.items.map((item) => (
        <li key={item}>
          <code>{item}</code>
        </li>
      ))}
    </ul>
  );
}

function SkillStatus(props: { skill: SkillView }): JSX.Element {
  const { skill } = props;
  if (skill.status === "ready") return <span class="badge badge-ok">loaded</span>;
  return (
    <div class="skill-refused">
      <span class="badge badge-bad">refused</span>
      {skill.reason && <p class="small-print">{skill.reason}</p>}
    </div>
  );
}

function SkillsTable(props: { skills: SkillView[] }): JSX.Element {
  return (
    <Table<SkillView>
      caption="Skills"
      rows={props.skills}
      rowKey={(s) => s.name}
      empty={
        <EmptyState
          title="No skills"
          message={
            <>
              Install one with <code>talon skill install ./my-skill</code>.
            </>
          }
        />
      }
      columns={[
        {
          label: "Skill",
          cell: (s) => (
            <div class="cell-main">
              <strong>{s.name}</strong> <span class="muted">{s.version} · {s.source}</span>
              <p class="small-print muted">{s.description}</p>
            </div>
          ),
        },
        { label: "Status", cell: (s) => <SkillStatus skill={s} /> },
        { label: "Capabilities", cell: (s) => <Chips items={s.capabilities} none="none" /> },
        { label: "Tools", cell: (s) => <Chips items={s.tools} none="none" /> },
      ]}
    />
  );
}

function ToolsTable(props: { tools: ToolView[] }): JSX.Element {
  return (
    <Table<ToolView>
      caption="Tools"
      rows={props.tools}
      rowKey={(t) => t.name}
      empty={<EmptyState title="No tools registered" />}
      columns={[
        {
          label: "Tool",
          cell: (t) => (
            <div class="cell-main">
              <code>{t.name}</code>
              <p class="small-print muted">{t.description}</p>
            </div>
          ),
        },
        { label: "Source", cell: (t) => t.source },
        {
          label: "Risk",
          cell: (t) => <span class={`badge badge-${RISK_TONE[t.risk]}`}>{t.risk}</span>,
        },
        { label: "Capabilities", cell: (t) => <Chips items={t.capabilities} none="none" /> },
        {
          label: "Approval",
          cell: (t) => t.needs_approval ? "required" : <span class="muted">no</span>,
        },
      ]}
    />
  );
}

export const handler: RouteHandlers = {
  GET: page("viewer", (p) => {
    const skills = p.kernel.skills.list();
    const tools = p.kernel.toolViews().sort((a, b) =>
      a.source === b.source ? a.name.localeCompare(b.name) : a.source.localeCompare(b.source)
    );
    const refused = skills.filter((s) => s.status === "refused").length;
    return (
      <Layout page={p} title="Skills and tools">
        <PageHeader
          title="Skills and tools"
          description={`${skills.length} skills (${refused} refused), ${tools.length} tools`}
        />
        <section aria-labelledby="skills-title" class="stack">
          <h2 id="skills-title">Skills</h2>
          <SkillsTable skills={skills} />
        </section>
        <section aria-labelledby="tools-title" class="stack">
          <h2 id="tools-title">Tools</h2>
          <ToolsTable tools={tools} />
        </section>
      </Layout>
    );
  }),
};
