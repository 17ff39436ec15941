/** npm files bundled as text modules (wrangler.toml [[rules]] type "Text") and served from /assets. */
declare module 'uplot/dist/uPlot.iife.min.js' {
  const text: string;
  export default text;
}
declare module 'uplot/dist/uPlot.min.css' {
  const text: string;
  export default text;
}
