import { RUNS, measure, medianOf, num, pairedRuns, type Scenario } from './measure.js';
import { apiCalls } from './scenarios/api-calls.js';
import { applyThroughput } from './scenarios/apply-throughput.js';
import { pkApiCalls } from './scenarios/pk-api-calls.js';
import { pkPlan100k, plan100k } from './scenarios/plan-100k.js';
import { workflows } from './scenarios/workflows.js';

/** Every benchmark scenario, in the order `npm run bench` runs them. */
export const scenarios: Scenario[] = [
  {
    name: 'load-csv',
    goal: 'CSV load + validate + normalise of 100,000 customers within 1.5x the bare csv-parse',
    async run() {
      const { tool, figures, ratio } = await pairedRuns(
        RUNS,
        () => measure('load-csv', '100000'),
        () => measure('csv-bare', '100000'),
      );
      return {
        ...figures,
        peakRssMb: Math.max(...tool.map((f) => num(f, 'peakRssMb'))),
        records: num(tool[0] ?? {}, 'records'),
        pass: ratio <= 1.5,
      };
    },
  },
  {
    name: 'load-yaml',
    goal: 'YAML load + validate + normalise of 100,000 customers within 5 s and 1 GB',
    async run() {
      const bare = await medianOf(1, 'yaml-bare', '100000');
      const full = await medianOf(RUNS, 'load-yaml', '100000');
      const wallMs = num(full, 'wallMs');
      const peakRssMb = num(full, 'peakRssMb');
      return {
        wallMs,
        wallMsSpread: full['wallMsSpread'] ?? '',
        peakRssMb,
        bareMs: num(bare, 'wallMs'),
        bareRssMb: num(bare, 'peakRssMb'),
        records: num(full, 'records'),
        runs: RUNS,
        pass: wallMs <= 5000 && peakRssMb <= 1000,
      };
    },
  },
  plan100k('csv'),
  plan100k('yaml'),
  apiCalls,
  applyThroughput,
  workflows,
  pkPlan100k,
  pkApiCalls,
];
