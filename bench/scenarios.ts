import { bestOf, num, type Scenario } from './measure.js';
import { apiCalls } from './scenarios/api-calls.js';
import { applyThroughput } from './scenarios/apply-throughput.js';
import { plan100k } from './scenarios/plan-100k.js';

/** Every benchmark scenario, in the order `npm run bench` runs them. */
export const scenarios: Scenario[] = [
  {
    name: 'load-csv',
    goal: 'CSV load + validate + normalise of 100,000 customers within 1.5x the bare csv-parse',
    async run() {
      const bare = await bestOf(3, 'csv-bare', '100000');
      const full = await bestOf(3, 'load-csv', '100000');
      const wallMs = num(full, 'wallMs');
      const bareMs = num(bare, 'wallMs');
      const ratio = Math.round((wallMs / bareMs) * 100) / 100;
      return {
        wallMs,
        peakRssMb: num(full, 'peakRssMb'),
        bareMs,
        bareRssMb: num(bare, 'peakRssMb'),
        ratio,
        records: num(full, 'records'),
        pass: ratio <= 1.5,
      };
    },
  },
  {
    name: 'load-yaml',
    goal: 'YAML load + validate + normalise of 100,000 customers within 5 s and 1 GB',
    async run() {
      const bare = await bestOf(1, 'yaml-bare', '100000');
      const full = await bestOf(3, 'load-yaml', '100000');
      const wallMs = num(full, 'wallMs');
      const peakRssMb = num(full, 'peakRssMb');
      return {
        wallMs,
        peakRssMb,
        bareMs: num(bare, 'wallMs'),
        bareRssMb: num(bare, 'peakRssMb'),
        records: num(full, 'records'),
        pass: wallMs <= 5000 && peakRssMb <= 1000,
      };
    },
  },
  plan100k('csv'),
  plan100k('yaml'),
  apiCalls,
  applyThroughput,
];
