import { styleText } from 'node:util';

type Colour = 'green' | 'yellow' | 'red' | 'cyan' | 'bold' | 'dim';

/** Colours through Node's own `util.styleText`; a no-op when colour is off (NO_COLOR, pipes). */
export type Paint = (colour: Colour, text: string) => string;

export function painter(color: boolean): Paint {
  // The caller has already decided (TTY of the right stream, NO_COLOR): skip styleText's own check,
  // which only looks at process.stdout.
  return color
    ? (colour, text) => styleText(colour, text, { validateStream: false })
    : (_colour, text) => text;
}
