import { formatValue, viewOf } from '../core/tool-output';

const MAX_ROWS = 100;

/** Default rendering of tool data: table, key/value, text or JSON — always as text. */
export function ResultView({ data }: { data: unknown }) {
  const view = viewOf(data);
  switch (view.kind) {
    case 'empty':
      return <p className="ta-muted">No data returned.</p>;
    case 'text':
      return <pre className="ta-result-text">{view.text}</pre>;
    case 'key-value':
      return (
        <dl className="ta-kv" data-view="key-value">
          {view.entries.map(([key, value]) => (
            <div key={key} className="ta-kv-row">
              <dt>{key}</dt>
              <dd>{formatValue(value)}</dd>
            </div>
          ))}
        </dl>
      );
    case 'table': {
      const rows = view.rows.slice(0, MAX_ROWS);
      return (
        <div className="ta-table-wrap" data-view="table">
          <table className="ta-table">
            {view.caption ? <caption>{`${view.caption} (${view.rows.length})`}</caption> : null}
            <thead>
              <tr>
                {view.columns.map((column) => (
                  <th key={column} scope="col">
                    {column}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row, index) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: rows have no stable id
                <tr key={index}>
                  {view.columns.map((column) => (
                    <td key={column} data-numeric={typeof row[column] === 'number' || undefined}>
                      {formatValue(row[column])}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          {view.rows.length > MAX_ROWS ? (
            <p className="ta-muted">{`Showing ${MAX_ROWS} of ${view.rows.length} rows.`}</p>
          ) : null}
        </div>
      );
    }
    case 'json':
      return (
        <pre className="ta-result-json" data-view="json">
          {JSON.stringify(view.value, null, 2)}
        </pre>
      );
  }
}
