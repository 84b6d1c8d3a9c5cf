/**
 * A dense data table with a caption (visually hidden unless shown),
 * per-column alignment and an empty state.
 *
 * ```tsx
 * <Table caption="Agents" rows={agents} rowKey={(a) => a.id} empty={<EmptyState title="No agents" />}
 *   columns={[{ label: "Name", cell: (a) => <a href={`/agents/${a.id}`}>{a.name}</a> },
 *             { label: "State", cell: (a) => <StateBadge state={a.state} /> }]} />
 * ```
 *
 * @module
 */
import type { ComponentChildren, JSX } from "preact";

/** One column: header label and how to render a row's cell. */
export interface Column<T> {
  label: string;
  cell: (row: T) => ComponentChildren;
  /** Right-aligned, tabular figures. */
  numeric?: boolean;
}

/** Props of {@link Table}. */
export interface TableProps<T> {
  caption: string;
  /** Show the caption above the table (otherwise only screen readers get it). */
  showCaption?: boolean;
  columns: Column<T>[];
  rows: T[];
  rowKey: (row: T) => string;
  /** Rendered instead of the table when there are no rows. */
  empty?: ComponentChildren;
}

/** A table of `rows`, or `empty` when there are none. */
export function Table<T>(props: TableProps<T>): JSX.Element {
  if (props.rows.length === 0 && props.empty) return <>{props.empty}</>;
  return (
    <div class="table-wrap">
      <table class="table">
        <caption class={props.showCaption ? undefined : "visually-hidden"}>{props.caption}</caption>
        <thead>
          <tr>
            {props.columns.map((col) => (
              <th key={col.label} scope="col" class={col.numeric ? "num" : undefined}>
                {col.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row) => (
            <tr key={props.rowKey(row)}>
              {props.columns.map((col) => (
                <td key={col.label} class={col.numeric ? "num" : undefined}>{col.cell(row)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
