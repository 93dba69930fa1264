import { helcimInfo } from '../../src/providers/helcim/info.js';
import { dirname } from 'node:path';
import { applyPlan } from '../../src/apply/apply.js';
import { parseRateLimit } from '../../src/core/rate-limits.js';
import { loadDesiredState } from '../../src/desired/index.js';
import { HelcimClient } from '../../src/providers/helcim/client/index.js';
import { defaultConfig } from '../../src/load/config-types.js';
import { remoteNormalizer, planSync } from '../../src/pipeline.js';
import { EMULATOR_TOKEN } from '../process.js';
import type { Task } from './index.js';

/**
 * Plan and apply of the CSV through the library, with the client paced for the emulator's
 * limits at its time scale. Times every call, so the rate is measured from the first request
 * sent to the last answer received: the window the rate limits govern.
 */
const task: Task = async ([csv, url, rate = '5/100/3000', scaleText = '1']) => {
  if (csv === undefined || url === undefined) throw new Error('usage: apply-throughput CSV URL');
  const limits = parseRateLimit(rate);
  const scale = Number(scaleText);
  let first = Infinity;
  let last = 0;
  let answered = 0;
  let http429 = 0;
  const client = new HelcimClient({
    baseUrl: url,
    token: process.env['HELCIM_API_TOKEN'] ?? EMULATOR_TOKEN,
    limits:
      limits === 'off' ? 'off' : { ...limits, minuteMs: 60_000 / scale, hourMs: 3_600_000 / scale },
    onEvent: (event) => {
      const now = performance.now();
      if (event.type === 'request') first = Math.min(first, now);
      if (event.type !== 'response') return;
      last = now;
      if (event.status === 429) http429++;
      else answered++;
    },
  });
  const cwd = dirname(csv);
  const state = loadDesiredState([csv], { cwd, config: defaultConfig(cwd) });
  try {
    const plan = await planSync(state.customers, client, { config: state.config });
    const report = await applyPlan(plan, client, { normalize: remoteNormalizer(helcimInfo) });
    return {
      updates: plan.summary.update,
      fetchCalls: plan.fetch.calls,
      updated: report.summary.updated,
      failed: report.summary.failed,
      // Every answered call counts against the windows, the listing's included; refused ones do not.
      calls: answered,
      http429,
      activeMs: Math.round(last - first),
    };
  } finally {
    await client.close();
  }
};
export default task;
