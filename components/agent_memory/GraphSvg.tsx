/** A knowledge graph drawn as SVG from the layout the server computed. */
import type { JSX } from "preact";
import type { GraphView } from "../../kernel/types.ts";

/** The graph's entities as labelled circles and its relations as labelled lines. */
export function GraphSvg(props: { graph: GraphView }): JSX.Element {
  const { graph } = props;
  const at = new Map(graph.entities.map((e) => [e.name, e]));
  return (
    <figure class="graph">
      <svg
        viewBox="0 0 1000 600"
        role="img"
        aria-label={`Knowledge graph: ${graph.entities.length} entities, ${graph.relations.length} relations`}
        class="graph-svg"
      >
        {graph.relations.map((r) => {
          const a = at.get(r.from), b = at.get(r.to);
          if (!a || !b) return null;
          return (
            <g key={`r${r.id}`} class="graph-edge">
              <line x1={a.x} y1={a.y} x2={b.x} y2={b.y} stroke="currentColor" opacity="0.4" />
              <text x={(a.x + b.x) / 2} y={(a.y + b.y) / 2 - 4} font-size="12" text-anchor="middle">
                {r.type}
              </text>
            </g>
          );
        })}
        {graph.entities.map((e) => (
          <g key={`e${e.id}`} class="graph-node">
            <circle cx={e.x} cy={e.y} r="8" fill="currentColor" />
            <text x={e.x} y={e.y + 22} font-size="13" text-anchor="middle">
              {e.name} ({e.type})
            </text>
          </g>
        ))}
      </svg>
      {graph.truncated && (
        <figcaption class="muted">
          Only the newest entities are drawn.
        </figcaption>
      )}
    </figure>
  );
}
