import iconv from 'iconv-lite';

/**
 * Encodes an HTML document as windows-1251. Characters that code page cannot hold (emoji, "ø", CJK)
 * become numeric character references, which the browser turns back into the same characters: the page
 * never crashes and never loses text, and form values still submit correctly in the form's charset.
 */
export function encodeHtmlWindows1251(html: string): Uint8Array {
  // Only non-ASCII characters need a look: this runs on every /pay request.
  const safe = html.replace(/[^\p{ASCII}]/gu, (ch) => (fitsWindows1251(ch) ? ch : `&#${ch.codePointAt(0)};`));
  return new Uint8Array(iconv.encode(safe, 'win1251'));
}

const cache = new Map<string, boolean>();

function fitsWindows1251(ch: string): boolean {
  let fits = cache.get(ch);
  if (fits === undefined) {
    fits = iconv.decode(iconv.encode(ch, 'win1251'), 'win1251') === ch;
    if (cache.size < 4096) cache.set(ch, fits);
  }
  return fits;
}
