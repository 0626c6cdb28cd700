import { setTimeout as delay } from 'node:timers/promises';
import { startLoad } from './load/run.ts';
import { startStackProcess } from './stack-process.ts';
const stack = await startStackProcess('probe');
const alive = () => { try { process.kill(stack.pid(), 0); return true; } catch { return false; } };
try {
  const run = await startLoad(stack, { shoppers: 10, vendors: 2, rate: 8, log: () => undefined });
  await delay(3000);
  await stack.kill9();
  await stack.restart();
  console.log('restarted', stack.pid(), 'pm', stack.postmasterPid());
  await delay(3000);
  const logStart = stack.log().length;
  process.kill(stack.postmasterPid()!, 'SIGKILL');
  for (let i = 0; i < 12; i++) { await delay(1000); console.log(i, 'health', await stack.health(), 'alive', alive()); }
  console.log(stack.log().slice(logStart).split('\n').filter((l) => !/ (GET|POST|HEAD|PATCH) \//.test(l)).slice(0, 80).join('\n'));
  await run.stop().catch(() => undefined);
} finally { await stack.stop(); }
