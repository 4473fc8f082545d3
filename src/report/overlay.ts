// Charts that must stay readable without colour (NO_COLOR, cron mail): solid lines for the main
// series and dotted ones for the rest, merged from two plots drawn on the same scale.
import asciichart from 'asciichart';

const DOTS = ['┼', '┤', '·', '·', '·', '·', '·', '·', '·', '·'];

export function overlayPlot(solidLines: number[][], dottedLines: number[][], height: number): string {
  const all = [...solidLines, ...dottedLines].flat().filter(Number.isFinite);
  const scale = { height, min: Math.min(...all), max: Math.max(...all) };
  const solid = asciichart.plot(solidLines, scale).split('\n');
  if (dottedLines.length === 0) return solid.join('\n');
  // The same min, max and height give the same grid, so the two merge cell by cell.
  const dotted = asciichart.plot(dottedLines, { ...scale, symbols: DOTS }).split('\n');
  return solid
    .map((row, index) => {
      const dots = dotted[index] ?? '';
      return Array.from(row, (char, column) => (char === ' ' && dots[column] !== undefined && dots[column] !== ' ' ? dots[column] : char)).join('');
    })
    .join('\n');
}
