/** Where the environment points the tool: light, so a saved plan is checked before any client loads. */
import { DEFAULT_HELCIM_API_URL, resolveBaseUrl, URL_ENV } from './client/config.js';

export function helcimTarget(env: Readonly<Record<string, string | undefined>>): string {
  const raw = env[URL_ENV]?.trim();
  const { origin, basePath } = resolveBaseUrl(
    raw === undefined || raw === '' ? DEFAULT_HELCIM_API_URL : raw,
  );
  return `${origin}${basePath}`;
}
