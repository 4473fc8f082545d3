// Preloaded by tests (NODE_OPTIONS=--import) to see which heavy packages a run loaded: luxon,
// danfojs-node, xlsx and apache-arrow, whether imported (a resolve hook sees them) or required
// (the require cache holds them at exit). Their names go to the file named by TRACE_OUT.
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';

const PACKAGE = /node_modules\/(luxon|danfojs-node|xlsx|apache-arrow)\//;
register(`data:text/javascript,${encodeURIComponent(`
import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  const match = ${PACKAGE}.exec(result.url);
  if (match && process.env.TRACE_OUT) appendFileSync(process.env.TRACE_OUT, match[1] + '\\n');
  return result;
}`)}`);
process.on('exit', () => {
  const names = Object.keys(createRequire(import.meta.url).cache).map((path) => PACKAGE.exec(path)?.[1]).filter(Boolean);
  appendFileSync(process.env.TRACE_OUT, names.map((name) => `${name}\n`).join(''));
});
