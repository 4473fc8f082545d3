// asciichart ships no types; this is the part of its API rnncast uses.
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
  export function plot(series: number[] | number[][], config?: PlotConfig): string;
  export const black: string;
  export const red: string;
  export const green: string;
  export const yellow: string;
  export const blue: string;
  export const magenta: string;
  export const cyan: string;
  export const lightgray: string;
  export const darkgray: string;
  export const lightred: string;
  export const lightgreen: string;
  export const lightyellow: string;
  export const lightblue: string;
  export const lightmagenta: string;
  export const lightcyan: string;
  export const white: string;
  // `default` is a reserved word as an export name in a declaration, so it is reached by index.
  const asciichart: {
    plot: typeof plot;
    default: string;
    green: string;
    darkgray: string;
    blue: string;
    red: string;
  };
  export default asciichart;
}
