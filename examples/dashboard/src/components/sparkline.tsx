/** A small inline SVG line chart; `label` describes it for screen readers. */
export function Sparkline({
  values,
  label,
  width = 120,
  height = 28,
  tone = 'brand',
}: {
  values: Array<number | null>;
  label: string;
  width?: number;
  height?: number;
  tone?: 'brand' | 'red';
}) {
  const numbers = values.map((value) => value ?? 0);
  const max = Math.max(1, ...numbers);
  const step = numbers.length > 1 ? width / (numbers.length - 1) : width;
  const points = numbers.map(
    (value, index) =>
      `${(index * step).toFixed(1)},${(height - 2 - (value / max) * (height - 4)).toFixed(1)}`,
  );
  const stroke = tone === 'red' ? '#dc2626' : '#2563eb';
  return (
    <svg
      role="img"
      aria-label={label}
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      className="overflow-visible"
    >
      <polyline
        fill="none"
        stroke={stroke}
        strokeWidth="1.5"
        strokeLinejoin="round"
        points={points.join(' ')}
      />
    </svg>
  );
}
