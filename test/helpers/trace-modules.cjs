// Preloaded by tests (NODE_OPTIONS=--require) to see which heavy packages a run loaded: on exit it
// writes the names of luxon, danfojs-node and xlsx, if required, to the file named by TRACE_OUT.
process.on('exit', () => {
  const loaded = Object.keys(require.cache)
    .filter((path) => /node_modules\/(luxon|danfojs-node|xlsx)\//.test(path))
    .map((path) => path.replace(/.*node_modules\//, '').split('/')[0]);
  require('fs').writeFileSync(process.env.TRACE_OUT, [...new Set(loaded)].sort().join('\n'));
});
