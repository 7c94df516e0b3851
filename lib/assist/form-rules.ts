import iconv from 'iconv-lite';
import { z } from 'zod';

/** True when every character survives a round trip through windows-1251. */
export function isCp1251(text: string): boolean {
  return iconv.decode(iconv.encode(text, 'win1251'), 'win1251') === text;
}

// Control characters would survive into a hidden input and into the signed X; refuse them outright.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to match control characters
const NO_CONTROL = /^[^\u0000-\u001f\u007f]*$/;

/** A free-text form field of at most `max` characters, without control characters. */
export function formText(max: number) {
  return z
    .string()
    .max(max, { message: `at most ${max} characters` })
    .regex(NO_CONTROL, { message: 'must not contain control characters' });
}

/** A return URL (≤ 256 characters, http or https), built on the protocol's own text rule. */
export function formUrl(text: (max: number) => z.ZodType<string>) {
  return text(256).refine((v) => /^https?:\/\//.test(v) && URL.canParse(v), {
    message: 'must be an http(s) URL',
  });
}
