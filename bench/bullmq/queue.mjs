// BullMQ side of bench/queue-vs-bullmq.sh: N no-op jobs added (a job record each, kept on completion, so the
// completion is recorded), then drained by a worker with concurrency W; then a mixed run (adds and the worker at
// once). Prints jobs/s and Redis bytes per job.
import { Queue, Worker } from 'bullmq';
import IORedis from 'ioredis';

const n = Number(process.argv[2] ?? 20000);
const w = Number(process.argv[3] ?? 8);
const port = Number(process.argv[4] ?? 6379);
const connection = { host: '127.0.0.1', port, maxRetriesPerRequest: null };
const name = 'bench-' + Date.now();
const redis = new IORedis(connection);

async function usedMemory() {
  const info = await redis.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)[1]);
}
async function redisCpu() {
  const info = await redis.info('cpu');
  return Number(/used_cpu_sys:([\d.]+)/.exec(info)[1]) + Number(/used_cpu_user:([\d.]+)/.exec(info)[1]);
}

const queue = new Queue(name, { connection });
await queue.waitUntilReady();
const before = await usedMemory();
let t0 = process.hrtime.bigint();
// producers: W/2 concurrent adders, like the ccc run's producer threads
const producers = Math.max(2, Math.floor(w / 2));
let left = n;
await Promise.all(Array.from({ length: producers }, async () => {
  while (left-- > 0) {
    await queue.add('noop', { image: 'local/busybox:1', command: ['true'] }, { removeOnComplete: false, removeOnFail: false, attempts: 3 });
  }
}));
const submitSecs = Number(process.hrtime.bigint() - t0) / 1e9;
const queued = await usedMemory();

let done = 0;
const cpu0 = await redisCpu();
t0 = process.hrtime.bigint();
const finished = new Promise((resolve) => {
  const worker = new Worker(name, async () => {}, { connection, concurrency: w, autorun: true });
  worker.on('completed', () => {
    if (++done === n) resolve(worker);
  });
});
const worker = await finished;
const drainSecs = Number(process.hrtime.bigint() - t0) / 1e9;
const cpu = (await redisCpu()) - cpu0;

// mixed: producers and the worker at once, on a fresh queue; done when every job is completed
const mixedQueue = new Queue(name + '-mixed', { connection });
await mixedQueue.waitUntilReady();
let mixedDone = 0;
t0 = process.hrtime.bigint();
const mixedFinished = new Promise((resolve) => {
  const mw = new Worker(name + '-mixed', async () => {}, { connection, concurrency: w, autorun: true });
  mw.on('completed', () => {
    if (++mixedDone === n) resolve(mw);
  });
});
let mixedLeft = n;
await Promise.all(Array.from({ length: producers }, async () => {
  while (mixedLeft-- > 0) {
    await mixedQueue.add('noop', { image: 'local/busybox:1', command: ['true'] }, { removeOnComplete: false, removeOnFail: false, attempts: 3 });
  }
}));
const mixedWorker = await mixedFinished;
const mixedSecs = Number(process.hrtime.bigint() - t0) / 1e9;
await mixedWorker.close();
await mixedQueue.obliterate({ force: true });
await mixedQueue.close();
console.log(`N=${n} concurrency=${w} producers=${producers} bullmq=${(await import('bullmq/package.json', { with: { type: 'json' } })).default.version}`);
console.log(`submit: ${Math.round(n / submitSecs)} jobs/s (${submitSecs.toFixed(2)} s)`);
console.log(`drain:  ${Math.round(n / drainSecs)} jobs/s (${drainSecs.toFixed(2)} s)`);
console.log(`mixed:  ${Math.round(n / mixedSecs)} jobs/s (${mixedSecs.toFixed(2)} s, producers and worker together)`);
console.log(`redis memory per queued job: ${Math.round((queued - before) / n)} bytes`);
console.log(`redis cpu during drain: ${cpu.toFixed(2)} s of ${drainSecs.toFixed(2)} s wall`);
await worker.close();
await queue.obliterate({ force: true });
await queue.close();
redis.disconnect();
