// asciichart ships no types; this is the part of its API rnncast uses. Every chart loads it the
// same way: `import asciichart from 'asciichart'`.
declare module 'asciichart' {
  export interface PlotConfig {
    height?: number;
    min?: number;
    max?: number;
    offset?: number;
    padding?: string;
    colors?: (string | undefined)[];
    symbols?: string[];
    format?: (value: number, index: number) => string;
  }
  interface AsciiChart {
    plot(series: number[] | number[][], config?: PlotConfig): string;
    /** The terminal's own colour; `reset` ends a coloured run. */
    default: string;
    reset: string;
    black: string;
    red: string;
    green: string;
    yellow: string;
    blue: string;
    magenta: string;
    cyan: string;
    lightgray: string;
    darkgray: string;
    white: string;
  }
  const asciichart: AsciiChart;
  export default asciichart;
}
