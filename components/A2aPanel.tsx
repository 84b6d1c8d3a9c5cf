/**
 * The A2A panel (server-rendered): this Talon's public agent card — its URL,
 * its auth and the agents it offers (those with `a2a = true`) — and the
 * configured peers (`[a2a.peers.<name>]`) with the skills their last
 * discovery found.
 *
 * ```tsx
 * <A2aPanel card={talonAgentCard(kernel, url)} cardUrl={`${origin}/.well-known/agent-card.json`}
 *   peers={kernel.a2a.list()} />
 * ```
 *
 * @module
 */
import type { JSX } from "preact";
import type { A2aAgentCard, A2aPeerView } from "../kernel/types.ts";
import { EmptyState } from "./EmptyState.tsx";
import { Table } from "./Table.tsx";

/** Props of {@link A2aPanel}. */
export interface A2aPanelProps {
  /** This Talon's public card. */
  card: A2aAgentCard;
  /** Where the card is served. */
  cardUrl: string;
  peers: A2aPeerView[];
}

function PeerStatus({ peer }: { peer: A2aPeerView }): JSX.Element {
  if (peer.error) return <span class="badge badge-bad" title={peer.error}>failed</span>;
  if (peer.card) return <span class="badge badge-ok">discovered</span>;
  return <span class="badge badge-muted">not discovered yet</span>;
}

function Skills({ skills }: { skills: { id: string; name: string }[] }): JSX.Element {
  if (skills.length === 0) return <span class="muted">none listed</span>;
  return (
    <ul class="chips">
      {skills.map((s) => <li key={s.id}>{s.name}</li>)}
    </ul>
  );
}

/** This Talon's A2A card and its peers. */
export function A2aPanel(props: A2aPanelProps): JSX.Element {
  const { card, peers } = props;
  const auth = Object.keys(card.securitySchemes ?? {}).join(", ") || "none";
  return (
    <section class="panel stack" aria-labelledby="a2a-heading">
      <h2 id="a2a-heading">A2A</h2>
      <div class="stack">
        <h3>This Talon's card</h3>
        <p class="small-print">
          <a class="mono" href={props.cardUrl}>{props.cardUrl}</a> · public · auth: {auth}
        </p>
        <Table
          caption="Agents offered over A2A"
          rows={card.skills}
          rowKey={(s) => s.id}
          empty={
            <EmptyState
              title="No agent is offered over A2A"
              message={
                <>
                  Set <code>a2a = true</code> in an agent's manifest to offer it.
                </>
              }
            />
          }
          columns={[
            {
              label: "Agent",
              cell: (s) => <a href={`/agents/${encodeURIComponent(s.id)}`}>{s.name}</a>,
            },
            { label: "Description", cell: (s) => s.description },
          ]}
        />
      </div>
      <div class="stack">
        <h3>Peers</h3>
        <Table
          caption="A2A peers"
          rows={peers}
          rowKey={(p) => p.name}
          empty={
            <EmptyState
              title="No A2A peers"
              message={
                <>
                  Add one as <code>[a2a.peers.&lt;name&gt;]</code> with its <code>url</code>{" "}
                  in the config; Talon reaches no other A2A agent.
                </>
              }
            />
          }
          columns={[
            { label: "Peer", cell: (p) => p.name },
            { label: "URL", cell: (p) => <span class="mono">{p.url}</span> },
            { label: "Status", cell: (p) => <PeerStatus peer={p} /> },
            {
              label: "Agent",
              cell: (p) => p.card ? `${p.card.name} ${p.card.version}`.trim() : "—",
            },
            { label: "Skills", cell: (p) => <Skills skills={p.card?.skills ?? []} /> },
          ]}
        />
        <p class="muted small-print">
          Discover a peer with <code>talon a2a discover &lt;url&gt;</code> or{" "}
          <code>POST /api/a2a/discover</code>.
        </p>
      </div>
    </section>
  );
}
