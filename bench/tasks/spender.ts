import { request } from 'undici';
import { EMULATOR_TOKEN } from '../process.js';
import type { Task } from './index.js';

/**
 * Another client on the same account: a plain loop that spends `perMinute` calls of every
 * (emulated) minute on cheap listings, without pacing itself or retrying. Stops after `ms`.
 */
const task: Task = async ([url, perMinuteText = '30', scaleText = '1', msText = '10000']) => {
  if (url === undefined) throw new Error('usage: spender URL PER_MINUTE SCALE MS');
  const intervalMs = 60_000 / Number(scaleText) / Number(perMinuteText);
  const end = performance.now() + Number(msText);
  const headers = {
    'api-token': process.env['HELCIM_API_TOKEN'] ?? EMULATOR_TOKEN,
    accept: 'application/json',
  };
  let sent = 0;
  let ok = 0;
  let http429 = 0;
  const pending: Promise<void>[] = [];
  for (let next = performance.now(); next < end; next += intervalMs) {
    const wait = next - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    sent++;
    pending.push(
      request(`${url}/customers?limit=1&page=1`, { headers }).then(async (response) => {
        await response.body.dump();
        if (response.statusCode === 429) http429++;
        else if (response.statusCode === 200) ok++;
      }),
    );
  }
  await Promise.all(pending);
  return { sent, ok, http429 };
};
export default task;
