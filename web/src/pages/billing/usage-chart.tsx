// Usage per month and kind as a stacked bar chart (inline SVG sized to its box), with the same figures as a table.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { paths } from '../../api/schema';
import { money } from '../../ui/money.ts';

export type Usage =
  paths['/api/v1/billing/accounts/{account}/usage']['get']['responses'][200]['content']['application/json'];

/** Colours for kinds, each at least 3:1 against white (non-text contrast), in legend order. */
const palette = ['#0b5cad', '#b35900', '#1a7f37', '#8250df', '#bf3989', '#0a6e7d', '#6e5400', '#a40e26'];
export const colourOf = (usage: Usage, kind: string) => palette[usage.kinds.indexOf(kind) % palette.length];

const monthNames = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const monthLabel = (month: string, withYear: boolean) =>
  `${monthNames[Number(month.slice(5, 7)) - 1]}${withYear ? ` ${month.slice(0, 4)}` : ''}`;

/** A round top for the axis, at least `max`: four gridlines at round amounts (1, 1.2, 1.6, 2, 3, 4, 6, 8 x 10^n). */
function niceTop(max: number): number {
  if (max <= 0) return 100;
  const power = 10 ** Math.floor(Math.log10(max));
  return [1, 1.2, 1.6, 2, 3, 4, 6, 8, 10].map((step) => step * power).find((top) => top >= max)!;
}

/** The width of an element, followed as it changes (a phone turned, a window resized). */
function useWidth<T extends HTMLElement>(): [{ current: T | null }, number] {
  const box = useRef<T>(null);
  const [width, setWidth] = useState(0);
  useEffect(() => {
    if (!box.current) return;
    setWidth(box.current.clientWidth);
    const observer = new ResizeObserver(([entry]) => setWidth(Math.floor(entry.contentRect.width)));
    observer.observe(box.current);
    return () => observer.disconnect();
  }, []);
  return [box, width];
}

const height = 240;
const margin = { top: 12, right: 8, bottom: 40, left: 72 };

export function UsageChart(props: { usage: Usage }) {
  const { usage } = props;
  const [box, width] = useWidth<HTMLDivElement>();
  const total = usage.months.reduce((sum, month) => sum + month.total, 0);
  const summary =
    total === 0
      ? `No usage from ${usage.from} to ${usage.to}.`
      : `Usage from ${usage.from} to ${usage.to}: ${money(total, usage.currency)} in all, by kind: ${usage.kinds.join(', ')}. The table below gives every figure.`;
  return (
    <figure class="usage-chart">
      <div ref={box} class="usage-chart-box">
        {total > 0 && width > 0 && <Bars usage={usage} width={Math.max(width, 240)} summary={summary} />}
        {total === 0 && <p>{summary}</p>}
      </div>
      {usage.kinds.length > 0 && (
        <figcaption>
          <ul class="usage-legend" aria-label="Kinds">
            {usage.kinds.map((kind) => (
              <li key={kind}>
                <svg width="12" height="12" aria-hidden="true" focusable="false">
                  <rect width="12" height="12" fill={colourOf(usage, kind)} />
                </svg>
                {kind}
              </li>
            ))}
            {usage.months.some((month) => month.invoice === 'void') && <li>pale: a voided invoice</li>}
          </ul>
        </figcaption>
      )}
    </figure>
  );
}

function Bars(props: { usage: Usage; width: number; summary: string }) {
  const { usage, width, summary } = props;
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const top = niceTop(Math.max(...usage.months.map((month) => month.total)));
  const y = (amount: number) => margin.top + plotHeight - (amount / top) * plotHeight;
  const band = plotWidth / usage.months.length;
  const barWidth = Math.max(2, band * 0.7);
  // Labels need about 34 px each: on a narrow screen every second or third month is named.
  const labelEvery = Math.ceil(34 / band);
  return (
    <svg width={width} height={height} role="img" aria-labelledby="usage-chart-title">
      <title id="usage-chart-title">{summary}</title>
      {[0, 0.25, 0.5, 0.75, 1].map((fraction) => (
        <g key={fraction}>
          <line
            x1={margin.left}
            x2={width - margin.right}
            y1={y(top * fraction)}
            y2={y(top * fraction)}
            stroke="#d0d7de"
          />
          <text x={margin.left - 6} y={y(top * fraction) + 4} text-anchor="end" font-size="12" fill="#57606a">
            {money(top * fraction, usage.currency)}
          </text>
        </g>
      ))}
      {usage.months.map((month, index) => {
        const x = margin.left + index * band + (band - barWidth) / 2;
        let base = 0;
        return (
          <g key={month.month}>
            {usage.kinds.map((kind) => {
              const amount = month.kinds.find((k) => k.kind === kind)?.amount ?? 0;
              if (amount === 0) return null;
              const rect = (
                <rect
                  key={kind}
                  x={x}
                  width={barWidth}
                  y={y(base + amount)}
                  height={y(base) - y(base + amount)}
                  fill={colourOf(usage, kind)}
                  fill-opacity={month.invoice === 'void' ? 0.35 : 1}
                >
                  <title>{`${month.month}, ${kind}: ${money(amount, usage.currency)}`}</title>
                </rect>
              );
              base += amount;
              return rect;
            })}
            {(usage.months.length - 1 - index) % labelEvery === 0 && (
              <text
                x={x + barWidth / 2}
                y={height - margin.bottom + 16}
                text-anchor="middle"
                font-size="12"
                fill="#57606a"
              >
                {monthLabel(month.month, false)}
                {(index === (usage.months.length - 1) % labelEvery || month.month.endsWith('-01')) && (
                  <tspan x={x + barWidth / 2} dy="14">
                    {month.month.slice(0, 4)}
                  </tspan>
                )}
              </text>
            )}
          </g>
        );
      })}
    </svg>
  );
}

/** The chart's figures for those who read rather than look: a row per month, a column per kind. */
export function UsageTable(props: { usage: Usage }) {
  const { usage } = props;
  return (
    <div class="table-wrap" role="region" aria-label="Usage per month and kind (scrolls sideways)" tabIndex={0}>
      <table>
        <caption>
          Usage per month and kind, {usage.from} to {usage.to} ({usage.currency})
        </caption>
        <thead>
          <tr>
            <th scope="col">Month</th>
            <th scope="col">Invoice</th>
            {usage.kinds.map((kind) => (
              <th scope="col" key={kind}>
                {kind}
              </th>
            ))}
            <th scope="col">Total</th>
          </tr>
        </thead>
        <tbody>
          {usage.months.map((month) => (
            <tr key={month.month}>
              <th scope="row">{monthLabel(month.month, true)}</th>
              <td>{month.invoice ?? '-'}</td>
              {usage.kinds.map((kind) => {
                const found = month.kinds.find((k) => k.kind === kind);
                return (
                  <td key={kind} title={found?.units.map((u) => `${u.unitHours} ${u.unit}`).join(', ')}>
                    {found ? money(found.amount, usage.currency) : '-'}
                  </td>
                );
              })}
              <td>{money(month.total, usage.currency)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
