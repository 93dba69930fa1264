import type { Plan } from '../plan/types.js';
import { renderMarkdown } from './markdown.js';
import { renderText, type RenderOptions } from './text.js';

export type PlanFormat = 'text' | 'json' | 'markdown';

/** The plan reporters, by name: each turns a plan into the text written to stdout. */
export const planRenderers: Record<PlanFormat, (plan: Plan, options: RenderOptions) => string> = {
  text: renderText,
  json: (plan) => JSON.stringify(plan, null, 2) + '\n',
  markdown: (plan) => renderMarkdown(plan),
};

export { renderText, summaryLine, costLine } from './text.js';
export { renderMarkdown, MARKDOWN_LIMIT } from './markdown.js';
export type { RenderOptions } from './text.js';
