import { writeFileSync } from 'node:fs';
import { measure, type Figures } from './measure.js';
import { scenarios } from './scenarios.js';

// `npm run bench [SCENARIO...]`: runs the scenarios, prints a table, writes bench-results.json.
const wanted = process.argv.slice(2);
const selected = wanted.length === 0 ? scenarios : scenarios.filter((s) => wanted.includes(s.name));
if (selected.length === 0) {
  console.error(
    `no scenario named ${wanted.join(', ')}; known: ${scenarios.map((s) => s.name).join(', ')}`,
  );
  process.exit(1);
}

const results: { name: string; goal: string; figures: Figures & { pass: boolean } }[] = [];
await measure('generate', '100000');
for (const scenario of selected) {
  process.stderr.write(`running ${scenario.name}...\n`);
  const figures = await scenario.run();
  results.push({ name: scenario.name, goal: scenario.goal, figures });
  const shown = Object.entries(figures)
    .filter(([k]) => k !== 'pass')
    .map(([k, v]) => `${k}=${String(v)}`)
    .join('  ');
  console.log(
    `${figures.pass ? 'PASS' : 'MISS'}  ${scenario.name.padEnd(16)} ${shown}\n      goal: ${scenario.goal}`,
  );
}
const doc = {
  version: 1,
  node: process.version,
  date: new Date().toISOString(),
  scenarios: results,
};
writeFileSync('bench-results.json', JSON.stringify(doc, null, 2) + '\n');
console.log('wrote bench-results.json');
