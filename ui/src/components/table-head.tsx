/** A table's header row; `actions` adds a last column named "Actions" for screen readers only (its cells are buttons). */
export function TableHead({ columns, actions = false }: { columns: readonly string[]; actions?: boolean }) {
  return (
    <thead>
      <tr>
        {columns.map((c) => <th key={c} scope="col">{c}</th>)}
        {actions && <th scope="col"><span className="sr-only">Actions</span></th>}
      </tr>
    </thead>
  );
}
