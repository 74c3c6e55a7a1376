import { loadDemo } from './src/cli/demo.js';
import { investigate } from './src/flows/engine.js';
import { renderPicture, type PictureInput } from './src/pictures/index.js';
const mb = (n: number) => Math.round(n / 1048576);
const show = (what: string) => { const m = process.memoryUsage(); console.log(what, 'rss', mb(m.rss), 'heap', mb(m.heapUsed), '/', mb(m.heapTotal), 'ext', mb(m.external), 'ab', mb(m.arrayBuffers)); };
show('start');
const { alerts, deps } = await loadDemo();
const inputs: PictureInput[] = [];
for (const a of alerts) inputs.push({ verdict: await investigate(a, deps), alertTime: a.time });
show(`demo ${inputs.length}`);
const N = Number(process.argv[2] ?? 200);
const conc = Number(process.argv[3] ?? 1);
const t = Date.now();
for (let i = 0; i < N; i += conc) {
  await Promise.all(Array.from({ length: conc }, (_, k) => renderPicture(inputs[(i + k) % inputs.length]!)));
  if (i % 50 === 0) show(`after ${i}`);
}
show(`after ${N} in ${Date.now() - t} ms`);
(globalThis as any).gc?.(); show('after gc');
