import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { ORDERRESULT_XML, ORDERSTATE_XML } from './fixtures';
import { createXmlTokenizer } from './xml-tokenizer';

/** Tokenizes `chunks` in order and returns the events as text, or the error. */
function events(chunks: Uint8Array[], options: { charset?: string } = {}): string[] | { error: string } {
  const out: string[] = [];
  const tokenizer = createXmlTokenizer(
    {
      open(name, attributes) {
        out.push(`<${name}${Object.entries(attributes).map(([k, v]) => ` ${k}=${JSON.stringify(v)}`)}>`);
        return null;
      },
      text(text) {
        out.push(JSON.stringify(text));
        return null;
      },
      close(name) {
        out.push(`</${name}>`);
        return null;
      },
    },
    options,
  );
  for (const chunk of chunks) {
    const error = tokenizer.write(chunk);
    if (error !== null) return { error };
  }
  const error = tokenizer.end();
  return error === null ? out : { error };
}

const whole = (xml: string) => events([Buffer.from(xml)]);

/** The bytes of `xml` cut at every position in `cuts`. */
function cut(bytes: Buffer, cuts: number[]): Buffer[] {
  const at = [...new Set(cuts)].filter((c) => c > 0 && c < bytes.length).sort((a, b) => a - b);
  return [0, ...at].map((from, i) => bytes.subarray(from, at[i] ?? bytes.length));
}

describe('DOCTYPE', () => {
  it('skips an internal subset with brackets and quotes inside', () => {
    expect(whole(`<?xml version="1.0"?><!DOCTYPE r [ <!ENTITY a "]>"> ]><r/>`)).toEqual(['<r>', '</r>']);
  });

  it('refuses an unterminated or repeated DOCTYPE', () => {
    expect(whole('<!DOCTYPE r [ <!ENTITY a "x">')).toEqual({ error: 'unterminated DOCTYPE' });
    expect(whole('<!DOCTYPE r><!DOCTYPE r><r/>')).toEqual({ error: 'more than one DOCTYPE' });
  });

  it('refuses a DOCTYPE inside the document and an entity declared outside one', () => {
    expect(whole('<r><!DOCTYPE r></r>')).toEqual({
      error: 'not well-formed XML: DOCTYPE inside the document',
    });
    expect(whole('<!ENTITY x "y"><r/>')).toEqual({ error: 'entity declaration outside a DOCTYPE' });
    expect(whole('<r><!ENTITY x "y"></r>')).toEqual({ error: 'entity declaration outside a DOCTYPE' });
  });
});

describe('entities', () => {
  it('decodes the predefined entities and character references in text and attributes', () => {
    expect(whole(`<r a="&lt;&#x416;&quot;">&amp;lt; &#1046; &apos;&gt;</r>`)).toEqual([
      '<r a="<Ж\\"">',
      JSON.stringify("&lt; Ж '>"),
      '</r>',
    ]);
  });

  it.each([
    ['<r>&xxe;</r>', 'reference to an undeclared entity'],
    ['<r a="&xxe;"/>', 'reference to an undeclared entity'],
    ['<r>a & b</r>', 'reference to an undeclared entity'],
    ['<r>&amp</r>', 'reference to an undeclared entity'],
    ['<r>&#0;</r>', 'not well-formed XML: &#0; is not a character'],
    ['<r>&#xD800;</r>', 'not well-formed XML: &#xD800; is not a character'],
    ['<r>&#1114112;</r>', 'not well-formed XML: &#1114112; is not a character'],
  ])('refuses %s', (xml, error) => {
    expect(whole(xml)).toEqual({ error });
  });

  it('keeps CDATA as it is, references included', () => {
    expect(whole('<r><![CDATA[a &xxe; <b>]]></r>')).toEqual(['<r>', '"a &xxe; <b>"', '</r>']);
  });
});

