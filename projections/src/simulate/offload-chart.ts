import type { SimulationResult } from './simulate-fill';

/*
 * The chart file of a simulation: offload ratio per region and in total, one bar each, with the
 * misses by class stacked under it in plays. Plain SVG text, so it is written without a browser
 * and opens in any of them.
 */

const xmlText = (text: string) =>
  text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
const percent = (ratio: number | null) => (ratio === null ? 'n/a' : `${(ratio * 100).toFixed(1)} %`);

export const offloadChartSvg = (result: SimulationResult): string => {
  const bars = [
    ...result.byRegion.map((figures) => ({ label: figures.region ?? 'no region', figures })),
    { label: 'total', figures: result.totals },
  ];
  const barWidth = 70;
  const gap = 30;
  const plot = { left: 60, top: 50, height: 240 };
  const width = plot.left + bars.length * (barWidth + gap) + gap;
  const height = plot.top + plot.height + 70;
  const y = (ratio: number) => plot.top + plot.height * (1 - ratio);
  const title = `Offload ratio under ${result.policy}${result.capacityBytes ? `, ${result.capacityBytes.toLocaleString('en-US')} bytes per edge` : ''}`;
  const grid = [0, 0.25, 0.5, 0.75, 1].map(
    (tick) =>
      `<line x1="${plot.left}" x2="${width - gap / 2}" y1="${y(tick)}" y2="${y(tick)}" stroke="#ddd"/>` +
      `<text x="${plot.left - 8}" y="${y(tick) + 4}" text-anchor="end" font-size="11">${tick * 100}%</text>`,
  );
  const columns = bars.map(({ label, figures }, i) => {
    const x = plot.left + gap + i * (barWidth + gap);
    const ratio = figures.offloadRatio ?? 0;
    const misses = `content ${figures.missPlays.content} · health ${figures.missPlays.health} · steering ${figures.missPlays.steering}`;
    return [
      `<g><title>${xmlText(`${label}: ${percent(figures.offloadRatio)} offload; missed plays: ${misses}`)}</title>`,
      `<rect x="${x}" y="${y(ratio)}" width="${barWidth}" height="${plot.height * ratio}" fill="${label === 'total' ? '#2b6cb0' : '#63b3ed'}"/>`,
      `<text x="${x + barWidth / 2}" y="${y(ratio) - 6}" text-anchor="middle" font-size="12">${percent(figures.offloadRatio)}</text>`,
      `<text x="${x + barWidth / 2}" y="${plot.top + plot.height + 18}" text-anchor="middle" font-size="12">${xmlText(label)}</text>`,
      `<text x="${x + barWidth / 2}" y="${plot.top + plot.height + 34}" text-anchor="middle" font-size="10" fill="#555">${figures.plays} plays</text>`,
      '</g>',
    ].join('');
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${plot.left}" y="28" font-size="15" font-weight="bold">${xmlText(title)}</text>`,
    ...grid,
    ...columns,
    '</svg>',
    '',
  ].join('\n');
};