describe('well-formedness', () => {
  it.each([
    ['', 'not well-formed XML: no root element'],
    ['<r>', 'not well-formed XML: <r> is not closed'],
    ['<r></s>', 'not well-formed XML: </s> closes <r>'],
    ['<r/><s/>', 'not well-formed XML: <s> after the root element'],
    ['text<r/>', 'not well-formed XML: text outside the root element'],
    ['<r/>text', 'not well-formed XML: text outside the root element'],
    ['<r a="1" a="2"/>', 'not well-formed XML: attribute a repeated in <r>'],
    ['<r a=1/>', 'not well-formed XML: unquoted attribute in <r>'],
    ['<r a="<"/>', 'not well-formed XML: "<" in an attribute of <r>'],
    ['<r a="1"b="2"/>', 'not well-formed XML: bad attribute in <r>'],
    ['< r/>', 'not well-formed XML: "<" not followed by a name'],
    ['<r><!-- open', 'not well-formed XML: unterminated comment'],
    ['<r><!ELEMENT r ANY></r>', 'not well-formed XML: unknown markup "<!ELEMENT"'],
    ['<r', 'not well-formed XML: unterminated tag'],
  ])('refuses %j', (xml, error) => {
    expect(whole(xml)).toEqual({ error });
  });

  it('skips comments, processing instructions and a byte order mark', () => {
    expect(whole('\uFEFF<?xml version="1.0"?><!-- a --><r><?pi x?>a<!-- b -->b</r><!-- c -->')).toEqual([
      '<r>',
      '"a"',
      '"b"',
      '</r>',
    ]);
  });
});

describe('chunk boundaries', () => {
  const xml = `<result a='1'><v>x &amp; &#1046; Заказ 🙂</v><w/></result>`;
  const expected = whole(xml);

  it('gives the same events wherever the bytes are cut: in a tag, an entity or a multi-byte character', () => {
    const bytes = Buffer.from(xml);
    for (let i = 1; i < bytes.length; i++) expect(events(cut(bytes, [i])), `cut at ${i}`).toEqual(expected);
    // One byte at a time.
    expect(events(cut(bytes, [...bytes.keys()]))).toEqual(expected);
  });

  it('reads whole fixtures cut at random places the same as in one piece', () => {
    for (const fixture of [ORDERSTATE_XML, ORDERRESULT_XML]) {
      const bytes = Buffer.from(fixture);
      const once = events([bytes]);
      fc.assert(
        fc.property(fc.array(fc.nat({ max: bytes.length }), { maxLength: 40 }), (cuts) => {
          expect(events(cut(bytes, cuts))).toEqual(once);
        }),
        { numRuns: 200 },
      );
    }
  });

  it('refuses a DTD trick cut across chunks', () => {
    const bytes = Buffer.from('<!DOCTYPE r [<!ENTITY x "y">]><r>&x;</r>');
    for (let i = 1; i < bytes.length; i++)
      expect(events(cut(bytes, [i]))).toEqual({ error: 'reference to an undeclared entity' });
    const outside = Buffer.from('<r/><!ENTITY x "y">');
    for (let i = 1; i < outside.length; i++)
      expect(events(cut(outside, [i]))).toEqual({ error: 'entity declaration outside a DOCTYPE' });
  });
});

describe('charset', () => {
  const text = '<?xml version="1.0" encoding="windows-1251"?><r>Заказ</r>';

  it('decodes the declared charset, and the transport charset before it', () => {
    expect(events([iconv.encode(text, 'win1251')])).toEqual(['<r>', '"Заказ"', '</r>']);
    const utf8 = Buffer.from(text);
    expect(events([utf8], { charset: 'utf-8' })).toEqual(['<r>', '"Заказ"', '</r>']);
  });

  it('refuses a charset it cannot scan', () => {
    expect(events([Buffer.from('<r/>')], { charset: 'utf-16' })).toEqual({
      error: 'unsupported charset "utf-16"',
    });
    expect(whole('<?xml version="1.0" encoding="ebcdic"?><r/>')).toEqual({
      error: 'unsupported charset "ebcdic"',
    });
    expect(events([Buffer.from([0xff, 0xfe, 0x3c, 0x00])])).toEqual({ error: 'unsupported charset: UTF-16' });
  });
});
